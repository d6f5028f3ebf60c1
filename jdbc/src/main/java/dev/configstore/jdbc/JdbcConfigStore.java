package dev.configstore.jdbc;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.guild.LoggingStore;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.internal.ChangeFeed;
import dev.configstore.jdbc.internal.JdbcGuildSettingsBackend;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.jdbc.internal.JdbcSettings;
import dev.configstore.jdbc.internal.JdbcSettingsBackend;
import dev.configstore.jdbc.internal.PooledDatabase;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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

    private static final Logger log = LoggerFactory.getLogger(JdbcConfigStore.class);

    private final StoreParts<?, ?> parts;
    private final JdbcGuildSettingsBackend guildBackend;
    private final GuildConfig guildConfig;
    private final Map<String, CachedKeyValueStore<String, String>> keyValueStores = new ConcurrentHashMap<>();
    private final Map<SettingsSchema, JdbcSettings> settings = new ConcurrentHashMap<>();
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
        try {
            this.guildBackend = new JdbcGuildSettingsBackend(parts.database(), parts.dialect(), parts.feed());
            this.guildConfig = GuildConfig.builder(guildBackend)
                    .defaults(parts.settings().defaults())
                    .cache(cache -> parts.settings().cache().accept(cache.name("guild-config " + parts.name())))
                    .build();
            caches.add(guildConfig.store());
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
            CachedKeyValueStore.Builder<String, String> cache = CachedKeyValueStore.builder(
                    new JdbcKeyValueBackend(parts.database(), parts.dialect(), ns, parts.feed()));
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
        Arguments.notNull(schema, "schema");
        JdbcSettings existing = settings.get(schema);
        if (existing != null) {
            return existing;
        }
        boolean[] built = {false};
        JdbcSettings made = settings.computeIfAbsent(schema, declared -> {
            built[0] = true;
            return new JdbcSettings(
                    declared,
                    new JdbcSettingsBackend(parts.database(), parts.dialect(), parts.feed()),
                    parts.settings().cache(),
                    parts.name());
        });
        if (built[0]) {
            cachesBuilt(made.caches());
        }
        return made;
    }

    @Override
    public final String name() {
        return parts.name();
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
    public final ChangeFeedStats changeFeedStats() {
        ChangeFeed feed = parts.feed();
        return feed == null ? new ChangeFeedStats(0, 0, 0, 0, 0) : feed.stats();
    }

    /** Stops the change feed, closes every cache, then the connection pool. */
    @Override
    public final void close() {
        parts.close(() -> {
            guildConfig.close();
            keyValueStores.values().forEach(CachedKeyValueStore::close);
            settings.values().forEach(JdbcSettings::close);
        });
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
