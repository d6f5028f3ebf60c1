package dev.configstore.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one pooled connection. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
