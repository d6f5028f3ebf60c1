package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns one database's failures into {@link StoreException}s whose message tells an operator what
 * is wrong and what to do, the same way on every database: a pool with no free connection, a lost
 * connection, a refused change, an outdated schema and a failure nobody foresaw read alike
 * everywhere. A database module says only what its driver's codes mean ({@link #byCode}); the
 * driver's own failure always stays attached as the cause.
 */
public abstract class SqlErrors {

    private final String database;
    private final String where;
    private final Duration busyTimeout;

    /**
     * Creates the translator of one store's failures.
     *
     * @param database the database's name in messages: {@code PostgreSQL}, {@code MariaDB}
     * @param where where the store works, for messages: a file, or a schema on a server
     * @param busyTimeout how long the store waits for locks and pooled connections
     */
    protected SqlErrors(String database, String where, Duration busyTimeout) {
        this.database = database;
        this.where = where;
        this.busyTimeout = busyTimeout;
    }

    /**
     * Translates a failure of one operation.
     *
     * @param e what the driver or the pool threw
     * @param table the table the operation used, for schema messages
     * @param what the operation, for the message ("reading guild 123")
     * @return the failure to throw
     */
    public final StoreException translate(SQLException e, String table, String what) {
        if (e instanceof SQLTransientConnectionException) {
            // The pool's "no connection within the timeout": either a connection could not be
            // opened (the cause says why) or every pooled connection is in use.
            if (e.getCause() instanceof SQLException opening && !(opening instanceof SQLTransientConnectionException)) {
                return translate(opening, table, what);
            }
            return new StoreException(
                    Reason.UNAVAILABLE,
                    "No connection to " + subject() + " became free within " + busyTimeout.toMillis() + " ms while "
                            + what + ": every pooled connection is in use. Retry; if it keeps happening, raise"
                            + " poolSize or look for code holding connections (long transactions).",
                    e);
        }
        String detail = detail(e);
        if (isConnectionFailure(e)) {
            return new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot reach " + subject() + " while " + what + " (" + detail + "). Check that the server is"
                            + " running and reachable from this host, then retry; the store reconnects by itself.",
                    e);
        }
        StoreException known = byCode(e, table, what, detail);
        return known != null ? known : unknown(e, what, detail);
    }

    /**
     * Whether a failure means the connection is gone or unusable.
     *
     * @param e the failure
     * @return whether the connection broke
     */
    public abstract boolean isConnectionFailure(SQLException e);

    /**
     * Whether a commit that failed so may nevertheless have been applied. By default, when the
     * connection broke while committing: the server may have committed before it went.
     *
     * @param e the commit's failure
     * @return whether the change's outcome is unknown
     */
    public boolean mayHaveCommitted(SQLException e) {
        return isConnectionFailure(e);
    }

    /**
     * Translates a failure by the driver's code for it.
     *
     * @param e the failure; neither a pool timeout nor a lost connection
     * @param table the table the operation used
     * @param what the operation
     * @param detail the driver's message for it, from {@link #detail}
     * @return the failure to throw, or null if the code means nothing the database module knows
     */
    protected abstract @Nullable StoreException byCode(SQLException e, String table, String what, String detail);

    /**
     * The driver's message for a failure, on one line and without the driver's decorations.
     *
     * @param e the failure
     * @return the message
     */
    protected abstract String detail(SQLException e);

    /**
     * The driver's code for a failure, as an operator looks it up: {@code SQLSTATE 23505}.
     *
     * @param e the failure
     * @return the code, or "" if the failure has none; the first SQLSTATE of the failure and the
     *     ones chained to it unless overridden
     */
    protected String code(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && !state.isEmpty()) {
                return "SQLSTATE " + state;
            }
        }
        return "";
    }

    /**
     * What the messages call the store's database: the database's name and where it is.
     *
     * @return for example {@code PostgreSQL (schema configstore on db1:5432/bot)}
     */
    protected String subject() {
        return database + " (" + where + ")";
    }

    /**
     * What puts a missing table or column back, said after the schema's problem.
     *
     * @return one or more sentences, each beginning with a space
     */
    protected String restoreSchema() {
        return " Run the migrations (or restart the bot, which runs them), then try again.";
    }

    /**
     * Where the store works, as given.
     *
     * @return a file, or a schema or database on a server
     */
    public final String where() {
        return where;
    }

    /**
     * How long the store waits for locks and pooled connections.
     *
     * @return the busy timeout
     */
    protected final Duration busyTimeout() {
        return busyTimeout;
    }

    /**
     * A change the database refused: a key, constraint or trigger said no.
     *
     * @param e the failure
     * @param table the table changed
     * @param what the operation
     * @param detail the driver's message
     * @return the failure to throw
     */
    protected final StoreException refused(SQLException e, String table, String what, String detail) {
        return new StoreException(
                Reason.CONSTRAINT,
                sentence(subject()) + " refused a change while " + what + " (" + detail + "); nothing was changed."
                        + " Check the value, or a key, constraint or trigger added to table " + table + ".",
                e);
    }

    /**
     * A column the store needs is missing.
     *
     * @param e the failure
     * @param table the table
     * @param column the column, as named in the failure, or null if the failure does not name it
     * @param detail the driver's message
     * @return the failure to throw
     */
    protected final StoreException missingColumn(SQLException e, String table, @Nullable String column, String detail) {
        return outdated(
                column == null
                        ? "table " + table + " lacks a column (" + detail + ")"
                        : "table " + table + " has no column " + column.toLowerCase(Locale.ROOT),
                e);
    }

    /**
     * A table the store needs is missing.
     *
     * @param e the failure
     * @param table the table
     * @return the failure to throw
     */
    protected final StoreException missingTable(SQLException e, String table) {
        return outdated("table " + table + " does not exist in " + where, e);
    }

    /**
     * The schema lacks what the store needs.
     *
     * @param problem what is missing, as a clause: "table x has no column y"
     * @param e the failure
     * @return the failure to throw, with reason {@code SCHEMA_OUTDATED}
     */
    protected final StoreException outdated(String problem, SQLException e) {
        return new StoreException(
                Reason.SCHEMA_OUTDATED, "Database schema is outdated: " + problem + "." + restoreSchema(), e);
    }

    /**
     * A failure nobody foresaw, with the driver's message and code.
     *
     * @param e the failure
     * @param what the operation
     * @param detail the driver's message
     * @return the failure to throw, with reason {@code UNKNOWN}
     */
    protected final StoreException unknown(SQLException e, String what, String detail) {
        String code = code(e);
        return new StoreException(
                Reason.UNKNOWN,
                sentence(subject()) + " failed while " + what + ": " + detail
                        + (code.isEmpty() ? "" : " (" + code + ")") + ". Nothing was changed.",
                e);
    }

    /** The text with its first letter capitalised, to begin a sentence. */
    private static String sentence(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
