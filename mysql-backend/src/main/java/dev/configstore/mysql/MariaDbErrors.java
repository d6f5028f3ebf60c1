package dev.configstore.mysql;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.SqlErrors;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns MariaDB's failures into {@link StoreException}s whose message tells an operator what is
 * wrong and what to do. The server's error number decides the reason (its SQLSTATEs are too coarse:
 * a lock wait timeout and a full table are both {@code HY000}); the server's own message stays in
 * the cause and is quoted where it helps.
 */
final class MariaDbErrors extends SqlErrors {

    /** ER_LOCK_WAIT_TIMEOUT. */
    static final int LOCK_WAIT_TIMEOUT = 1205;

    /** ER_LOCK_DEADLOCK. */
    static final int DEADLOCK = 1213;

    private static final Pattern UNKNOWN_COLUMN = Pattern.compile("Unknown column '(?:[^']*\\.)?([^'.]+)'");
    private static final Pattern MISSING_TABLE = Pattern.compile("Table '(?:[^']*\\.)?([^'.]+)' doesn't exist");

    MariaDbErrors(String server, Duration busyTimeout) {
        super("MariaDB", server, busyTimeout);
    }

    @Override
    protected String detail(SQLException e) {
        return message(e);
    }

    @Override
    protected String code(SQLException e) {
        String state = e.getSQLState();
        return "error " + errorCode(e) + (state == null ? "" : ", SQLSTATE " + state);
    }

    @Override
    protected @Nullable StoreException byCode(SQLException e, String table, String what, String detail) {
        String server = where();
        return switch (errorCode(e)) {
            case LOCK_WAIT_TIMEOUT ->
                new StoreException(
                        Reason.BUSY,
                        "Another transaction held a lock this operation needed for longer than the lock wait"
                                + " timeout (innodb_lock_wait_timeout, from the busy timeout of "
                                + busyTimeout().toMillis() + " ms) while " + what + " on MariaDB (" + server
                                + "); nothing was changed. Retry; if it keeps happening, look for a transaction left"
                                + " open (SHOW PROCESSLIST, information_schema.INNODB_TRX), or raise busyTimeout.",
                        e);
            case DEADLOCK ->
                new StoreException(
                        Reason.BUSY,
                        "MariaDB (" + server + ") rolled back the transaction to resolve a deadlock with another"
                                + " one while " + what + "; nothing was changed. Retry.",
                        e);
            case 1969, 3024 ->
                new StoreException(
                        Reason.BUSY,
                        "The statement ran longer than max_statement_time allows while " + what + " on MariaDB ("
                                + server + "); nothing was changed. Retry; if it keeps happening, look for what makes"
                                + " the server slow, or raise max_statement_time.",
                        e);
            case 1062, 1586, 1451, 1452, 1048, 4025, 3819 -> refused(e, table, what, detail);
            case 1406, 1264, 1366 ->
                new StoreException(
                        Reason.CONSTRAINT,
                        "A value does not fit its column while " + what + " on MariaDB (" + server + ") (" + detail
                                + "); nothing was changed. Store a shorter value, or widen the column of table "
                                + table + ".",
                        e);
            case 1146 -> missingTable(e, Objects.requireNonNullElse(named(MISSING_TABLE, detail), table));
            case 1054 -> missingColumn(e, table, named(UNKNOWN_COLUMN, detail), detail);
            case 1792, 1290, 1036 ->
                new StoreException(
                        Reason.READ_ONLY,
                        "MariaDB (" + server + ") refused the change because it is read-only while " + what + " ("
                                + detail + "): the server runs with read_only, the session or transaction is READ"
                                + " ONLY, or the table cannot be written; nothing was changed. Connect to the"
                                + " primary, or turn it off (SET GLOBAL read_only = OFF), then retry.",
                        e);
            case 1142, 1143, 1227, 1370 ->
                new StoreException(
                        Reason.READ_ONLY,
                        "The database user may not do this while " + what + " on MariaDB (" + server + "): " + detail
                                + "; nothing was changed. GRANT the user SELECT, INSERT, UPDATE and DELETE on the"
                                + " database's tables (and TRIGGER, CREATE, ALTER, INDEX for the migrations), then"
                                + " retry.",
                        e);
            case 1114, 1021 ->
                new StoreException(
                        Reason.STORAGE_FULL,
                        "MariaDB (" + server + ") has no room left while " + what + " (" + detail + "); nothing"
                                + " was changed. Free disk space on the server (or raise the limit that filled:"
                                + " innodb_data_file_path's maximum, max_heap_table_size for MEMORY tables), then"
                                + " retry.",
                        e);
            case 1030, 3 ->
                detail.contains("28") || detail.contains("No space")
                        ? new StoreException(
                                Reason.STORAGE_FULL,
                                "The MariaDB server (" + server + ") has no disk space left while " + what + " ("
                                        + detail + "); nothing was changed. Free disk space on the server, then"
                                        + " retry.",
                                e)
                        : null;
            case 1044, 1045, 1698 ->
                new StoreException(
                        Reason.UNAVAILABLE,
                        "MariaDB (" + server + ") refused the login while " + what + " (" + detail + "). Check the"
                                + " user name and password in the JDBC URL or DataSource, and the user's GRANTs.",
                        e);
            case 1049 ->
                new StoreException(
                        Reason.UNAVAILABLE,
                        "The database named in the JDBC URL or DataSource does not exist (" + detail + ") while " + what
                                + ". Create it (CREATE DATABASE), or fix the URL.",
                        e);
            case 1040, 1203 ->
                new StoreException(
                        Reason.UNAVAILABLE,
                        "MariaDB (" + server + ") has no connection left for this user while " + what + " ("
                                + detail + "). Retry later; if it keeps happening, raise max_connections or"
                                + " max_user_connections, or lower the pool size of the processes that share it.",
                        e);
            case 1034, 1035, 1194, 1195, 1712 ->
                new StoreException(
                        Reason.CORRUPT,
                        "MariaDB (" + server + ") reports damaged data while " + what + " (" + detail + ")."
                                + " Repair the table (CHECK TABLE, then REPAIR TABLE or a restore from a backup), as"
                                + " the server's error log says.",
                        e);
            default -> null;
        };
    }

    /** The name a pattern's first group finds in the message, or null. */
    private static @Nullable String named(Pattern pattern, String detail) {
        Matcher named = pattern.matcher(detail);
        return named.find() ? named.group(1) : null;
    }

    @Override
    public boolean isConnectionFailure(SQLException e) {
        return isLostConnection(e);
    }

    /**
     * Whether the connection is gone or unusable: the server is down, restarting, ended this
     * session ({@code KILL CONNECTION}), or the network timeout passed.
     */
    static boolean isLostConnection(SQLException e) {
        if (e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("70100"))) {
            return true;
        }
        int code = errorCode(e);
        if (code == 1927 || code == 1053 || code == 2006 || code == 2013) {
            return true;
        }
        return e.getCause() instanceof IOException;
    }

    /** The server's error number of the failure, or of the first chained failure that has one; 0 if none. */
    static int errorCode(SQLException e) {
        for (Throwable next = e; next != null; next = next.getCause()) {
            if (next instanceof SQLException sql && sql.getErrorCode() != 0) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    /** The driver's message on one line, without the driver's prefix ("(conn=12) "). */
    static String message(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.replaceFirst("^\\(conn=\\d+\\) ", "").replace('\n', ' ').trim();
    }
}
