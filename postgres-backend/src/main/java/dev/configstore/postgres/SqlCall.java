package dev.configstore.postgres;

import java.sql.SQLException;

/** A call on a connection the caller already holds. */
@FunctionalInterface
interface SqlCall<T> {
    T run() throws SQLException;
}
