package dev.configstore.jdbc.internal;

import java.sql.SQLException;

/**
 * A call on a connection the caller already holds.
 *
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface SqlCall<T> {
    /**
     * Makes the call.
     *
     * @return the result
     * @throws SQLException as the driver throws it
     */
    T run() throws SQLException;
}
