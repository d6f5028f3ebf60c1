package dev.configstore.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one connection of a database's pool.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {
    /**
     * Does the work.
     *
     * @param connection the connection, for this work only
     * @return the result
     * @throws SQLException as the driver throws it; the database translates it
     */
    T run(Connection connection) throws SQLException;
}
