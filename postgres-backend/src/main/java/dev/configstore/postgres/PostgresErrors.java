package dev.configstore.postgres;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.SqlErrors;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns PostgreSQL's failures into {@link StoreException}s whose message tells an operator what is
 * wrong and what to do. The SQLSTATE decides the reason; the server's own message stays in the
 * cause (and is quoted where it helps).
 */
final class PostgresErrors extends SqlErrors {

    private static final Pattern COLUMN_OF_RELATION = Pattern.compile("column \"(\\w+)\" of relation \"(\\w+)\"");
    private static final Pattern RECORD_FIELD = Pattern.compile("record \"(?:new|old)\" has no field \"(\\w+)\"");
    private static final Pattern COLUMN = Pattern.compile("column (?:\"?(\\w+)\"?\\.)?\"?(\\w+)\"? does not exist");
    private static final Pattern RELATION = Pattern.compile("relation \"(?:[\\w\"]+\\.)?\"?(\\w+)\"?\"");
    private static final Pattern QUOTED = Pattern.compile("\"(\\w+)\"");

    PostgresErrors(String server, Duration busyTimeout) {
        super("PostgreSQL", server, busyTimeout);
    }

    @Override
    protected @Nullable StoreException byCode(SQLException e, String table, String what, String detail) {
        String server = where();
        String state = sqlState(e);
        String stateClass = state.length() >= 2 ? state.substring(0, 2) : "";
        StoreException byClass = switch (stateClass) {
            case "28" ->
                new StoreException(
                        Reason.UNAVAILABLE,
                        "PostgreSQL (" + server + ") refused the login while " + what + " (" + detail + "). Check"
                                + " the user name and password in the JDBC URL or DataSource, and pg_hba.conf.",
                        e);
            case "3D" ->
                new StoreException(
                        Reason.UNAVAILABLE,
                        "The database named in the JDBC URL or DataSource does not exist (" + detail + ") while " + what
                                + ". Create it (CREATE DATABASE), or fix the URL.",
                        e);
            case "23" -> refused(e, table, what, detail);
            case "53" ->
                state.equals("53100")
                        ? new StoreException(
                                Reason.STORAGE_FULL,
                                "The PostgreSQL server (" + server + ") has no disk space left while " + what
                                        + "; nothing was changed. Free disk space on the server, then retry.",
                                e)
                        : new StoreException(
                                Reason.UNAVAILABLE,
                                "The PostgreSQL server (" + server + ") ran out of a resource while " + what + " ("
                                        + detail + "); nothing was changed. Retry later; if it keeps happening,"
                                        + " check the server's connection limit (max_connections) and memory.",
                                e);
            default -> null;
        };
        if (byClass != null) {
            return byClass;
        }
        return switch (state) {
            case "40001", "40P01" ->
                new StoreException(
                        Reason.BUSY,
                        "PostgreSQL (" + server + ") aborted the operation to resolve a conflict with another"
                                + " transaction (" + (state.equals("40P01") ? "a deadlock" : "a serialization failure")
                                + ") while " + what + "; nothing was changed. Retry.",
                        e);
            case "55P03" ->
                new StoreException(
                        Reason.BUSY,
                        "Another transaction held a lock this operation needed (a row, or a table the migrations"
                                + " change) for longer than the busy timeout ("
                                + busyTimeout().toMillis()
                                + " ms) while " + what + " on PostgreSQL (" + server + "); nothing was changed. Retry;"
                                + " if it keeps happening, look for a transaction left open (state 'idle in"
                                + " transaction' in pg_stat_activity), or raise busyTimeout.",
                        e);
            case "57014" ->
                new StoreException(
                        Reason.BUSY,
                        "The statement was cancelled (by statement_timeout, or by an operator) while " + what
                                + " on PostgreSQL (" + server + "); nothing was changed. Retry; if it keeps"
                                + " happening, look for what makes the server slow, or raise statement_timeout.",
                        e);
            case "25006" ->
                new StoreException(
                        Reason.READ_ONLY,
                        "PostgreSQL (" + server + ") refused the change because the transaction is read-only"
                                + " while " + what + " (default_transaction_read_only is on for this role or"
                                + " database, or the server is a standby); nothing was changed. Connect to the"
                                + " primary, or turn it off (ALTER ROLE … SET default_transaction_read_only ="
                                + " off), then retry.",
                        e);
            case "42501" ->
                new StoreException(
                        Reason.READ_ONLY,
                        "The database role may not do this while " + what + " on PostgreSQL (" + server + "): "
                                + detail + "; nothing was changed. Grant the role USAGE on the schema and SELECT,"
                                + " INSERT, UPDATE and DELETE on its tables and sequence, then retry.",
                        e);
            case "42703" -> missingColumn(e, table, detail);
            case "42P01" -> {
                Matcher relation = RELATION.matcher(detail);
                yield missingTable(e, relation.find() ? relation.group(1) : table);
            }
            case "3F000" -> outdated("the schema does not exist (" + server + ")", e);
            case "42883" ->
                outdated(
                        "a function configstore's triggers need is missing (" + detail + ") in " + server
                                + "; the server must be PostgreSQL 13 or newer",
                        e);
            case "22001" ->
                new StoreException(
                        Reason.CONSTRAINT,
                        "A value is too long for its column while " + what + " on PostgreSQL (" + server + ") ("
                                + detail + "); nothing was changed. Store a shorter value, or widen the column"
                                + " of table " + table + ".",
                        e);
            case "XX001", "XX002" ->
                new StoreException(
                        Reason.CORRUPT,
                        "PostgreSQL (" + server + ") reports damaged data while " + what + " (" + detail + ")."
                                + " Restore from a backup, or REINDEX the damaged index, as the server's log"
                                + " says.",
                        e);
            case "25P02" ->
                new StoreException(
                        Reason.UNKNOWN,
                        "An earlier statement of this transaction failed, so PostgreSQL (" + server + ") refuses"
                                + " every further one until it ends (while " + what + "); nothing was changed."
                                + " Let the transaction end with the first failure, then retry it.",
                        e);
            default -> null;
        };
    }

    @Override
    protected String detail(SQLException e) {
        return serverMessage(e);
    }

    @Override
    public boolean isConnectionFailure(SQLException e) {
        return isLostConnection(e);
    }

    /** The connection is gone or unusable: the server is down, restarting, or ended this session. */
    static boolean isLostConnection(SQLException e) {
        String state = sqlState(e);
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return true;
        }
        return state.isEmpty() && e.getCause() instanceof IOException;
    }

    private StoreException missingColumn(SQLException e, String table, String detail) {
        String missingTable = table;
        String missingColumn = null;
        Matcher ofRelation = COLUMN_OF_RELATION.matcher(detail);
        Matcher field = RECORD_FIELD.matcher(detail);
        Matcher column = COLUMN.matcher(detail);
        Matcher quoted = QUOTED.matcher(detail);
        if (ofRelation.find()) {
            missingColumn = ofRelation.group(1);
            missingTable = ofRelation.group(2);
        } else if (field.find()) {
            missingColumn = field.group(1);
        } else if (column.find()) {
            missingColumn = column.group(2);
        } else if (quoted.find()) {
            // The server's messages may be translated; the column's name is still quoted.
            missingColumn = quoted.group(1);
        }
        return missingColumn(e, missingTable, missingColumn, detail);
    }

    /** The SQLSTATE of the failure, or of the first chained failure that has one; "" if none. */
    static String sqlState(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && !state.isEmpty()) {
                return state;
            }
            if (next.getCause() instanceof SQLException cause && cause.getSQLState() != null) {
                return cause.getSQLState();
            }
        }
        return "";
    }

    /** The server's primary message (without "ERROR:" and the position), or the driver's, on one line. */
    static String serverMessage(Exception e) {
        @Nullable String message = null;
        if (e instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null) {
                message = server.getMessage();
            }
        }
        if (message == null) {
            message = e.getMessage();
        }
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').trim();
    }
}
