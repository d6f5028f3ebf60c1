package dev.configstore.sqlite;

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
import dev.configstore.jdbc.internal.JdbcGuildSettingsBackend;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * configstore on one SQLite file: from a file name to working, cached settings.
 *
 * <pre>{@code
 * try (SqliteConfigStore config = SqliteConfigStore.open(Path.of("bot.db"))) {
 *     config.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
 *     Optional<String> channel = config.loggingStore().getLoggingChannelId("123456789012345678");
 * }
 * }</pre>
 *
 * <p>Opening creates the file and its folders if needed, refuses (without changing it) a file
 * that is not a database, is damaged or comes from a newer configstore, runs the schema
 * migrations (adopting an existing bot's {@code guild_config} table), and starts a small pool of
 * connections, each in WAL mode with {@code synchronous=NORMAL} (or {@code FULL}), a busy timeout
 * and foreign keys on. Every SQLite failure reaches the caller as a {@link StoreException} whose
 * reason and message say what is wrong and what to do; a failed write changes neither the file
 * nor any cache, and the same object recovers once the fault is gone.
 *
 * <p>Safe for use by many threads; open one per file and process, and close it on shutdown.
 */
public final class SqliteConfigStore implements AutoCloseable {

    /** The schema version this configstore writes; a file with a higher one is refused. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private final SqliteDatabase database;
    private final @Nullable SqliteChangeFeed feed;
    private final Builder settings;
    private final JdbcGuildSettingsBackend guildBackend;
    private final GuildConfig guildConfig;
    private final Map<String, CachedKeyValueStore<String, String>> keyValueStores = new ConcurrentHashMap<>();

    private SqliteConfigStore(Builder builder) {
        this.settings = builder;
        this.database = SqliteDatabase.open(new SqliteDatabase.Settings(
                builder.file,
                builder.poolSize,
                builder.busyTimeout,
                builder.synchronous,
                builder.readOnly,
                builder.createIfMissing,
                builder.maxPageCount));
        this.feed = builder.changeFeed == FeedMode.OFF
                ? null
                : SqliteChangeFeed.start(database, builder.changeFeedInterval, builder.changeFeed == FeedMode.THREADS);
        this.guildBackend = new JdbcGuildSettingsBackend(database, SqliteSql.INSTANCE, feed);
        this.guildConfig = GuildConfig.builder(guildBackend)
                .defaults(builder.defaults)
                .cache(cache -> configure(cache.name("guild-config " + builder.file.getFileName())))
                .build();
    }

    /**
     * Opens (or creates) a database file with the default settings.
     *
     * @param file the database file; its folders are created if needed
     * @return the open store
     * @throws IllegalArgumentException if {@code file} is null or a folder
     * @throws StoreException if the file cannot be opened, is not a database, is damaged or comes
     *     from a newer configstore; the file is then left as it was
     */
    public static SqliteConfigStore open(Path file) {
        return builder(file).build();
    }

    /**
     * Starts configuring a store on a database file.
     *
     * @param file the database file
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code file} is null
     */
    public static Builder builder(Path file) {
        return new Builder(Arguments.notNull(file, "file"));
    }

    /**
     * Lists, without changing the file, what opening it would migrate: tables, columns and
     * triggers to add, and the schema version to record.
     *
     * @param file the database file
     * @return one line per step; empty if the schema is complete and current
     * @throws IllegalArgumentException if {@code file} is null
     * @throws StoreException if the file is not a database, is damaged or comes from a newer
     *     configstore
     */
    public static List<String> pendingMigrations(Path file) {
        Path target = Arguments.notNull(file, "file").toAbsolutePath().normalize();
        Migrations.checkBeforeOpening(target);
        boolean empty;
        try {
            empty = !Files.exists(target) || Files.size(target) == 0;
        } catch (IOException e) {
            throw new StoreException(
                    StoreException.Reason.UNAVAILABLE, "Cannot read " + target + " (" + e.getMessage() + ").", e);
        }
        try (Connection connection = empty
                ? DriverManager.getConnection("jdbc:sqlite::memory:")
                : SqliteDatabase.readOnlyConnection(target)) {
            List<String> steps = new ArrayList<>();
            if (!Files.exists(target)) {
                steps.add("create the file " + target);
            }
            steps.addAll(Migrations.plan(connection, target));
            return steps;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target, "-", "reading the schema", Duration.ZERO);
        }
    }

    /**
     * Opens a JDBC connection that can only read a database file, for tools that inspect it
     * (integrity checks, counts) and must not change it: nothing is written through it, and no
     * write-ahead log is checkpointed into the file when it closes. A file that no process has
     * open is read without creating the {@code -wal} and {@code -shm} files beside it. Where a
     * write-ahead log exists but its {@code -shm} index does not (a copy of a database with its
     * log), SQLite creates the index to read the log; the database and the log stay as they were.
     *
     * @param file the database file
     * @return a connection the caller closes
     * @throws IllegalArgumentException if {@code file} is null
     * @throws StoreException if the file does not exist or cannot be opened
     */
    public static Connection openReadOnlyConnection(Path file) {
        Path target = Arguments.notNull(file, "file").toAbsolutePath().normalize();
        if (!Files.isRegularFile(target)) {
            throw new StoreException(
                    StoreException.Reason.UNAVAILABLE,
                    "The database " + target + " does not exist. Check the path.",
                    new NoSuchFileException(target.toString()));
        }
        try {
            return SqliteDatabase.readOnlyConnection(target);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target, "-", "opening the database to read it", Duration.ZERO);
        }
    }

    /**
     * Returns the logging channels of guilds, stored in table {@code guild_config}.
     *
     * @return the logging facade
     */
    public LoggingStore loggingStore() {
        return guildConfig.loggingStore();
    }

    /**
     * Returns the flagging setup of guilds, stored in table {@code guild_config}.
     *
     * @return the flagger facade
     */
    public FlaggerStore flaggerStore() {
        return guildConfig.flaggerStore();
    }

    /**
     * Returns the per-guild settings behind both facades, with their cache.
     *
     * @return the guild settings
     */
    public GuildConfig guildConfig() {
        return guildConfig;
    }

    /**
     * Returns the cached store of string keys and values in one namespace of table {@code
     * configstore_kv}; the same namespace always gives the same store.
     *
     * @param namespace 1 to 64 letters, digits, {@code _}, {@code .} or {@code -}, starting with
     *     a letter or digit
     * @return the store of that namespace
     * @throws IllegalArgumentException if {@code namespace} breaks that rule
     */
    public CachedKeyValueStore<String, String> keyValueStore(String namespace) {
        return keyValueStores.computeIfAbsent(JdbcKeyValueBackend.requireNamespace(namespace), name -> {
            JdbcKeyValueBackend backend = new JdbcKeyValueBackend(database, SqliteSql.INSTANCE, name, feed);
            CachedKeyValueStore.Builder<String, String> cache = CachedKeyValueStore.builder(backend);
            return configure(cache.name("kv " + name + " " + settings.file.getFileName()))
                    .build();
        });
    }

    /**
     * Lists the guilds that have at least one setting stored, in order of their ids, a page at a
     * time. Reads the file, not the cache.
     *
     * @param offset how many guilds to skip; not negative
     * @param limit how many guilds to return at most; from 1 to 10,000
     * @return the guild ids
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
     * @throws StoreException if the file cannot be read
     */
    public List<String> guildIds(long offset, int limit) {
        return guildBackend.guildIds(offset, limit);
    }

    /**
     * Reads the stored settings of every guild that has any, in order of their ids, in one read
     * transaction: {@code action} sees every guild as it was at one moment, however other
     * connections change the table meanwhile, so no guild is skipped or seen twice. Reads the
     * file, not the cache. {@code action} runs on the calling thread while the transaction is
     * open; changes made meanwhile, its own included, are not seen.
     *
     * @param action called once per guild with its id and its stored settings
     * @return how many guilds were read
     * @throws IllegalArgumentException if {@code action} is null
     * @throws StoreException if the file cannot be read; {@code action} may already have been
     *     called for some guilds
     */
    public long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action) {
        return guildBackend.forEachGuildSettings(action);
    }

    /**
     * Counts the guilds that have at least one setting stored. Reads the file, not the cache.
     *
     * @return the number of guilds
     * @throws StoreException if the file cannot be read
     */
    public long guildCount() {
        return guildBackend.guildCount();
    }

    /**
     * Lists the keys of one namespace of table {@code configstore_kv} that hold a value, in
     * order, a page at a time. Reads the table, not the cache.
     *
     * @param namespace the namespace, as for {@link #keyValueStore(String)}
     * @param offset how many keys to skip; not negative
     * @param limit how many keys to return at most; from 1 to 10,000
     * @return the keys
     * @throws IllegalArgumentException if the namespace, {@code offset} or {@code limit} is invalid
     * @throws StoreException if the table cannot be read
     */
    public List<String> keys(String namespace, long offset, int limit) {
        return new JdbcKeyValueBackend(
                        database, SqliteSql.INSTANCE, JdbcKeyValueBackend.requireNamespace(namespace), null)
                .keys(offset, limit);
    }

    /**
     * Calls {@code listener} whenever another process (or another store on the same file)
     * changes a key of one namespace of table {@code configstore_kv}, from the change feed's
     * thread; {@link ChangeListener#allChanged()} when changes may have been missed. A listener that
     * throws is logged and changes nothing else: the caches and the other listeners still get every
     * change.
     *
     * @param namespace the namespace, as for {@link #keyValueStore(String)}
     * @param listener what to call
     * @return a handle that stops the calls
     * @throws IllegalArgumentException if the namespace is invalid or the listener null
     * @throws IllegalStateException if the change feed is disabled
     */
    public ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener) {
        String checked = JdbcKeyValueBackend.requireNamespace(namespace);
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled; build the store without disableChangeFeed()");
        }
        return feed.subscribe(JdbcKeyValueBackend.TABLE, checked, Arguments.notNull(listener, "listener"));
    }

    /**
     * Calls {@code listener} whenever another process (or another store on the same file)
     * changes a guild's settings, from the change feed's thread; {@link ChangeListener#allChanged()}
     * when changes may have been missed. A listener that throws is logged and
     * changes nothing else: the caches and the other listeners still get every change.
     *
     * @param listener what to call
     * @return a handle that stops the calls
     * @throws IllegalStateException if the change feed is disabled
     */
    public ChangeSubscription watchGuildChanges(ChangeListener<String> listener) {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled; build the store without disableChangeFeed()");
        }
        return feed.subscribe(JdbcGuildSettingsBackend.TABLE, "", Arguments.notNull(listener, "listener"));
    }

    /**
     * Returns the database file.
     *
     * @return the path given to the builder
     */
    public Path file() {
        return settings.file;
    }

    /**
     * Returns what the change feed has done: how many changes made elsewhere it applied, how many
     * of this process's own it skipped, and its gaps and errors.
     *
     * @return a snapshot of its counters; all zero if the feed is disabled
     */
    public ChangeFeedStats changeFeedStats() {
        return feed == null ? new ChangeFeedStats(0, 0, 0, 0, 0) : feed.stats();
    }

    /** Stops the change feed, closes every cache and the connection pool. Calling it again does nothing. */
    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        guildConfig.close();
        keyValueStores.values().forEach(CachedKeyValueStore::close);
        database.close();
    }

    GuildSettingsBackend guildSettingsBackend() {
        return guildBackend;
    }

    SqliteDatabase database() {
        return database;
    }

    /** Prunes the change log now with the given limits; for tests. */
    void pruneChangeLogNow(int keepEntries, Duration keepFor, int keepRecent) {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled");
        }
        feed.prune(keepEntries, keepFor, keepRecent);
    }

    /** Reads the change log now, as the feed's poller would; for tests that drive the feed. */
    void pollChangesNow() {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled");
        }
        feed.pollNow();
    }

    /** Whether the change feed runs on threads of its own, only when tests poll, or not at all. */
    enum FeedMode {
        THREADS,
        MANUAL,
        OFF
    }

    private <K, V> CachedKeyValueStore.Builder<K, V> configure(CachedKeyValueStore.Builder<K, V> cache) {
        cache.expireAfterWrite(settings.expireAfterWrite)
                .maximumSize(settings.maximumSize)
                .ticker(settings.ticker)
                .writePolicy(settings.writePolicy);
        if (settings.serveStaleOnError != null) {
            cache.serveStaleOnError(settings.serveStaleOnError);
        }
        return cache;
    }

    @Override
    public String toString() {
        return "SqliteConfigStore[" + settings.file + "]";
    }

    /**
     * Settings for a {@link SqliteConfigStore}, each checked when given with a message naming it.
     *
     * <p>Defaults: entries cached for 60 seconds, at most 10,000 per store, a pool of 4
     * connections, a busy timeout of 5 seconds, {@link Synchronous#NORMAL}, no environment
     * defaults, the system ticker, {@link WritePolicy#INVALIDATE}, the file created if missing,
     * the change feed on with a 250 ms poll interval.
     */
    public static final class Builder {
        private final Path file;
        private Duration expireAfterWrite = Duration.ofSeconds(60);
        private long maximumSize = 10_000;
        private int poolSize = 4;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private Synchronous synchronous = Synchronous.NORMAL;
        private ConfigDefaults defaults = ConfigDefaults.none();
        private Ticker ticker = Ticker.system();
        private WritePolicy writePolicy = WritePolicy.INVALIDATE;
        private @Nullable Duration serveStaleOnError;
        private boolean readOnly;
        private boolean createIfMissing = true;
        private int maxPageCount;
        private Duration changeFeedInterval = Duration.ofMillis(250);
        private FeedMode changeFeed = FeedMode.THREADS;

        private Builder(Path file) {
            this.file = file.toAbsolutePath().normalize();
        }

        /**
         * Sets how long a value is served from the cache without reading the file.
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
         * Sets how many connections the pool keeps open at most. SQLite lets many connections read
         * at once but only one write at a time, so a few are plenty.
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
         * Sets how long an operation waits for a lock held by another writer, and for a free pooled
         * connection, before failing with {@link StoreException.Reason#BUSY} or {@link
         * StoreException.Reason#UNAVAILABLE}.
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
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Sets how hard SQLite works to make each commit survive a crash.
         *
         * @param mode {@link Synchronous#NORMAL} (the default) or {@link Synchronous#FULL}
         * @return this builder
         * @throws IllegalArgumentException if it is null
         */
        public Builder synchronous(Synchronous mode) {
            this.synchronous = Arguments.notNull(mode, "synchronous");
            return this;
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
         * Lets reads serve values that expired at most {@code maxStaleness} ago when the file
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
         * Opens the file read-only: nothing is ever written (every write fails with {@link
         * StoreException.Reason#READ_ONLY}), the file must exist, and its schema must be current.
         * Without it, a file this process cannot write is refused with {@link
         * StoreException.Reason#READ_ONLY}. With it, such a file can be read while another process
         * (the bot) has it open; one that no process has open is refused too, since SQLite would
         * create its {@code -wal} and {@code -shm} files to read it and leave them behind, where
         * the bot could not open them.
         *
         * @return this builder
         */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        /**
         * Sets whether a missing file is created (the default) or refused with {@link
         * StoreException.Reason#UNAVAILABLE}.
         *
         * @param create false to require an existing file
         * @return this builder
         */
        public Builder createIfMissing(boolean create) {
            this.createIfMissing = create;
            return this;
        }

        /**
         * Sets how often the change feed reads changes made by other processes, at the latest.
         * Where the file system reports changes to the database's files (Linux, macOS, Windows
         * local disks), a change is usually read within milliseconds of its commit; the interval
         * is the bound when it does not.
         *
         * @param interval positive, at most one hour; 250 ms by default
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

        /** Keeps the change feed's threads from starting: tests drive it with pollChangesNow(). */
        Builder manualChangeFeed() {
            this.changeFeed = FeedMode.MANUAL;
            return this;
        }

        /** Caps the database at this many pages, to let tests fill it. */
        Builder maxPageCount(int pages) {
            this.maxPageCount = pages;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws StoreException if the file cannot be opened (for writing, unless {@link
         *     #readOnly()}), is not a database, is damaged or comes from a newer configstore; the
         *     file is then left as it was
         */
        public SqliteConfigStore build() {
            return new SqliteConfigStore(this);
        }
    }
}
