package dev.configstore.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The pieces of SQL in which configstore's databases differ, for the statements the shared
 * backends build. Everything else (the statements themselves, binding, reading results,
 * transactions, what a change records) is written once in this package.
 */
public interface SqlDialect {

    /**
     * The name of one of configstore's tables as statements use it.
     *
     * @param name the table's bare name, such as {@code configstore_kv}
     * @return the name, qualified and quoted as the database needs
     */
    String table(String name);

    /**
     * The larger of two values.
     *
     * @param first an SQL expression
     * @param second another
     * @return {@code MAX(a, b)} on SQLite, {@code GREATEST(a, b)} elsewhere
     */
    String greatest(String first, String second);

    /**
     * The SQL a statement uses for the floor of a new row version (microseconds since the epoch)
     * and for now in seconds since the epoch: two expressions, or two {@code ?} that {@link
     * #bindClock} fills.
     *
     * @return the version floor's expression, then the seconds'
     */
    String versionFloorAndNow();

    /**
     * Binds the parameters of {@link #versionFloorAndNow()}, if it has any.
     *
     * @param statement the statement
     * @param index the index of its first parameter
     * @throws SQLException as the driver throws it
     */
    void bindClock(PreparedStatement statement, int index) throws SQLException;

    /**
     * Whether a failed statement aborts the transaction around it, so that a commit after it
     * would silently roll back (PostgreSQL). The backends then fail the transaction at its end if
     * its work caught a failure and returned anyway.
     *
     * @return whether a failed statement aborts the transaction
     */
    boolean failedStatementAbortsTransaction();

    /**
     * What an operator uses to fix a value by hand, for messages.
     *
     * @return for example {@code the sqlite3 shell} or {@code psql}
     */
    String shell();
}
