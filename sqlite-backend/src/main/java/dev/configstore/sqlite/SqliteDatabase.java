package dev.configstore.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.OutcomeUnknownException;
import dev.configstore.jdbc.internal.PooledDatabase;
import dev.configstore.jdbc.internal.PooledWork;
import dev.configstore.jdbc.internal.SqlWork;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * One SQLite file behind a connection pool. Every pooled connection gets the same settings
 * (WAL, synchronous, busy timeout, foreign keys, immediate transactions) from the driver's
 * configuration, so none can be missed. Every operation first checks that the file is still the
 * one that was opened: SQLite keeps writing to a deleted or replaced file's old inode, and
 * those writes would be lost.
 */
final class SqliteDatabase extends PooledDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.database");

    /** What the pool needs to know; all of it already validated by the builder. */
    record Settings(
            Path file,
            int poolSize,
            Duration busyTimeout,
            Synchronous synchronous,
            boolean readOnly,
            boolean createIfMissing,
            int maxPageCount) {}

    /** How long a passed check of the file's identity holds for reads: 100 ms. */
    static final long READ_RECHECK_NANOS = 100_000_000L;

    final Path file;
    final Duration busyTimeout;
    final boolean readOnly;
    private final HikariDataSource pool;
    private final @Nullable Object fileKey;
    /** When the file's identity was last found unchanged, by {@link System#nanoTime()}. */
    private volatile long fileVerifiedAt;
    /** Whether it was, and no check failed since. */
    private volatile boolean fileVerified;
    /** Held by the one thread of this process that writes; see {@link #lockForWriting}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * A connection held open for the store's whole life, outside the pool: SQLite deletes the
     * write-ahead log when the last connection to the database closes, and holding one keeps the
     * log, and so its identity, fixed while the store is open. Null for a read-only store.
     */
    private @Nullable Connection walHolder;
    /** Whether a write was refused as read-only since the pool's connections were last replaced. */
    private volatile boolean connectionsMayBeReadOnly;
    /** The write-ahead log's identity while the store is open, or null if it is not watched. */
    private @Nullable Object walKey;

    private SqliteDatabase(Settings settings, HikariDataSource pool, @Nullable Object fileKey) {
        super(PooledWork.inProcess(
                PooledWork.Pool.of(pool), new SqliteErrors(settings.file(), settings.busyTimeout())));
        this.file = settings.file();
        this.busyTimeout = settings.busyTimeout();
        this.readOnly = settings.readOnly();
        this.pool = pool;
        this.fileKey = fileKey;
    }

    /**
     * Opens the file: refuses a file that is not a database or was written by a newer
     * configstore without changing it, then starts the pool and migrates the schema.
     */
    static SqliteDatabase open(Settings settings) {
        Path file = settings.file();
        prepareFile(settings);
        Migrations.checkBeforeOpening(file);
        HikariDataSource pool = startPool(settings);
        try {
            SqliteDatabase database = new SqliteDatabase(settings, pool, fileKey(file));
            try {
                database.migrate();
                if (!settings.readOnly()) {
                    database.holdWriteAheadLog();
                }
                return database;
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens the connection that keeps the write-ahead log in place, reads through it once (which
     * opens the log), and notes the log's identity, so that a log deleted or replaced under the
     * running store is found before a write is acknowledged.
     */
    private void holdWriteAheadLog() {
        String what = "opening the write-ahead log";
        try {
            Connection connection = pool.getDataSource().getConnection();
            walHolder = connection;
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
                row.next();
            }
        } catch (SQLException e) {
            throw translate(e, "-", what);
        }
        walKey = fileKey(writeAheadLog());
    }

    private Path writeAheadLog() {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    private static void prepareFile(Settings settings) {
        Path file = settings.file();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("file " + file
                    + " is a folder; give the path of a database file, such as " + file.resolve("configstore.db"));
        }
        if (Files.exists(file)) {
            checkAccess(settings);
            return;
        }
        if (!settings.createIfMissing() || settings.readOnly()) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "The database " + file + " does not exist. Check the path"
                            + (settings.readOnly()
                                    ? "; a read-only store never creates one."
                                    : ", or allow creating it."),
                    new NoSuchFileException(file.toString()));
        }
        Path folder = file.toAbsolutePath().getParent();
        try {
            if (folder != null) {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot create the folder " + folder + " for the database " + file + " (" + e.getMessage()
                            + "). Create it, or choose a writable path.",
                    e);
        }
        // Created here, empty (which SQLite reads as an empty database), because the store's
        // connections never create it: see startPool.
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // Another process created it meanwhile: open that one.
        } catch (IOException e) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot create the database " + file + " (" + e.getMessage()
                            + "). Check that its folder is writable, or choose another path.",
                    e);
        }
    }

    /**
     * Refuses, before SQLite opens it, a file this process cannot write where SQLite would
     * otherwise leave files behind: SQLite opens such a file read-only without saying so, and a
     * read-only connection to a WAL database that no process has open creates its {@code -wal} and
     * {@code -shm} files and cannot remove them, with this process's owner and the database's
     * permissions, where a writer (the bot) may later be unable to open them.
     */
    private static void checkAccess(Settings settings) {
        Path file = settings.file();
        if (Files.isWritable(file)) {
            return;
        }
        if (!settings.readOnly()) {
            throw new StoreException(
                    Reason.READ_ONLY,
                    "The database " + file + " is read-only for this process; nothing was opened or changed. Make the"
                            + " file writable by this process (and the disk not mounted read-only); to only read it,"
                            + " open it read-only.",
                    new AccessDeniedException(file.toString(), null, "not writable"));
        }
        if (isWalAtRest(file)) {
            throw new StoreException(
                    Reason.READ_ONLY,
                    "The database " + file + " is read-only for this process and no process has it open: reading it"
                            + " would leave -wal and -shm files beside it that a writer could not use, so nothing was"
                            + " opened. Read it while the bot has it open, or as a user who can write it.",
                    new AccessDeniedException(file.toString(), null, "not writable, and no write-ahead log"));
        }
    }

    private static HikariDataSource startPool(Settings settings) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(
                (int) Math.min(Integer.MAX_VALUE, settings.busyTimeout().toMillis()));
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        if (settings.readOnly()) {
            config.setReadOnly(true);
        } else {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(
                    settings.synchronous() == Synchronous.FULL
                            ? SQLiteConfig.SynchronousMode.FULL
                            : SQLiteConfig.SynchronousMode.NORMAL);
        }
        if (settings.maxPageCount() > 0) {
            config.setMaxPageCount(settings.maxPageCount());
        }
        // No connection of the store creates the file: one deleted or moved while the store is
        // open would otherwise come back empty at the path as soon as the pool opened another
        // connection, and the store would report a replaced file instead of a missing one.
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + settings.file());

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("configstore-sqlite " + settings.file().getFileName());
        hikari.setDataSource(dataSource);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, settings.busyTimeout().toMillis()));
        hikari.setAutoCommit(true);
        // Hikari sets every connection's read-only flag to its own; it must match how SQLite
        // opened the connection, which the driver cannot change afterwards.
        hikari.setReadOnly(settings.readOnly());
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw SqliteErrors.translate(sql, settings.file(), "-", "opening the database", settings.busyTimeout());
            }
            throw new StoreException(
                    Reason.UNAVAILABLE, "Cannot open the database " + settings.file() + ": " + e.getMessage(), e);
        }
    }

    private void migrate() {
        if (readOnly) {
            read("-", "checking the schema", Migrations::requireCurrent);
            return;
        }
        int before = transaction("-", "migrating the schema", Migrations::migrate);
        log.info(
                "configstore-sqlite {}: opened (schema version {}{}), WAL",
                file,
                Migrations.LATEST,
                before == Migrations.LATEST ? "" : ", migrated from " + before);
    }

    /**
     * Runs read-only work on a pooled connection in autocommit mode. The file's identity is
     * checked as for a write, but at most once per {@link #READ_RECHECK_NANOS} after a check that
     * passed: a read of a file deleted or replaced within that window sees the file as it was, as
     * any process that had it open would, while a write never goes unchecked.
     */
    @Override
    public <T> T read(String table, String what, SqlWork<T> work) {
        if (!fileVerified || System.nanoTime() - fileVerifiedAt >= READ_RECHECK_NANOS) {
            checkSameFile(what);
        }
        return super.read(table, what, work);
    }

    /**
     * Runs one change on a pooled connection, in a transaction of its own, after checking that the
     * file is still the one opened: SQLite would write a deleted file's pages and lose them.
     *
     * <p>Never autocommitted: SQLite commits an autocommitted statement when the statement is
     * reset, and a driver reports an error at reset only to a caller that asks for the next row.
     * A commit that fails there (a full disk, an immutable file, a failed write) would be lost
     * without a trace. An explicit {@code COMMIT} reports its outcome, always.
     */
    @Override
    public <T> T write(String table, String what, SqlWork<T> work) {
        return transaction(table, what, work);
    }

    /**
     * Takes this process's turn to write. SQLite lets one connection write at a time; a
     * connection that finds the write lock taken waits in SQLite's busy handler, which sleeps
     * (1 ms, then 2, 5, 10… up to 100 ms) and can wait long after the lock was freed. Writers of
     * one process queue here instead, and are handed the turn as soon as it is free; SQLite's
     * busy handler is left for writers in other processes.
     */
    private void lockForWriting(String what) {
        try {
            if (writeLock.tryLock(busyTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Interrupted while waiting for another write to " + file + " to finish (while " + what
                            + "); nothing was changed.",
                    e);
        }
        throw new StoreException(
                Reason.BUSY,
                "Another write of this process held the database " + file + " for longer than the busy timeout ("
                        + busyTimeout.toMillis() + " ms) while " + what + "; nothing was changed. Retry; if it keeps"
                        + " happening, look for a long transaction in the bot, or raise busyTimeout.",
                new TimeoutException("waited " + busyTimeout.toMillis() + " ms for the write lock"));
    }

    /**
     * Runs work in one immediate transaction (the write lock is taken at the start, so the
     * transaction cannot fail later for lack of it). Commits if the work returns; rolls back and
     * rethrows if it throws. A connection that failed inside a transaction is discarded, not
     * returned to the pool: after some errors SQLite has already rolled back while the driver
     * still believes a transaction is open. Refuses to start when the write-ahead log is not the one
     * the store opened, and reports a commit that went to a replaced log as of unknown outcome. A
     * transaction that a connection SQLite opened read-only refused at its start (before the work
     * ran) is tried once more on a new connection, once the file is writable again.
     */
    @Override
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        lockForWriting(what);
        try {
            checkSameFile(what);
            checkWriteAheadLog(what);
            if (connectionsMayBeReadOnly && isWritable()) {
                dropReadOnlyConnections();
            }
            try {
                return attempt(table, what, work);
            } catch (ReadOnlyConnection e) {
                // The transaction could not even begin, so the work has not run: once the file is
                // writable, one more attempt on a new connection ends the fault at once.
                connectionsMayBeReadOnly = true;
                if (!isWritable()) {
                    throw e.translated;
                }
                dropReadOnlyConnections();
                try {
                    return attempt(table, what, work);
                } catch (ReadOnlyConnection again) {
                    throw again.translated;
                }
            } catch (StoreException e) {
                if (e.reason() == Reason.READ_ONLY && !readOnly) {
                    connectionsMayBeReadOnly = true;
                }
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * SQLite opens a file it cannot write read-only, silently, and such a connection stays
     * read-only after the file became writable again. After a write was refused as read-only, the
     * pooled connections are replaced before the first write that finds the file writable.
     */
    private void dropReadOnlyConnections() {
        connectionsMayBeReadOnly = false;
        pool.getHikariPoolMXBean().softEvictConnections();
    }

    private boolean isWritable() {
        Path wal = writeAheadLog();
        return Files.isWritable(file) && (!Files.exists(wal) || Files.isWritable(wal));
    }

    /** A transaction refused at its start by a connection that SQLite opened read-only. */
    @Override
    public boolean readOnly() {
        return readOnly;
    }

    private static final class ReadOnlyConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final StoreException translated;

        ReadOnlyConnection(StoreException translated) {
            super(translated.getMessage(), translated, false, false);
            this.translated = translated;
        }
    }

    /**
     * Runs the transaction on a pooled connection. A commit that fails is reported, never dropped;
     * one whose write-ahead log could not be synced to disk may have reached the log already
     * (SQLite would find it there after a restart), so its outcome is unknown. A connection that
     * failed is dropped: after {@code SQLITE_FULL} SQLite has rolled back by itself while the driver
     * still believes a transaction open.
     */
    private <T> T attempt(String table, String what, SqlWork<T> work) {
        T result = work().transaction(
                        table,
                        what,
                        work,
                        translated -> translated.reason() == Reason.READ_ONLY && !readOnly
                                ? new ReadOnlyConnection(translated)
                                : translated);
        if (!writeAheadLogUnchanged()) {
            throw new OutcomeUnknownException(
                    writeAheadLogGone(what, "the change was committed to the deleted log and may be lost"),
                    new IOException("write-ahead log " + writeAheadLog() + " changed during the commit"));
        }
        return result;
    }

    /**
     * Refuses to write when the write-ahead log was deleted or replaced under the store: SQLite
     * would keep appending to the deleted log, which no other process sees and which is lost when
     * the store closes, while every write returned normally.
     */
    private void checkWriteAheadLog(String what) {
        if (!writeAheadLogUnchanged()) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    writeAheadLogGone(what, "nothing was written"),
                    new IOException("write-ahead log " + writeAheadLog() + " is not the one the store opened"));
        }
    }

    private boolean writeAheadLogUnchanged() {
        Object expected = walKey;
        return expected == null || expected.equals(fileKey(writeAheadLog()));
    }

    private String writeAheadLogGone(String what, String outcome) {
        return "The write-ahead log " + writeAheadLog() + " of the database was deleted or replaced while the store"
                + " was open (while " + what + "); " + outcome + ". Changes in a deleted log are seen by this"
                + " process only. Stop every process that has the database open, restore a backup if changes are"
                + " missing, and start again.";
    }

    /**
     * Checks that the file at the path is still the one opened (a {@code stat}, about a
     * microsecond); throws {@link StoreException} with reason {@code UNAVAILABLE} if it was
     * deleted, moved or replaced.
     */
    void checkSameFile(String what) {
        fileVerified = false;
        Object now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "The database " + file + " was deleted or moved while the store was open (while " + what
                            + "); nothing was read or written, since SQLite would keep using the deleted file and"
                            + " lose every change. Put the file back (or restore a backup) and restart the bot.",
                    e);
        } catch (IOException e) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot check the database " + file + " while " + what + " (" + e.getMessage() + "). Check that"
                            + " its folder is accessible, then retry.",
                    e);
        }
        if (fileKey != null && !Objects.equals(fileKey, now)) {
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "The database " + file + " was replaced by another file while the store was open (while " + what
                            + "); nothing was read or written. Restart the bot to open the new file.",
                    new IOException("file identity changed from " + fileKey + " to " + now));
        }
        fileVerifiedAt = System.nanoTime();
        fileVerified = true;
    }

    private static @Nullable Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Opens a connection outside the pool that cannot change the file: for checks and previews.
     * SQLite opens it read-only, so it never writes the database and never checkpoints a
     * write-ahead log into it. A database in WAL mode that has no write-ahead log beside it (no
     * connection has it open, and every commit is in the main file) is also read as immutable:
     * even a read-only connection would otherwise create the {@code -wal} and {@code -shm} files
     * and leave them behind, owned by whoever ran the check, where the bot may be unable to open
     * them. Should a writer open the file between that test and the read, its commits go to a new
     * write-ahead log, which this connection ignores: it reads the file as it was.
     */
    static Connection readOnlyConnection(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        String url = isWalAtRest(file) ? "jdbc:sqlite:" + file.toUri() + "?immutable=1" : "jdbc:sqlite:" + file;
        return DriverManager.getConnection(url, config.toProperties());
    }

    /** Whether the file's header says WAL mode while no write-ahead log exists beside it. */
    private static boolean isWalAtRest(Path file) {
        if (Files.exists(file.resolveSibling(file.getFileName() + "-wal"))) {
            return false;
        }
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(header, 0, header.length) < header.length) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        // The header starts with "SQLite format 3\0"; bytes 18 and 19, the file format's write and
        // read versions, are 2 in WAL mode and 1 with a rollback journal.
        return new String(header, 0, 16, StandardCharsets.US_ASCII).equals("SQLite format 3\0")
                && header[18] == 2
                && header[19] == 2;
    }

    @Override
    public void close() {
        Connection holder = walHolder;
        walHolder = null;
        try {
            if (holder != null) {
                holder.close();
            }
        } catch (SQLException e) {
            log.debug("configstore-sqlite {}: closing the write-ahead log's holder failed: {}", file, e.toString());
        } finally {
            super.close();
        }
    }
}
