package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import java.sql.SQLException;

/**
 * One database behind a connection pool, as a database module provides it: how work gets a
 * connection, what a write and a transaction check, and how the driver's failures become {@link
 * StoreException}s. Every method translates failures itself.
 */
public interface JdbcDatabase {

    /**
     * Runs work that only reads.
     *
     * @param table the table it reads, for messages
     * @param what what it does, for messages ("reading key … of namespace …")
     * @param work the work
     * @param <T> its result
     * @return what the work returned
     * @throws StoreException if it failed
     */
    <T> T read(String table, String what, SqlWork<T> work);

    /**
     * Runs one change, committed when the work returns.
     *
     * @param table the table it changes, for messages
     * @param what what it does, for messages
     * @param work the change
     * @param <T> its result
     * @return what the work returned
     * @throws StoreException if it failed; with reason {@code UNKNOWN} if it may have been applied
     */
    <T> T write(String table, String what, SqlWork<T> work);

    /**
     * Runs work in one transaction, committed if the work returns and rolled back if it throws.
     *
     * @param table the table it works on, for messages
     * @param what what it does, for messages
     * @param work the work
     * @param <T> its result
     * @return what the work returned
     * @throws StoreException if it failed; with reason {@code UNKNOWN} if the commit may have
     *     been applied
     */
    <T> T transaction(String table, String what, SqlWork<T> work);

    /**
     * Translates a driver's failure inside work the database is running.
     *
     * @param e the failure
     * @param table the table the work used
     * @param what what the work did
     * @return the failure to throw
     */
    StoreException translate(SQLException e, String table, String what);

    /**
     * Where the tables are, for messages: a file, or a schema on a server.
     *
     * @return for example {@code /srv/bot/config.db} or {@code schema configstore on db1:5432/bot}
     */
    String where();

    /**
     * Whether the store was opened read-only, so that nothing is ever written.
     *
     * @return false unless the database module opened it read-only
     */
    default boolean readOnly() {
        return false;
    }
}
