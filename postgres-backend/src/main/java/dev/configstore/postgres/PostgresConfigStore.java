package dev.configstore.postgres;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.Ticker;
import dev.configstore.WritePolicy;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.guild.LoggingStore;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * configstore on a PostgreSQL database: from a JDBC URL (or a {@link DataSource}) to working,
 * cached settings shared by every process that uses the same schema.
 *
 * <pre>{@code
 * try (PostgresConfigStore config =
 *         PostgresConfigStore.builder("jdbc:postgresql://db:5432/bot?user=bot").build()) {
 *     config.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
 *     Optional<String> channel = config.loggingStore().getLoggingChannelId("123456789012345678");
 * }
 * }</pre>
 *
 * <p>Building runs the schema migrations in one transaction under an advisory lock (creating the
 * schema and its tables if needed, adopting an existing bot's {@code guild_config} table, refusing
 * without any change a schema written by a newer configstore), starts a pool of connections, and
 * starts the change feed. Every PostgreSQL failure reaches the caller as a {@link StoreException}
 * whose reason and message say what is wrong and what to do; a failed write changes neither the
 * database nor any cache, and the same object recovers once the fault is gone.
 *
 * <p>Coherence: once a write through this store has returned, its caches never serve the value it
 * replaced. A change committed by any other writer (another process, another host, psql) reaches
 * this store's caches within the change feed's notification latency, and never later than the
 * time-to-live, even if the feed's connection is lost; a feed that reconnects applies every
 * change committed while it was away (or drops every cache if some of them are gone) before it
 * does anything else.
 *
 * <p>Safe for use by many threads; build one per schema and process, and close it on shutdown.
 */
public final class PostgresConfigStore implements ConfigStore {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
    private static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(30);

    private final PostgresDatabase database;
    private final @Nullable PostgresChangeFeed feed;
    private final Builder settings;
    private final StoreParts parts;

    private PostgresConfigStore(Builder builder) {
        this.settings = builder;
        this.database = PostgresDatabase.open(new PostgresDatabase.Settings(
                builder.dataSource, builder.schema, builder.poolSize, builder.busyTimeout, builder.networkTimeout()));
        @Nullable PostgresChangeFeed started = null;
        try {
            started = builder.changeFeed == FeedMode.OFF
                    ? null
                    : PostgresChangeFeed.start(
                            database, builder.changeFeedInterval, builder.changeFeed == FeedMode.THREADS);
            builder.afterFeedStarted.run();
            this.parts = new StoreParts(
                    database, new PostgresSql(database), started, builder.defaults, this::configure, builder.schema);
        } catch (RuntimeException | Error e) {
            // The caller gets no store to close, so nothing opened so far may outlive this call.
            StoreParts.closeAfterFailedBuild(started, database::close, e);
            throw e;
        }
        this.feed = started;
    }

    /**
     * Starts configuring a store on the database a JDBC URL names.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://localhost:5432/bot?user=bot&password=…}
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code jdbcUrl} is null or not a PostgreSQL JDBC URL
     */
    public static Builder builder(String jdbcUrl) {
        Arguments.notNull(jdbcUrl, "jdbcUrl");
        String shown = withoutParameters(jdbcUrl);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "jdbcUrl must start with \"jdbc:postgresql:\" (jdbc:postgresql://host:port/database?user=…),"
                            + " got \"" + shown + "\"");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "jdbcUrl must be a URL the PostgreSQL driver can read (jdbc:postgresql://host:port/database"
                            + "?user=…), got \"" + shown + "\"");
        }
        return new Builder(dataSource);
    }

    /**
     * Starts configuring a store on the database of a {@link DataSource}. The store pools the
     * connections it gets from it (so give a plain one, such as {@code PGSimpleDataSource}), and
     * its change feed holds one more connection of its own.
     *
     * @param dataSource connections to a PostgreSQL database
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Arguments.notNull(dataSource, "dataSource"));
    }

    /** The URL up to its parameters, which may hold a password. */
    private static String withoutParameters(String jdbcUrl) {
        int parameters = jdbcUrl.indexOf('?');
        return parameters < 0 ? jdbcUrl : jdbcUrl.substring(0, parameters) + "?…";
    }

    @Override
    public LoggingStore loggingStore() {
        return parts.loggingStore();
    }

    @Override
    public FlaggerStore flaggerStore() {
        return parts.flaggerStore();
    }

    @Override
    public GuildConfig guildConfig() {
        return parts.guildConfig();
    }

    @Override
    public CachedKeyValueStore<String, String> keyValueStore(String namespace) {
        return parts.keyValueStore(namespace);
    }

    @Override
    public List<String> keys(String namespace, long offset, int limit) {
        return parts.keys(namespace, offset, limit);
    }

    @Override
    public ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener) {
        return parts.watchKeyValueChanges(namespace, listener);
    }

    @Override
    public List<String> guildIds(long offset, int limit) {
        return parts.guildIds(offset, limit);
    }

    @Override
    public long guildCount() {
        return parts.guildCount();
    }

    @Override
    public long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action) {
        return parts.forEachGuildSettings(action);
    }

    @Override
    public ChangeSubscription watchGuildChanges(ChangeListener<String> listener) {
        return parts.watchGuildChanges(listener);
    }

    /**
     * Returns the schema the store's tables are in.
     *
     * @return the name given to the builder, or {@code configstore}
     */
    public String schema() {
        return settings.schema;
    }

    @Override
    public ChangeFeedStats changeFeedStats() {
        return parts.changeFeedStats();
    }

    @Override
    public void close() {
        parts.close(database::close);
    }

    GuildSettingsBackend guildSettingsBackend() {
        return parts.guildBackend();
    }

    PostgresDatabase database() {
        return database;
    }

    PostgresChangeFeed feed() {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled");
        }
        return feed;
    }

    /** Reads the change log now, as the feed's thread would; for tests that drive the feed. */
    void pollChangesNow() {
        feed().pollNow();
    }

    /** Whether the change feed runs on a thread of its own, only when tests poll, or not at all. */
    enum FeedMode {
        THREADS,
        MANUAL,
        OFF
    }

    private void configure(CachedKeyValueStore.Builder<?, ?> cache) {
        cache.expireAfterWrite(settings.expireAfterWrite)
                .maximumSize(settings.maximumSize)
                .ticker(settings.ticker)
                .writePolicy(settings.writePolicy);
        if (settings.serveStaleOnError != null) {
            cache.serveStaleOnError(settings.serveStaleOnError);
        }
    }

    @Override
    public String toString() {
        return "PostgresConfigStore[" + database.server + "]";
    }

    /**
     * Settings for a {@link PostgresConfigStore}, each checked when given with a message naming it.
     *
     * <p>Defaults: schema {@code configstore}, entries cached for 60 seconds, at most 10,000 per
     * store, a pool of 4 connections, a busy timeout of 5 seconds, a network timeout of 30 seconds
     * (or twice the busy timeout if that is longer), no environment defaults, the
     * system ticker, {@link WritePolicy#INVALIDATE}, the change feed on with a 1 second poll
     * interval.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = "configstore";
        private Duration expireAfterWrite = Duration.ofSeconds(60);
        private long maximumSize = 10_000;
        private int poolSize = 4;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private @Nullable Duration networkTimeout;
        private ConfigDefaults defaults = ConfigDefaults.none();
        private Ticker ticker = Ticker.system();
        private WritePolicy writePolicy = WritePolicy.INVALIDATE;
        private @Nullable Duration serveStaleOnError;
        private Duration changeFeedInterval = Duration.ofSeconds(1);
        private FeedMode changeFeed = FeedMode.THREADS;
        private Runnable afterFeedStarted = () -> {};

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Sets the schema that holds the store's tables; it is created if missing. Processes that
         * should share settings use the same schema; a bot's existing {@code guild_config} table
         * is adopted where it is.
         *
         * @param name 1 to 48 lowercase letters, digits or {@code _}, starting with a letter or
         *     {@code _}, and not starting with {@code pg_}; {@code configstore} by default
         * @return this builder
         * @throws IllegalArgumentException if it is null or breaks that rule
         */
        public Builder schema(String name) {
            if (name == null || !SCHEMA.matcher(name).matches() || name.startsWith("pg_")) {
                throw new IllegalArgumentException("schema must be 1 to 48 lowercase letters, digits or '_',"
                        + " starting with a letter or '_' and not with 'pg_', got "
                        + (name == null ? "null" : "\"" + name + "\""));
            }
            this.schema = name;
            return this;
        }

        /**
         * Sets how long a value is served from the cache without reading the database; also the
         * longest a change made elsewhere can stay unseen if the change feed fails.
         *
         * @param timeToLive positive, at most 100 years
         * @return this builder
         * @throws IllegalArgumentException if it is null, not positive or too long
         */
        public Builder expireAfterWrite(Duration timeToLive) {
            Arguments.positiveNanos(timeToLive, "expireAfterWrite");
            this.expireAfterWrite = timeToLive;
            return this;
        }

        /**
         * Sets how many entries each cache keeps at most.
         *
         * @param entries positive
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder maximumSize(long entries) {
            this.maximumSize = Arguments.positive(entries, "maximumSize");
            return this;
        }

        /**
         * Sets how many connections the pool keeps open at most. Reads are served from the cache,
         * so a few are plenty; the change feed holds one more.
         *
         * @param connections from 1 to 64
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder poolSize(int connections) {
            if (connections < 1 || connections > 64) {
                throw new IllegalArgumentException("poolSize must be between 1 and 64, got " + connections);
            }
            this.poolSize = connections;
            return this;
        }

        /**
         * Sets how long a write waits for a row locked by another transaction ({@code
         * lock_timeout}), and an operation for a free pooled connection, before failing with
         * {@link StoreException.Reason#BUSY} or {@link StoreException.Reason#UNAVAILABLE}.
         *
         * @param timeout positive, at most one hour
         * @return this builder
         * @throws IllegalArgumentException if it is null, not positive or longer than an hour
         */
        public Builder busyTimeout(Duration timeout) {
            Arguments.positiveNanos(timeout, "busyTimeout");
            if (timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("busyTimeout must be at most PT1H, got " + timeout);
            }
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("busyTimeout must be at least 1 ms, got " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Sets how long an operation waits for the server to answer before its connection counts
         * as lost: a network that silently drops the connection, or a host that stalls, then
         * fails the operation with {@link StoreException.Reason#UNAVAILABLE} (a write with an
         * unknown outcome, {@link StoreException.Reason#UNKNOWN}) instead of blocking the caller,
         * and the connection is replaced. Opening the store (the migrations) does not time out.
         *
         * @param timeout positive, at most one hour, and longer than {@link #busyTimeout}; 30
         *     seconds by default, or twice the busy timeout if that is longer
         * @return this builder
         * @throws IllegalArgumentException if it is null, not positive or longer than an hour
         */
        public Builder networkTimeout(Duration timeout) {
            Arguments.positiveNanos(timeout, "networkTimeout");
            if (timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("networkTimeout must be at most PT1H, got " + timeout);
            }
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("networkTimeout must be at least 1 ms, got " + timeout);
            }
            this.networkTimeout = timeout;
            return this;
        }

        /** The network timeout given, or the default: 30 s, or twice the busy timeout if longer. */
        private Duration networkTimeout() {
            if (networkTimeout != null) {
                return networkTimeout;
            }
            Duration twiceBusy = busyTimeout.multipliedBy(2);
            return twiceBusy.compareTo(DEFAULT_NETWORK_TIMEOUT) > 0 ? twiceBusy : DEFAULT_NETWORK_TIMEOUT;
        }

        /**
         * Sets the defaults guilds fall back to.
         *
         * @param defaults for example {@link ConfigDefaults#fromEnvironment()}
         * @return this builder
         * @throws IllegalArgumentException if it is null
         */
        public Builder defaults(ConfigDefaults defaults) {
            this.defaults = Arguments.notNull(defaults, "defaults");
            return this;
        }

        /**
         * Sets the source of time for expiry; tests pass one they advance by hand.
         *
         * @param ticker the ticker
         * @return this builder
         * @throws IllegalArgumentException if it is null
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Arguments.notNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets the write policy of every cache; see {@link WritePolicy}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if it is null
         */
        public Builder writePolicy(WritePolicy policy) {
            this.writePolicy = Arguments.notNull(policy, "writePolicy");
            return this;
        }

        /**
         * Lets reads serve values that expired at most {@code maxStaleness} ago when the database
         * cannot be read; see {@link CachedKeyValueStore.Builder#serveStaleOnError}.
         *
         * @param maxStaleness positive
         * @return this builder
         * @throws IllegalArgumentException if it is null or not positive
         */
        public Builder serveStaleOnError(Duration maxStaleness) {
            Arguments.positiveNanos(maxStaleness, "serveStaleOnError");
            this.serveStaleOnError = maxStaleness;
            return this;
        }

        /**
         * Sets how often the change feed reads the change log when no notification arrives, and
         * how soon it retries after losing its connection. Notifications normally bring a change
         * within milliseconds; the interval is the safety net.
         *
         * @param interval positive, at most one hour; 1 second by default
         * @return this builder
         * @throws IllegalArgumentException if it is null, not positive or longer than an hour
         */
        public Builder changeFeedInterval(Duration interval) {
            Arguments.positiveNanos(interval, "changeFeedInterval");
            if (interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("changeFeedInterval must be at most PT1H, got " + interval);
            }
            this.changeFeedInterval = interval;
            return this;
        }

        /**
         * Turns the change feed off: changes made by other processes are then seen only when
         * cached values expire. Use it when this process is the only writer.
         *
         * @return this builder
         */
        public Builder disableChangeFeed() {
            this.changeFeed = FeedMode.OFF;
            return this;
        }

        /** Keeps the change feed's thread from starting: tests drive it with pollChangesNow(). */
        Builder manualChangeFeed() {
            this.changeFeed = FeedMode.MANUAL;
            return this;
        }

        /** Runs {@code step} once the change feed has started; for tests that make building fail there. */
        Builder afterFeedStarted(Runnable step) {
            this.afterFeedStarted = step;
            return this;
        }

        /**
         * Connects, migrates the schema and starts the store.
         *
         * @return the open store
         * @throws IllegalArgumentException if {@link #networkTimeout} was set no longer than
         *     {@link #busyTimeout}
         * @throws StoreException if the database cannot be reached, refuses the login, or holds a
         *     schema from a newer configstore or a {@code guild_config} table that cannot be
         *     adopted; the schema is then left as it was
         */
        public PostgresConfigStore build() {
            if (networkTimeout != null && networkTimeout.compareTo(busyTimeout) <= 0) {
                // A write waiting for a locked row would otherwise count as a lost connection.
                throw new IllegalArgumentException("networkTimeout must be longer than busyTimeout, got networkTimeout "
                        + networkTimeout + " and busyTimeout " + busyTimeout
                        + "; raise networkTimeout or lower busyTimeout");
            }
            return new PostgresConfigStore(this);
        }
    }
}
