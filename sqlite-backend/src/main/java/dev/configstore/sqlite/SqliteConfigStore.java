package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.JdbcConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.jdbc.internal.StoreSettings;
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
public final class SqliteConfigStore extends JdbcConfigStore {

    /** The schema version this configstore writes; a file with a higher one is refused. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private final Path file;
    private final StoreParts<SqliteDatabase, SqliteChangeFeed> parts;

    private SqliteConfigStore(Path file, StoreParts<SqliteDatabase, SqliteChangeFeed> parts) {
        super(parts);
        this.file = file;
        this.parts = parts;
    }

    @Override
    protected int expectedSchemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    protected @Nullable String unreachableBecause() {
        // Open connections keep reading a file that was moved or deleted; a process that opens
        // it anew would not find it.
        if (!Files.exists(file)) {
            return "The database file " + file + " does not exist any more: it, or a folder above it, was moved,"
                    + " renamed or deleted. Put it back, or restart the process on the right path.";
        }
        return null;
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
     * Returns the database file.
     *
     * @return the path given to the builder
     */
    public Path file() {
        return file;
    }

    GuildSettingsBackend guildSettingsBackend() {
        return settingsBackend();
    }

    SqliteDatabase database() {
        return parts.database();
    }

    /** Prunes the change log now with the given limits; for tests. */
    void pruneChangeLogNow(int keepEntries, Duration keepFor, int keepRecent) {
        parts.requireFeed().prune(keepEntries, keepFor, keepRecent);
    }

    /** Reads the change log now, as the feed's poller would; for tests that drive the feed. */
    void pollChangesNow() {
        parts.requireFeed().pollNow();
    }

    @Override
    public String toString() {
        return "SqliteConfigStore[" + file + "]";
    }

    /**
     * Settings for a {@link SqliteConfigStore}, each checked when given with a message naming it;
     * those every database has are described on {@link StoreBuilder}.
     *
     * <p>Defaults: caches of 60 seconds and 10,000 entries each, a pool of 4 connections, a busy
     * timeout of 5 seconds, {@link Synchronous#NORMAL}, no environment defaults, the file created
     * if missing, the change feed on with a 250 ms poll interval.
     */
    public static final class Builder extends StoreBuilder<Builder, SqliteConfigStore> {
        private final Path file;
        private Synchronous synchronous = Synchronous.NORMAL;
        private boolean readOnly;
        private boolean createIfMissing = true;
        private int maxPageCount;

        private Builder(Path file) {
            super(Duration.ofMillis(250));
            this.file = file.toAbsolutePath().normalize();
        }

        @Override
        protected Builder self() {
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

        /** Keeps the change feed's threads from starting: tests drive it with pollChangesNow(). */
        Builder manualChangeFeed() {
            return changeFeedMode(FeedMode.MANUAL);
        }

        /** Caps the database at this many pages, to let tests fill it. */
        Builder maxPageCount(int pages) {
            this.maxPageCount = pages;
            return this;
        }

        /**
         * Opens the store. Where the file system reports changes to the database's files (Linux,
         * macOS, Windows local disks), the change feed reads a change within milliseconds of its
         * commit; {@link #changeFeedInterval} is the bound when it does not.
         *
         * @return the open store
         * @throws StoreException if the file cannot be opened (for writing, unless {@link
         *     #readOnly()}), is not a database, is damaged or comes from a newer configstore; the
         *     file is then left as it was, and nothing is left open
         */
        @Override
        public SqliteConfigStore build() {
            StoreSettings settings = storeSettings();
            SqliteDatabase database = SqliteDatabase.open(new SqliteDatabase.Settings(
                    file,
                    settings.poolSize(),
                    settings.busyTimeout(),
                    synchronous,
                    readOnly,
                    createIfMissing,
                    maxPageCount));
            return new SqliteConfigStore(
                    file,
                    StoreParts.start(
                            database,
                            database::close,
                            SqliteSql.INSTANCE,
                            settings,
                            file.getFileName().toString(),
                            SqliteChangeFeed::start));
        }
    }
}
