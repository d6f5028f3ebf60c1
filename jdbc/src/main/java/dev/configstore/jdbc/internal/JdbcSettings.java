package dev.configstore.jdbc.internal;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.Snowflakes;
import dev.configstore.settings.GlobalSnapshot;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
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
 */
public final class JdbcSettings implements Settings, AutoCloseable {

    /** The one key of the global store. */
    private static final String GLOBAL = "global";

    private final SettingsSchema schema;
    private final JdbcSettingsBackend backend;
    private final CachedKeyValueStore<String, GlobalSnapshot> global;
    private final CachedKeyValueStore<String, GuildSnapshot> guilds;

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
        for (SettingsUpdate.Change change : changes.changes()) {
            requireDeclared(change.setting());
            ScopeId where = change.where();
            if (where.scope() == Scope.GLOBAL || !where.guildId().equals(guildId)) {
                throw new IllegalArgumentException("An update of guild " + guildId + " changes only that guild and its"
                        + " channels; setting \"" + change.setting().key() + "\" is for " + where
                        + ". Nothing was written.");
            }
            rows.add(new JdbcSettingsBackend.Change(
                    where.scope(),
                    where.channelId(),
                    change.setting().key(),
                    change.text().orElse(null)));
        }
        if (!rows.isEmpty()) {
            guilds.update(guildId, () -> backend.update(guildId, rows));
        }
    }

    /**
     * Returns the two caches: the global values', then the guilds'.
     *
     * @return the caches
     */
    public List<CachedKeyValueStore<?, ?>> caches() {
        return List.of(global, guilds);
    }

    /** Closes the caches. */
    @Override
    public void close() {
        guilds.close();
        global.close();
    }

    private void write(Setting<?> setting, ScopeId where, @Nullable String text) {
        if (where.scope() == Scope.GLOBAL) {
            global.update(GLOBAL, () -> backend.write(Scope.GLOBAL, "", "", setting.key(), text));
            // Every guild's snapshot was made over the old global values.
            guilds.invalidateAll();
        } else {
            guilds.update(
                    where.guildId(),
                    () -> backend.write(where.scope(), where.guildId(), where.channelId(), setting.key(), text));
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
                }

                @Override
                public void allChanged() {
                    global.invalidateAll();
                    listener.allChanged();
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
