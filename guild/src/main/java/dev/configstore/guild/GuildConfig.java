package dev.configstore.guild;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreStats;
import dev.configstore.internal.Arguments;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.SettingsSchema;
import java.util.function.Consumer;

/**
 * Per-guild settings for a bot: one cached row per guild in front of a {@link
 * GuildSettingsBackend}, read and changed through the typed facades {@link #loggingStore()} and
 * {@link #flaggerStore()}, which share that row.
 *
 * <pre>{@code
 * GuildConfig config = GuildConfig.builder(backend)
 *         .defaults(ConfigDefaults.fromEnvironment())
 *         .cache(cache -> cache.expireAfterWrite(Duration.ofSeconds(60)).maximumSize(1_000))
 *         .build();
 * Optional<String> channel = config.loggingStore().getLoggingChannelId(guildId);
 * }</pre>
 *
 * <p>The facades read each row through the {@link BuiltInSettings}, declared settings bound to the
 * row's columns: {@link #schema()} is them with the environment of {@link #defaults()}, and {@link
 * #snapshot(String)} shows how a guild's row resolves, with every stored value skipped as invalid.
 *
 * <p>Database-backed modules (such as {@code SqliteConfigStore}) build one for you. Safe for use
 * by many threads.
 */
public final class GuildConfig implements AutoCloseable {

    private final CachedKeyValueStore<String, GuildSettings> store;
    private final ConfigDefaults defaults;
    private final LoggingStore loggingStore;
    private final FlaggerStore flaggerStore;
    private final GuildRows rows;

    private GuildConfig(Builder builder) {
        CachedKeyValueStore.Builder<String, GuildSettings> cache =
                CachedKeyValueStore.builder(builder.backend).name("guild-config");
        builder.cacheSettings.accept(cache);
        // Set after the caller's settings, so it cannot be replaced: no read or write reaches the
        // backend with a guild id that is not a snowflake. Reads check only on a cache miss.
        this.store = cache.keyCheck(GuildRows::checkGuildId).build();
        this.defaults = builder.defaults;
        this.rows = new GuildRows(store, builder.backend, defaults, builder.onForgetGuild);
        this.loggingStore = new LoggingStore(rows);
        this.flaggerStore = new FlaggerStore(rows);
    }

    /**
     * Starts building the settings over a backend.
     *
     * @param backend where the settings are stored
     * @return a builder; by default no environment defaults and the store's default cache settings
     * @throws IllegalArgumentException if {@code backend} is null
     */
    public static Builder builder(GuildSettingsBackend backend) {
        return new Builder(Arguments.notNull(backend, "backend"));
    }

    /**
     * Returns the facade for logging channels.
     *
     * @return the logging store
     */
    public LoggingStore loggingStore() {
        return loggingStore;
    }

    /**
     * Returns the facade for flagging first messages.
     *
     * @return the flagger store
     */
    public FlaggerStore flaggerStore() {
        return flaggerStore;
    }

    /**
     * Returns the defaults guilds fall back to.
     *
     * @return the defaults given to the builder
     */
    public ConfigDefaults defaults() {
        return defaults;
    }

    /**
     * Returns the facades' settings as a schema: the {@link BuiltInSettings} with the environment
     * of {@link #defaults()}. Its {@link SettingsSchema#skippedValues()} counts the stored values
     * the facades skipped because they break a declaration's rules.
     *
     * @return the schema
     */
    public SettingsSchema schema() {
        return rows.schema;
    }

    /**
     * Returns a guild's row read through the {@link BuiltInSettings}, from the cache: the snapshot
     * the facades resolve, with each value's origin and the stored values skipped as invalid and
     * why. These settings are stored in table {@code guild_config}'s columns and changed through
     * the facades.
     *
     * @param guildId the guild's snowflake
     * @return the snapshot
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws dev.configstore.StoreException if the stored settings could not be read
     */
    public GuildSnapshot snapshot(String guildId) {
        return rows.snapshot(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Returns the cache's statistics.
     *
     * @return a snapshot of the counters
     */
    public StoreStats stats() {
        return store.stats();
    }

    /**
     * Returns the cached store of whole guild rows under the facades, for tools that list or
     * export settings. Changes should go through the facades, which validate them.
     *
     * @return the cached store
     */
    public CachedKeyValueStore<String, GuildSettings> store() {
        return store;
    }

    /** Closes the cache; the backend stays open. Every later call to a facade fails. */
    @Override
    public void close() {
        store.close();
    }

    /** Settings for a {@link GuildConfig}. */
    public static final class Builder {
        private final GuildSettingsBackend backend;
        private ConfigDefaults defaults = ConfigDefaults.none();
        private Consumer<CachedKeyValueStore.Builder<String, GuildSettings>> cacheSettings = cache -> {};
        private Consumer<String> onForgetGuild = guildId -> {};

        private Builder(GuildSettingsBackend backend) {
            this.backend = backend;
        }

        /**
         * Sets the defaults guilds fall back to; by default {@link ConfigDefaults#none()}.
         *
         * @param defaults the defaults, for example {@link ConfigDefaults#fromEnvironment()}
         * @return this builder
         * @throws IllegalArgumentException if {@code defaults} is null
         */
        public Builder defaults(ConfigDefaults defaults) {
            this.defaults = Arguments.notNull(defaults, "defaults");
            return this;
        }

        /**
         * Adjusts the cache: time-to-live, size, write policy, ticker, stale-if-error, name. The
         * store is named {@code guild-config} unless this changes it.
         *
         * @param settings applied to the cache's builder before it is built
         * @return this builder
         * @throws IllegalArgumentException if {@code settings} is null
         */
        public Builder cache(Consumer<CachedKeyValueStore.Builder<String, GuildSettings>> settings) {
            this.cacheSettings = Arguments.notNull(settings, "cache");
            return this;
        }

        /**
         * Adds what else to drop when a facade forgets a guild ({@link LoggingStore#forgetGuild}):
         * other caches that hold the guild's settings, so that forgetting a guild forgets all of
         * them. Runs after the facades' own entry is dropped, on the calling thread; replaces what
         * an earlier call set.
         *
         * @param action called with the guild's id; must not throw
         * @return this builder
         * @throws IllegalArgumentException if {@code action} is null
         */
        public Builder onForgetGuild(Consumer<String> action) {
            this.onForgetGuild = Arguments.notNull(action, "onForgetGuild");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings, with an empty cache
         */
        public GuildConfig build() {
            return new GuildConfig(this);
        }
    }
}
