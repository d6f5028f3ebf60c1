package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.SqlErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite's failures into {@link StoreException}s whose message tells an operator what is
 * wrong and what to do. The driver's result code decides the reason; the driver's own message
 * stays in the cause.
 */
final class SqliteErrors extends SqlErrors {

    // SQLite primary result codes (the low byte of extended codes).
    private static final int SQLITE_ERROR = 1;
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;
    // Extended result codes: the primary code in the low byte, the detail above it.
    private static final int SQLITE_IOERR_FSYNC = SQLITE_IOERR | (4 << 8);
    private static final int SQLITE_IOERR_DIR_FSYNC = SQLITE_IOERR | (5 << 8);

    private static final Pattern NO_SUCH_COLUMN =
            Pattern.compile("no such column: (?:[\\w\"]+\\.)?\"?(\\w+)\"?|table (\\w+) has no column named (\\w+)");
    private static final Pattern NO_SUCH_TABLE = Pattern.compile("no such table: (?:\\w+\\.)?(\\w+)");

    /**
     * What puts a dropped table or column back: the migrations, which run when a store that can
     * write opens the file, and which {@code configstore migrate} runs on its own. A running store
     * does not run them, and a read-only store never does.
     */
    private static final String RESTORE_SCHEMA = " Run 'configstore migrate' on the file (the bot can keep running),"
            + " or restart the bot with a store that can write: the migrations put missing tables and columns back"
            + " and say what was lost. Then try again.";

    private final Path file;

    /**
     * Creates the translator of one store's failures.
     *
     * @param file the database file
     * @param busyTimeout how long SQLite waits for a lock, and the store for a pooled connection
     */
    SqliteErrors(Path file, Duration busyTimeout) {
        super("SQLite", file.toString(), busyTimeout);
        this.file = file;
    }

    /**
     * Translates a failure of one operation.
     *
     * @param e what the driver threw
     * @param file the database file
     * @param table the table the operation used, for schema messages
     * @param what the operation, for the message ("reading guild 123")
     * @param busyTimeout how long SQLite waited for a lock
     */
    static StoreException translate(SQLException e, Path file, String table, String what, Duration busyTimeout) {
        return new SqliteErrors(file, busyTimeout).translate(e, table, what);
    }

    @Override
    protected @Nullable StoreException byCode(SQLException e, String table, String what, String detail) {
        return switch (primaryCode(e)) {
            case SQLITE_BUSY, SQLITE_LOCKED ->
                new StoreException(
                        Reason.BUSY,
                        "The database " + file + " is locked by another writer and stayed locked for longer than the"
                                + " busy timeout (" + busyTimeout().toMillis() + " ms) while " + what + "; nothing"
                                + " was changed. Retry; if it keeps happening, look for a process holding a"
                                + " transaction open (another bot instance, a sqlite3 shell), or raise busyTimeout.",
                        e);
            case SQLITE_FULL ->
                new StoreException(
                        Reason.STORAGE_FULL,
                        "The database " + file + " is full (the disk is full or the database reached its size limit)"
                                + " while " + what + "; nothing was changed. Free disk space, then retry.",
                        e);
            case SQLITE_READONLY, SQLITE_PERM -> readOnly(file, what, e);
            case SQLITE_CORRUPT, SQLITE_NOTADB -> corrupt(file, e);
            case SQLITE_CANTOPEN, SQLITE_IOERR -> ioError(e, file, what, detail);
            case SQLITE_CONSTRAINT -> refused(e, table, what, detail);
            case SQLITE_ERROR -> missingSchema(e, table, detail);
            default -> null;
        };
    }

    /** SQLite's connections are to a file; none is ever lost. */
    @Override
    public boolean isConnectionFailure(SQLException e) {
        return false;
    }

    /**
     * A commit whose write-ahead log could not be synced to disk may have reached the log already:
     * SQLite finds it there after a restart.
     */
    @Override
    public boolean mayHaveCommitted(SQLException e) {
        return isFailedSync(e);
    }

    @Override
    protected String subject() {
        return "the database " + file;
    }

    @Override
    protected String restoreSchema() {
        return RESTORE_SCHEMA;
    }

    @Override
    protected String detail(SQLException e) {
        return driverMessage(e);
    }

    @Override
    protected String code(SQLException e) {
        return e instanceof SQLiteException sqlite ? sqlite.getResultCode().name() : "";
    }

    private static StoreException readOnly(Path file, String what, SQLException e) {
        return new StoreException(
                Reason.READ_ONLY,
                "The database " + file + " is read-only while " + what + "; nothing was changed. Make the file, its"
                        + " -wal and -shm files and its folder writable by this process (not immutable, and the disk"
                        + " not mounted read-only), or open the store without readOnly(), then retry.",
                e);
    }

    /**
     * Whether the database or its write-ahead log exists and cannot be written by this process:
     * SQLite reports a write refused that way (an immutable file, a file system remounted
     * read-only) as a plain I/O error.
     */
    private static boolean isReadOnly(Path file) {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return (Files.exists(file) && !Files.isWritable(file)) || (Files.exists(wal) && !Files.isWritable(wal));
    }

    /**
     * Below this many free bytes, an I/O error is taken for a full disk: SQLite needs 32 KiB to
     * create or grow the {@code -shm} index and a page or more for each write, and reports a full
     * disk met there as an I/O error ({@code SQLITE_IOERR_SHMSIZE} when opening a file whose
     * {@code -shm} cannot be created, measured on a full tmpfs), not as {@code SQLITE_FULL}.
     */
    static final long LOW_SPACE_BYTES = 1024 * 1024;

    /**
     * An I/O error, or a file that cannot be opened: {@code STORAGE_FULL} when the file's disk is
     * (nearly) full, which is then the likely cause, else {@code UNAVAILABLE}.
     */
    private static StoreException ioError(SQLException e, Path file, String what, String detail) {
        if (isReadOnly(file)) {
            return readOnly(file, what, e);
        }
        long free = usableSpace(file);
        if (free >= 0 && free < LOW_SPACE_BYTES) {
            return new StoreException(
                    Reason.STORAGE_FULL,
                    "The disk holding " + file + " is full (" + free + " bytes free) while " + what + " (SQLite: "
                            + detail + "); nothing was changed. Free disk space, then retry.",
                    e);
        }
        return new StoreException(
                Reason.UNAVAILABLE,
                "Cannot read or write " + file + " while " + what + " (" + detail + "). Check that the file and its"
                        + " folder exist and are accessible and the disk is healthy, then retry.",
                e);
    }

    /** The bytes this process may still write on the disk holding the file, or -1 if unknown. */
    private static long usableSpace(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        try {
            return folder == null ? -1 : Files.getFileStore(folder).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static StoreException corrupt(Path file, Exception e) {
        return new StoreException(
                Reason.CORRUPT,
                "The file " + file + " is not a SQLite database or is damaged (" + driverMessage(e) + ")."
                        + " configstore will not change it. Restore it from a backup, or move it away to start"
                        + " with an empty database.",
                e);
    }

    private @Nullable StoreException missingSchema(SQLException e, String table, String detail) {
        Matcher column = NO_SUCH_COLUMN.matcher(detail);
        if (column.find()) {
            String missingTable = column.group(2) != null ? column.group(2) : table;
            return missingColumn(e, missingTable, column.group(1) != null ? column.group(1) : column.group(3), detail);
        }
        Matcher missing = NO_SUCH_TABLE.matcher(detail);
        return missing.find() ? missingTable(e, missing.group(1)) : null;
    }

    /**
     * Whether SQLite failed to sync a file to disk ({@code SQLITE_IOERR_FSYNC} or {@code
     * SQLITE_IOERR_DIR_FSYNC}). At a commit this comes after the change was written to the
     * write-ahead log, where SQLite finds it again after a restart.
     */
    static boolean isFailedSync(SQLException e) {
        int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code : e.getErrorCode();
        return code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_DIR_FSYNC;
    }

    static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }

    /** The driver's own explanation, without its "[SQLITE_X] description" prefix, on one line. */
    static String driverMessage(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int open = message.indexOf(" (");
        if (message.startsWith("[SQLITE_") && open > 0 && message.endsWith(")")) {
            message = message.substring(open + 2, message.length() - 1);
        }
        return message.replace('\n', ' ').trim();
    }
}
