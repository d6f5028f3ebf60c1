package dev.configstore.jdbc.internal;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.LoggingStore;
import dev.configstore.internal.Arguments;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a database's store is made of once its database is open and its change feed started: the
 * guild settings and their facades, the key-value stores of every namespace, the listings and the
 * watches, all the same on every database. The database modules' public store classes hold one
 * and pass {@link dev.configstore.jdbc.ConfigStore}'s methods to it.
 */
public final class StoreParts {

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final @Nullable ChangeFeed feed;
    private final Consumer<CachedKeyValueStore.Builder<?, ?>> cacheSettings;
    private final String name;
    private final JdbcGuildSettingsBackend guildBackend;
    private final GuildConfig guildConfig;
    private final Map<String, CachedKeyValueStore<String, String>> keyValueStores = new ConcurrentHashMap<>();

    /**
     * Puts a store together.
     *
     * @param database the open database
     * @param dialect its SQL
     * @param feed its started change feed, or null if it has none
     * @param defaults what guilds fall back to
     * @param cacheSettings applied to the builder of every cache the store makes
     * @param name how caches are named in logs and metrics (a file name, a schema)
     */
    public StoreParts(
            JdbcDatabase database,
            SqlDialect dialect,
            @Nullable ChangeFeed feed,
            ConfigDefaults defaults,
            Consumer<CachedKeyValueStore.Builder<?, ?>> cacheSettings,
            String name) {
        this.database = database;
        this.dialect = dialect;
        this.feed = feed;
        this.cacheSettings = cacheSettings;
        this.name = name;
        this.guildBackend = new JdbcGuildSettingsBackend(database, dialect, feed);
        this.guildConfig = GuildConfig.builder(guildBackend)
                .defaults(defaults)
                .cache(cache -> cacheSettings.accept(cache.name("guild-config " + name)))
                .build();
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#loggingStore()}.
     *
     * @return the facade
     */
    public LoggingStore loggingStore() {
        return guildConfig.loggingStore();
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#flaggerStore()}.
     *
     * @return the facade
     */
    public FlaggerStore flaggerStore() {
        return guildConfig.flaggerStore();
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#guildConfig()}.
     *
     * @return the guild settings
     */
    public GuildConfig guildConfig() {
        return guildConfig;
    }

    /**
     * The guild settings' backend, for tests.
     *
     * @return the backend
     */
    public JdbcGuildSettingsBackend guildBackend() {
        return guildBackend;
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#keyValueStore(String)}.
     *
     * @param namespace the namespace
     * @return its store
     */
    public CachedKeyValueStore<String, String> keyValueStore(String namespace) {
        return keyValueStores.computeIfAbsent(JdbcKeyValueBackend.requireNamespace(namespace), ns -> {
            CachedKeyValueStore.Builder<String, String> cache =
                    CachedKeyValueStore.builder(new JdbcKeyValueBackend(database, dialect, ns, feed));
            cacheSettings.accept(cache.name("kv " + ns + " " + name));
            return cache.build();
        });
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#keys}.
     *
     * @param namespace the namespace
     * @param offset keys skipped
     * @param limit keys at most
     * @return the keys
     */
    public List<String> keys(String namespace, long offset, int limit) {
        return new JdbcKeyValueBackend(database, dialect, JdbcKeyValueBackend.requireNamespace(namespace), null)
                .keys(offset, limit);
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#watchKeyValueChanges}.
     *
     * @param namespace the namespace
     * @param listener what to call
     * @return the subscription
     */
    public ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener) {
        String checked = JdbcKeyValueBackend.requireNamespace(namespace);
        return requireFeed().subscribe(JdbcKeyValueBackend.TABLE, checked, Arguments.notNull(listener, "listener"));
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#guildIds}.
     *
     * @param offset guilds skipped
     * @param limit guilds at most
     * @return the guild ids
     */
    public List<String> guildIds(long offset, int limit) {
        return guildBackend.guildIds(offset, limit);
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#guildCount()}.
     *
     * @return the number of guilds
     */
    public long guildCount() {
        return guildBackend.guildCount();
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#forEachGuildSettings}.
     *
     * @param action called per guild
     * @return how many guilds were read
     */
    public long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action) {
        return guildBackend.forEachGuildSettings(action);
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#watchGuildChanges}.
     *
     * @param listener what to call
     * @return the subscription
     */
    public ChangeSubscription watchGuildChanges(ChangeListener<String> listener) {
        Arguments.notNull(listener, "listener");
        return requireFeed().subscribe(JdbcGuildSettingsBackend.TABLE, "", listener);
    }

    /**
     * See {@link dev.configstore.jdbc.ConfigStore#changeFeedStats()}.
     *
     * @return the counters
     */
    public ChangeFeedStats changeFeedStats() {
        return feed == null ? new ChangeFeedStats(0, 0, 0, 0, 0) : feed.stats();
    }

    /**
     * Stops the change feed, closes every cache, then runs {@code closeDatabase}.
     *
     * @param closeDatabase closes the pool
     */
    public void close(Runnable closeDatabase) {
        try {
            if (feed != null) {
                feed.close();
            }
            guildConfig.close();
            keyValueStores.values().forEach(CachedKeyValueStore::close);
        } finally {
            closeDatabase.run();
        }
    }

    /**
     * Closes what a store's build opened before it failed, so that nothing outlives the failed
     * build; failures while closing are added to {@code failure}.
     *
     * @param feed the started feed, or null
     * @param closeDatabase closes the pool
     * @param failure why the build failed
     */
    public static void closeAfterFailedBuild(@Nullable ChangeFeed feed, Runnable closeDatabase, Throwable failure) {
        try {
            if (feed != null) {
                feed.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            closeDatabase.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private ChangeFeed requireFeed() {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled; build the store without disableChangeFeed()");
        }
        return feed;
    }
}
