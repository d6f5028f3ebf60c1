package dev.configstore.jdbc;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.guild.BuiltInSettings;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.guild.LoggingStore;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.internal.AuditTrail;
import dev.configstore.jdbc.internal.CacheClears;
import dev.configstore.jdbc.internal.ChangeFeed;
import dev.configstore.jdbc.internal.JdbcDeclarations;
import dev.configstore.jdbc.internal.JdbcGuildSettingsBackend;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.jdbc.internal.JdbcSettings;
import dev.configstore.jdbc.internal.JdbcSettingsBackend;
import dev.configstore.jdbc.internal.JdbcStoredValues;
import dev.configstore.jdbc.internal.PooledDatabase;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingDeclaration;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every SQL database's store does the same way, written once: the guild facades, the
 * key-value stores of every namespace, the listings, the watches and closing. {@code
 * SqliteConfigStore}, {@code PostgresConfigStore} and {@code MariaDbConfigStore} extend it; code
 * that should not care which database it runs on uses {@link ConfigStore}.
 *
 * <p>Only configstore's database modules can extend it: its constructor takes what only they can
 * make.
 */
public abstract class JdbcConfigStore implements ConfigStore {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.database");

    private final StoreParts<?, ?> parts;
    private final JdbcGuildSettingsBackend guildBackend;
    private final AuditTrail audit;
    /** Prunes the audit trail every hour; null for a read-only store. */
    private final @Nullable ScheduledExecutorService pruning;

    private final GuildConfig guildConfig;
    private final Map<String, CachedKeyValueStore<String, String>> keyValueStores = new ConcurrentHashMap<>();
    private final Map<SettingsSchema, JdbcSettings> settings = new ConcurrentHashMap<>();
    private final JdbcDeclarations declarationRecord;
    private final StoredSettings storedSettings;
    private final Set<Recorded> recorded = ConcurrentHashMap.newKeySet();
    /** What each application declared through this store, by key; guarded by {@link #recorded}. */
    private final Map<String, Map<String, SettingDeclaration>> declaredHere = new HashMap<>();

    private @Nullable Declared declared;

    /** Made at the first {@link #health} call; guarded by {@code cacheLock}. */
    private @Nullable HealthProbe healthProbe;

    /** An application's schema whose declarations this store has recorded. */
    private record Recorded(String application, SettingsSchema schema) {}

    /** The settings {@link #declaredSettings()} made, and the record they were made from. */
    private record Declared(List<DeclaredApplication> record, JdbcSettings settings) {}

    /** Every cache built so far, and what {@link #watchCaches} registered; both under {@code cacheLock}. */
    private final List<CachedKeyValueStore<?, ?>> caches = new ArrayList<>();

    private final List<Consumer<? super CachedKeyValueStore<?, ?>>> cacheWatchers = new ArrayList<>();
    private final Object cacheLock = new Object();

    /**
     * Makes the store from the parts a database's builder opened; if that fails (a cache setting
     * the cache's builder refuses, say), closes them before the failure is thrown.
     *
     * @param parts the open database, its SQL, its started feed and the builder's settings
     */
    @SuppressWarnings("exports")
    protected JdbcConfigStore(StoreParts<?, ?> parts) {
        this.parts = parts;
        this.audit = new AuditTrail(
                parts.database(), parts.dialect(), parts.settings().audit(), parts.name());
        try {
            this.guildBackend = new JdbcGuildSettingsBackend(audit, parts.dialect(), parts.feed());
            this.declarationRecord = new JdbcDeclarations(
                    parts.database(), parts.dialect(), parts.database().readOnly());
            this.guildConfig = GuildConfig.builder(guildBackend)
                    .defaults(parts.settings().defaults())
                    .cache(cache -> parts.settings().cache().accept(cache.name("guild-config " + parts.name())))
                    // Forgetting a guild forgets every setting of it, the declared ones too.
                    .onForgetGuild(guildId -> settings.values().forEach(declared -> declared.forgetGuild(guildId)))
                    .build();
            this.storedSettings = new StoredSettings(
                    new JdbcStoredValues(
                            audit,
                            parts.dialect(),
                            guildBackend,
                            new JdbcSettingsBackend(audit, parts.dialect(), parts.feed()),
                            declarationRecord),
                    this::invalidateAll);
            caches.add(guildConfig.store());
            this.pruning = parts.database().readOnly() ? null : startPruning();
        } catch (RuntimeException | Error e) {
            parts.closeAfterFailedBuild(e);
            throw e;
        }
    }

    @Override
    public final LoggingStore loggingStore() {
        return guildConfig.loggingStore();
    }

    @Override
    public final FlaggerStore flaggerStore() {
        return guildConfig.flaggerStore();
    }

    @Override
    public final GuildConfig guildConfig() {
        return guildConfig;
    }

    @Override
    public final CachedKeyValueStore<String, String> keyValueStore(String namespace) {
        String checked = JdbcKeyValueBackend.requireNamespace(namespace);
        CachedKeyValueStore<String, String> existing = keyValueStores.get(checked);
        if (existing != null) {
            return existing;
        }
        boolean[] built = {false};
        CachedKeyValueStore<String, String> store = keyValueStores.computeIfAbsent(checked, ns -> {
            CachedKeyValueStore.Builder<String, String> cache =
                    CachedKeyValueStore.builder(new JdbcKeyValueBackend(audit, parts.dialect(), ns, parts.feed()));
            parts.settings().cache().accept(cache.name("kv " + ns + " " + parts.name()));
            built[0] = true;
            return cache.build();
        });
        if (built[0]) {
            cachesBuilt(List.of(store));
        }
        return store;
    }

    @Override
    public final Settings settings(SettingsSchema schema) {
        return settings(DEFAULT_APPLICATION, schema);
    }

    @Override
    public final Settings settings(String application, SettingsSchema schema) {
        JdbcDeclarations.requireApplication(application);
        Arguments.notNull(schema, "schema");
        for (Setting<?> setting : schema.settings()) {
            if (BuiltInSettings.all().contains(setting)) {
                throw new IllegalArgumentException("Setting \"" + setting.key() + "\" is one of the guild facades'"
                        + " built-in settings, kept in table guild_config: read and write it through loggingStore(),"
                        + " flaggerStore() or guildConfig().snapshot(guildId), and leave it out of this schema");
            }
        }
        Recorded key = new Recorded(application, schema);
        if (!recorded.contains(key)) {
            synchronized (recorded) {
                if (!recorded.contains(key)) {
                    // An application's record is every schema it gave this store, so that a
                    // second schema adds to the first instead of replacing it.
                    Map<String, SettingDeclaration> declarations =
                            new LinkedHashMap<>(declaredHere.getOrDefault(application, Map.of()));
                    for (Setting<?> setting : schema.settings()) {
                        SettingDeclaration declaration = SettingDeclaration.of(setting);
                        SettingDeclaration before = declarations.putIfAbsent(declaration.key(), declaration);
                        if (before != null && !before.equals(declaration)) {
                            throw new IllegalArgumentException("Setting \"" + declaration.key()
                                    + "\" is declared twice by application \"" + application
                                    + "\", differently: declare it once and use that constant in every schema,"
                                    + " or give the other schema its own application name");
                        }
                    }
                    declarationRecord.record(application, new ArrayList<>(declarations.values()));
                    declaredHere.put(application, declarations);
                    recorded.add(key);
                }
            }
        }
        JdbcSettings existing = settings.get(schema);
        if (existing != null) {
            return existing;
        }
        boolean[] built = {false};
        JdbcSettings made = settings.computeIfAbsent(schema, declared -> {
            built[0] = true;
            return newSettings(declared);
        });
        if (built[0]) {
            cachesBuilt(made.caches());
        }
        return made;
    }

    @Override
    public final List<DeclaredApplication> declarations() {
        return declarationRecord.read();
    }

    @Override
    public final Settings declaredSettings() {
        List<DeclaredApplication> record = declarationRecord.read();
        synchronized (recorded) {
            if (declared != null && declared.record().equals(record)) {
                return declared.settings();
            }
            Map<String, Setting<?>> byKey = new LinkedHashMap<>();
            for (DeclaredApplication application : record) {
                for (SettingDeclaration declaration : application.settings()) {
                    if (!byKey.containsKey(declaration.key())) {
                        try {
                            byKey.put(declaration.key(), declaration.toSetting());
                        } catch (IllegalArgumentException e) {
                            throw new StoreException(
                                    StoreException.Reason.CORRUPT,
                                    "The record of application \"" + application.name() + "\" cannot be read back: "
                                            + e.getMessage() + " Start the application again to record its"
                                            + " declarations anew.",
                                    e);
                        }
                    }
                }
            }
            SettingsSchema schema = SettingsSchema.of(Map.of(), byKey.values());
            JdbcSettings made = newSettings(schema);
            settings.put(schema, made);
            cachesBuilt(made.caches());
            declared = new Declared(record, made);
            return made;
        }
    }

    @Override
    public final StoredSettings storedSettings() {
        return storedSettings;
    }

    @Override
    public final ChangeSubscription watchSettingsChanges(ChangeListener<String> listener) {
        Arguments.notNull(listener, "listener");
        return parts.requireFeed().subscribe(JdbcSettingsBackend.TABLE, "", listener);
    }

    /** Drops every cached value, after a tool changed many at once. */
    private void invalidateAll() {
        guildConfig.store().invalidateAll();
        settings.values().forEach(JdbcSettings::invalidateAll);
    }

    private JdbcSettings newSettings(SettingsSchema schema) {
        JdbcSettings created = new JdbcSettings(
                schema,
                new JdbcSettingsBackend(audit, parts.dialect(), parts.feed()),
                parts.settings().cache(),
                parts.name());
        // The feed skips this process's own changes: a write through one schema's settings
        // reaches the others' caches this way, before it returns.
        created.afterOwnWrite(guildId -> settings.values().forEach(other -> {
            if (other != created) {
                other.changedByThisProcess(guildId);
            }
        }));
        return created;
    }

    @Override
    public final String name() {
        return parts.name();
    }

    @Override
    public final void clearCaches(CacheClear what, String who) {
        Arguments.notNull(what, "what");
        CacheClears.Request request =
                CacheClears.Request.now(what.scope().name(), what.target(), CacheClears.requireWho(who));
        // Dropped here first: a clear asked in an emergency works in this process even when the
        // database cannot record it.
        switch (what.scope()) {
            case ALL -> {
                invalidateAll();
                keyValueStores.values().forEach(CachedKeyValueStore::invalidateAll);
            }
            case GUILD -> {
                guildConfig.store().invalidate(what.target());
                settings.values().forEach(declared -> declared.forgetGuild(what.target()));
            }
            case NAMESPACE -> {
                CachedKeyValueStore<String, String> store = keyValueStores.get(what.target());
                if (store != null) {
                    store.invalidateAll();
                }
            }
        }
        ChangeFeed feed = parts.feed();
        if (feed != null) {
            feed.clearedHere(request);
        } else {
            CacheClears.logApplied(parts.name(), request);
        }
        CacheClears.record(parts.database(), parts.dialect(), request);
    }

    @Override
    public final ChangeSubscription watchCaches(Consumer<? super CachedKeyValueStore<?, ?>> action) {
        Arguments.notNull(action, "action");
        List<CachedKeyValueStore<?, ?>> existing;
        synchronized (cacheLock) {
            cacheWatchers.add(action);
            existing = List.copyOf(caches);
        }
        ChangeSubscription subscription = () -> {
            synchronized (cacheLock) {
                cacheWatchers.remove(action);
            }
        };
        try {
            existing.forEach(action);
        } catch (RuntimeException | Error e) {
            subscription.cancel();
            throw e;
        }
        return subscription;
    }

    @Override
    public final ChangeSubscription watchChangeDelays(Consumer<? super Duration> listener) {
        Arguments.notNull(listener, "listener");
        ChangeFeed feed = parts.feed();
        return feed == null
                ? ChangeSubscription.NONE
                : feed.watchDelays(nanos -> listener.accept(Duration.ofNanos(nanos)));
    }

    @Override
    public final void trackPoolMetrics(MetricsTrackerFactory factory) {
        Arguments.notNull(factory, "factory");
        if (!(parts.database() instanceof PooledDatabase pooled)) {
            throw new UnsupportedOperationException("store " + parts.name() + " has no connection pool to measure");
        }
        pooled.trackPoolMetrics(factory);
    }

    /** Tells the watchers about caches just built: each watcher sees each cache once. */
    private void cachesBuilt(List<? extends CachedKeyValueStore<?, ?>> built) {
        List<Consumer<? super CachedKeyValueStore<?, ?>>> watchers;
        synchronized (cacheLock) {
            caches.addAll(built);
            watchers = List.copyOf(cacheWatchers);
        }
        for (Consumer<? super CachedKeyValueStore<?, ?>> watcher : watchers) {
            for (CachedKeyValueStore<?, ?> cache : built) {
                try {
                    watcher.accept(cache);
                } catch (RuntimeException e) {
                    log.warn(
                            "{}: cache watcher {} threw on new cache {}; the cache works, unwatched by it",
                            parts.name(),
                            watcher,
                            cache.name(),
                            e);
                }
            }
        }
    }

    @Override
    public final List<String> keys(String namespace, long offset, int limit) {
        String checked = JdbcKeyValueBackend.requireNamespace(namespace);
        return new JdbcKeyValueBackend(parts.database(), parts.dialect(), checked, null).keys(offset, limit);
    }

    @Override
    public final ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener) {
        String checked = JdbcKeyValueBackend.requireNamespace(namespace);
        Arguments.notNull(listener, "listener");
        return parts.requireFeed().subscribe(JdbcKeyValueBackend.TABLE, checked, listener);
    }

    @Override
    public final List<String> guildIds(long offset, int limit) {
        return guildBackend.guildIds(offset, limit);
    }

    @Override
    public final long guildCount() {
        return guildBackend.guildCount();
    }

    @Override
    public final long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action) {
        return guildBackend.forEachGuildSettings(action);
    }

    @Override
    public final ChangeSubscription watchGuildChanges(ChangeListener<String> listener) {
        Arguments.notNull(listener, "listener");
        return parts.requireFeed().subscribe(JdbcGuildSettingsBackend.TABLE, "", listener);
    }

    @Override
    public final StoreHealth health() {
        return health(DEFAULT_HEALTH_TIMEOUT);
    }

    @Override
    public final StoreHealth health(Duration timeout) {
        Arguments.notNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be from PT0.001S to PT1M, got " + timeout);
        }
        HealthProbe probe;
        synchronized (cacheLock) {
            if (healthProbe == null) {
                healthProbe = new HealthProbe(parts, expectedSchemaVersion(), this::unreachableBecause);
            }
            probe = healthProbe;
        }
        return probe.check(timeout);
    }

    /**
     * Returns the schema version this store's code needs, which {@link #health()} compares the
     * database's with.
     *
     * @return the version; 0 if not known, and then not compared
     */
    protected int expectedSchemaVersion() {
        return 0;
    }

    /**
     * Says what keeps the database from being reached that a query on an open connection may not
     * show, such as a database file that is gone; for {@link #health()}.
     *
     * @return why the database cannot be reached, or null if nothing is known to keep it
     */
    protected @Nullable String unreachableBecause() {
        return null;
    }

    @Override
    public final ChangeFeedStats changeFeedStats() {
        ChangeFeed feed = parts.feed();
        return feed == null ? new ChangeFeedStats(0, 0, 0, 0, 0) : feed.stats();
    }

    /** Stops the change feed, closes every cache, then the connection pool. */
    @Override
    public final void close() {
        ScheduledExecutorService prune = pruning;
        if (prune != null) {
            prune.shutdownNow();
        }
        parts.close(() -> {
            guildConfig.close();
            keyValueStores.values().forEach(CachedKeyValueStore::close);
            settings.values().forEach(JdbcSettings::close);
        });
    }

    @Override
    public final List<AuditEntry> history(HistoryQuery query) {
        Arguments.notNull(query, "query");
        return audit.history(query);
    }

    @Override
    public final int pruneHistory() {
        return audit.prune();
    }

    /** Prunes the audit trail a minute after opening and every hour after, on a daemon thread. */
    private ScheduledExecutorService startPruning() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "configstore audit pruning " + parts.name());
            thread.setDaemon(true);
            return thread;
        });
        // Failures are caught in the task: a failed prune is retried at the next, never ends the schedule.
        var unused = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        audit.prune();
                    } catch (RuntimeException e) {
                        log.warn(
                                "{}: pruning the audit trail failed; it is tried again in an hour: {}",
                                parts.name(),
                                e.toString());
                    }
                },
                1,
                60,
                TimeUnit.MINUTES);
        return scheduler;
    }

    /**
     * Returns the backend the guild facades read and write, for the database modules' tests.
     *
     * @return the backend
     */
    protected final GuildSettingsBackend settingsBackend() {
        return guildBackend;
    }
}
