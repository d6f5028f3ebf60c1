package dev.configstore.jdbc.internal;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.Snowflakes;
import dev.configstore.internal.Arguments;
import dev.configstore.internal.CachedReads;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.GlobalSnapshot;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingListener;
import dev.configstore.settings.SettingSubscription;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.settings.SettingsUpdate;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link Settings} over {@link JdbcSettingsBackend}, with two {@link CachedKeyValueStore}s, so that
 * the store's contract (write then invalidate, a failed write changes nothing, no stale install,
 * safe bulk clears) covers settings too: one whose single entry is the {@link GlobalSnapshot}, and
 * one keyed by guild id whose entries are {@link GuildSnapshot}s made over the current global
 * snapshot. Since a guild's snapshot depends on the global values, a global change invalidates the
 * global entry first and then every guild entry; a guild load under way then installs nothing.
 *
 * <p>Change listeners ({@link #onChange}) are served by a {@link SettingsListeners}, made on the
 * first registration; every write and every change-feed report is passed to it, after the caches
 * were brought up to date.
 */
public final class JdbcSettings implements Settings, AutoCloseable {

    /** The one key of the global store. */
    private static final String GLOBAL = "global";

    private final SettingsSchema schema;
    private final JdbcSettingsBackend backend;
    private final CachedKeyValueStore<String, GlobalSnapshot> global;
    private final CachedKeyValueStore<String, GuildSnapshot> guilds;
    private final String name;
    private final Object listenersLock = new Object();
    private volatile @Nullable SettingsListeners listeners;
    private volatile boolean closed;
    private volatile @Nullable Consumer<String> afterGuildRead;
    /**
     * Told of each write this object made, with the guild's id or {@code ""} for a global one:
     * the store's other {@code Settings} (of other schemas) must drop what they cached, since the
     * change feed skips this process's own changes.
     */
    private volatile Consumer<String> afterOwnWrite = guildId -> {};

    /**
     * Creates the settings of a schema.
     *
     * @param schema the schema
     * @param backend the table
     * @param cache configures each cache (time to live, size, ticker) and names it
     * @param name the store's name, for the caches' names
     */
    public JdbcSettings(
            SettingsSchema schema,
            JdbcSettingsBackend backend,
            Consumer<CachedKeyValueStore.Builder<?, ?>> cache,
            String name) {
        this.schema = schema;
        this.backend = backend;
        this.name = name;
        CachedKeyValueStore.Builder<String, GlobalSnapshot> globalCache =
                CachedKeyValueStore.builder(new GlobalBackend());
        cache.accept(globalCache.name("settings-global " + name));
        this.global = globalCache.build();
        CachedKeyValueStore.Builder<String, GuildSnapshot> guildCache = CachedKeyValueStore.builder(new GuildBackend());
        cache.accept(guildCache.name("settings " + name).keyCheck(id -> Snowflakes.requireValid(id, "guildId")));
        this.guilds = guildCache.build();
    }

    @Override
    public SettingsSchema schema() {
        return schema;
    }

    @Override
    public <T> Optional<T> get(Setting<T> setting, String guildId) {
        return snapshot(guildId).get(setting);
    }

    @Override
    public <T> Optional<T> get(Setting<T> setting, String guildId, String channelId) {
        return snapshot(guildId).get(setting, channelId);
    }

    @Override
    public <T> Resolution<T> resolve(Setting<T> setting, String guildId) {
        return snapshot(guildId).resolve(setting);
    }

    @Override
    public <T> Resolution<T> resolve(Setting<T> setting, String guildId, String channelId) {
        return snapshot(guildId).resolve(setting, channelId);
    }

    @Override
    public <T> Resolution<T> resolveGlobal(Setting<T> setting) {
        return globalSnapshot().resolve(setting);
    }

    @Override
    public GuildSnapshot snapshot(String guildId) {
        if (guildId == null) {
            throw new IllegalArgumentException("guildId must not be null");
        }
        return guilds.get(guildId).orElseThrow();
    }

    @Override
    public CompletableFuture<GuildSnapshot> snapshotAsync(String guildId, Executor executor) {
        Arguments.notNull(executor, "executor");
        GuildSnapshot cached = cachedSnapshot(guildId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return guilds.getAsync(guildId, executor).thenApply(Optional::orElseThrow);
    }

    @Override
    public <T> CompletableFuture<Optional<T>> getAsync(Setting<T> setting, String guildId, Executor executor) {
        Arguments.notNull(executor, "executor");
        GuildSnapshot cached = cachedSnapshot(guildId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.get(setting));
        }
        requireDeclared(setting);
        return guilds.getAsync(guildId, executor)
                .thenApply(read -> read.orElseThrow().get(setting));
    }

    @Override
    public <T> CompletableFuture<Optional<T>> getAsync(
            Setting<T> setting, String guildId, String channelId, Executor executor) {
        Arguments.notNull(executor, "executor");
        GuildSnapshot cached = cachedSnapshot(guildId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.get(setting, channelId));
        }
        requireDeclared(setting);
        Snowflakes.requireValid(channelId, "channelId");
        return guilds.getAsync(guildId, executor)
                .thenApply(read -> read.orElseThrow().get(setting, channelId));
    }

    @Override
    public <T> CompletableFuture<Resolution<T>> resolveAsync(Setting<T> setting, String guildId, Executor executor) {
        Arguments.notNull(executor, "executor");
        GuildSnapshot cached = cachedSnapshot(guildId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.resolve(setting));
        }
        requireDeclared(setting);
        return guilds.getAsync(guildId, executor)
                .thenApply(read -> read.orElseThrow().resolve(setting));
    }

    @Override
    public <T> CompletableFuture<Resolution<T>> resolveAsync(
            Setting<T> setting, String guildId, String channelId, Executor executor) {
        Arguments.notNull(executor, "executor");
        GuildSnapshot cached = cachedSnapshot(guildId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.resolve(setting, channelId));
        }
        requireDeclared(setting);
        Snowflakes.requireValid(channelId, "channelId");
        return guilds.getAsync(guildId, executor)
                .thenApply(read -> read.orElseThrow().resolve(setting, channelId));
    }

    @Override
    public <T> CompletableFuture<Resolution<T>> resolveGlobalAsync(Setting<T> setting, Executor executor) {
        Arguments.notNull(executor, "executor");
        Optional<GlobalSnapshot> cached = CachedReads.cached(global, GLOBAL);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.orElseThrow().resolve(setting));
        }
        requireDeclared(setting);
        return global.getAsync(GLOBAL, executor)
                .thenApply(read -> read.orElseThrow().resolve(setting));
    }

    /** The guild's snapshot if the cache holds it (a hit), or null; reads nothing. */
    private @Nullable GuildSnapshot cachedSnapshot(String guildId) {
        if (guildId == null) {
            throw new IllegalArgumentException("guildId must not be null");
        }
        Optional<GuildSnapshot> cached = CachedReads.cached(guilds, guildId);
        return cached == null ? null : cached.orElseThrow();
    }

    @Override
    public <T> void set(Setting<T> setting, ScopeId where, T value) {
        requireDeclared(setting);
        SettingsUpdate.requireAllowed(setting, where);
        write(setting, where, setting.encode(value));
    }

    @Override
    public void reset(Setting<?> setting, ScopeId where) {
        requireDeclared(setting);
        SettingsUpdate.requireAllowed(setting, where);
        write(setting, where, null);
    }

    @Override
    public void update(String guildId, SettingsUpdate changes) {
        Snowflakes.requireValid(guildId, "guildId");
        if (changes == null) {
            throw new IllegalArgumentException("changes must not be null");
        }
        List<JdbcSettingsBackend.Change> rows = new ArrayList<>();
        List<JdbcSettingsBackend.Change> expected = new ArrayList<>();
        for (SettingsUpdate.Expectation expectation : changes.expectations()) {
            ScopeId where = requireInGuild(guildId, expectation.setting(), expectation.where());
            expected.add(new JdbcSettingsBackend.Change(
                    where.scope(),
                    where.channelId(),
                    expectation.setting().key(),
                    expectation.text().orElse(null)));
        }
        for (SettingsUpdate.Change change : changes.changes()) {
            ScopeId where = requireInGuild(guildId, change.setting(), change.where());
            rows.add(new JdbcSettingsBackend.Change(
                    where.scope(),
                    where.channelId(),
                    change.setting().key(),
                    change.text().orElse(null)));
        }
        if (!rows.isEmpty()) {
            try {
                guilds.update(guildId, () -> backend.update(guildId, expected, rows));
            } catch (StoreException e) {
                if (!expected.isEmpty()) {
                    throwConflictBehind(guildId, expected, e);
                }
                throw e;
            } finally {
                afterOwnWrite.accept(guildId);
                tellListeners(guildId);
            }
        }
    }

    /**
     * Throws the conflict behind a checked update's failure, if a value it expected has changed:
     * a database that fails a transaction rather than let it overwrite a value stored meanwhile
     * (PostgreSQL's serialization failure) reports it so.
     */
    private void throwConflictBehind(String guildId, List<JdbcSettingsBackend.Change> expected, StoreException e) {
        try {
            backend.requireStored(guildId, expected);
        } catch (ConflictingUpdateException conflict) {
            conflict.initCause(e);
            throw conflict;
        } catch (StoreException unreadable) {
            e.addSuppressed(unreadable);
        }
    }

    private ScopeId requireInGuild(String guildId, Setting<?> setting, ScopeId where) {
        requireDeclared(setting);
        if (where.scope() == Scope.GLOBAL || !where.guildId().equals(guildId)) {
            throw new IllegalArgumentException("An update of guild " + guildId + " changes only that guild and its"
                    + " channels; setting \"" + setting.key() + "\" is for " + where + ". Nothing was written.");
        }
        return where;
    }

    @Override
    public <T> SettingSubscription onChange(Setting<T> setting, SettingListener<T> listener) {
        requireDeclared(setting);
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        SettingsListeners current;
        synchronized (listenersLock) {
            if (closed) {
                throw new IllegalStateException(
                        "settings " + name + ": the store is closed; open it again to listen to settings");
            }
            current = listeners;
            if (current == null) {
                current = new SettingsListeners(
                        schema,
                        new SettingsListeners.StoredRows() {
                            @Override
                            public List<JdbcSettingsBackend.StoredRow> ofGuild(String guildId) {
                                return backend.readRowsOfGuild(guildId);
                            }

                            @Override
                            public List<JdbcSettingsBackend.StoredRow> ofKey(String key) {
                                return backend.readRowsOfKey(key);
                            }
                        },
                        "settings " + name);
                listeners = current;
            }
        }
        return current.add(setting, listener);
    }

    /**
     * For tests of races: calls {@code hook} on the thread that loads a guild's settings, with the
     * guild's id, after it read the guild's rows and took the global snapshot and before the
     * guild's snapshot is cached; {@code null} removes it.
     *
     * @param hook what to call, or null
     */
    public void afterGuildReadForTests(@Nullable Consumer<String> hook) {
        this.afterGuildRead = hook;
    }

    /**
     * Sets what to tell after each write this object makes (committed, failed or of unknown
     * outcome), before the write returns: the guild's id, or {@code ""} for a global write.
     *
     * @param hook what to call
     */
    public void afterOwnWrite(Consumer<String> hook) {
        this.afterOwnWrite = hook;
    }

    /**
     * Drops what is cached for a guild ({@code ""}: every guild and the global values) because
     * another {@code Settings} of the same store wrote it, and tells the listeners. The change
     * feed does not report this process's own changes, so this is how they reach a second
     * schema's caches before the write returns.
     *
     * @param guildId the guild's id, or {@code ""} for a global change
     */
    public void changedByThisProcess(String guildId) {
        if (guildId.isEmpty()) {
            global.invalidateAll();
            guilds.invalidateAll();
        } else {
            guilds.invalidate(guildId);
        }
        tellListeners(guildId);
    }

    /**
     * Drops a guild's cached snapshot (every scope under it); its stored settings are kept and
     * read again on the next read.
     *
     * @param guildId the guild's id, already checked
     */
    public void forgetGuild(String guildId) {
        guilds.invalidate(guildId);
    }

    /** Drops every cached snapshot, after a change made around this object (a tool's import). */
    public void invalidateAll() {
        global.invalidateAll();
        guilds.invalidateAll();
    }

    /**
     * Returns the two caches: the global values', then the guilds'.
     *
     * @return the caches
     */
    public List<CachedKeyValueStore<?, ?>> caches() {
        return List.of(global, guilds);
    }

    /** Stops the listeners' thread, then closes the caches. */
    @Override
    public void close() {
        SettingsListeners current;
        synchronized (listenersLock) {
            closed = true;
            current = listeners;
        }
        if (current != null) {
            current.close();
        }
        guilds.close();
        global.close();
    }

    private void write(Setting<?> setting, ScopeId where, @Nullable String text) {
        try {
            if (where.scope() == Scope.GLOBAL) {
                global.update(GLOBAL, () -> backend.write(Scope.GLOBAL, "", "", setting.key(), text));
                // Every guild's snapshot was made over the old global values.
                guilds.invalidateAll();
            } else {
                guilds.update(
                        where.guildId(),
                        () -> backend.write(where.scope(), where.guildId(), where.channelId(), setting.key(), text));
            }
        } finally {
            // Also after a failure: a write whose outcome is unknown may have committed.
            afterOwnWrite.accept(where.guildId());
            tellListeners(where.guildId());
        }
    }

    private void tellListeners(String guildId) {
        SettingsListeners current = listeners;
        if (current != null) {
            current.changed(guildId);
        }
    }

    private void tellListenersAll() {
        SettingsListeners current = listeners;
        if (current != null) {
            current.allChanged();
        }
    }

    private void requireDeclared(Setting<?> setting) {
        if (setting == null) {
            throw new IllegalArgumentException("setting must not be null");
        }
        if (schema.setting(setting.key()).orElse(null) != setting) {
            throw new IllegalArgumentException("Setting \"" + setting.key()
                    + "\" is not declared in this schema; add it to the settings the schema is made of");
        }
    }

    private GlobalSnapshot globalSnapshot() {
        return global.get(GLOBAL).orElseThrow();
    }

    /** The global snapshot, read from the table. */
    private final class GlobalBackend extends ReadOnlyBackend<GlobalSnapshot> {
        @Override
        public Optional<Versioned<GlobalSnapshot>> read(String key) {
            return Optional.of(new Versioned<>(schema.global(backend.readGlobal()), 1));
        }
    }

    /**
     * A guild's snapshot: its rows, read in one statement, over the current global snapshot. The
     * change feed's reports come here: a guild's change drops its entry; a global change (key
     * {@code ""}) drops the global entry first, then every guild's, so no guild entry is made again
     * over the old global values.
     */
    private final class GuildBackend extends ReadOnlyBackend<GuildSnapshot> {
        @Override
        public Optional<Versioned<GuildSnapshot>> read(String guildId) {
            JdbcSettingsBackend.GuildRows rows = backend.readGuild(guildId);
            GuildSnapshot snapshot = globalSnapshot().guild(guildId, rows.guild(), rows.channels());
            Consumer<String> hook = afterGuildRead;
            if (hook != null) {
                hook.accept(guildId);
            }
            return Optional.of(new Versioned<>(snapshot, Math.max(1, rows.version())));
        }

        @Override
        public ChangeSubscription subscribe(ChangeListener<String> listener) {
            return backend.subscribe(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    if (key.isEmpty()) {
                        global.invalidateAll();
                        listener.allChanged();
                    } else {
                        listener.keyChanged(key);
                    }
                    tellListeners(key);
                }

                @Override
                public void allChanged() {
                    global.invalidateAll();
                    listener.allChanged();
                    tellListenersAll();
                }
            });
        }
    }

    /** A backend that only reads: every write goes through {@link JdbcSettingsBackend} directly. */
    private abstract static class ReadOnlyBackend<V> implements Backend<String, V> {
        @Override
        public long write(String key, V value) {
            throw unsupported();
        }

        @Override
        public long delete(String key) {
            throw unsupported();
        }

        @Override
        public <T> T inTransaction(Function<? super BackendOperations<String, V>, ? extends T> work) {
            throw unsupported();
        }

        private static UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("settings are written through Settings.set, reset and update");
        }
    }
}
