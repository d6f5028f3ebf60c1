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
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.internal.StoreParts;
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
public final class SqliteConfigStore implements ConfigStore {

    /** The schema version this configstore writes; a file with a higher one is refused. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private final SqliteDatabase database;
    private final @Nullable SqliteChangeFeed feed;
    private final Builder settings;
    private final StoreParts parts;

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
        SqliteChangeFeed started = null;
        try {
            started = builder.changeFeed == FeedMode.OFF
                    ? null
                    : SqliteChangeFeed.start(
                            database, builder.changeFeedInterval, builder.changeFeed == FeedMode.THREADS);
            this.parts = new StoreParts(
                    database,
                    SqliteSql.INSTANCE,
                    started,
                    builder.defaults,
                    this::configure,
                    builder.file.getFileName().toString());
        } catch (RuntimeException | Error e) {
            // The caller gets no store to close, so nothing opened so far may outlive this call.
            StoreParts.closeAfterFailedBuild(started, database::close, e);
            throw e;
        }
        this.feed = started;
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
     * Returns the database file.
     *
     * @return the path given to the builder
     */
    public Path file() {
        return settings.file;
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
