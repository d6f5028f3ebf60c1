package dev.configstore.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.configstore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** Starts the connection pool of a database on a server, the same way for every server database. */
public final class ServerPool {

    private ServerPool() {}

    /**
     * Starts a pool in autocommit mode that keeps one connection open, waits up to the busy timeout
     * (at least 250 ms) for a free one, and runs one statement on every connection it opens.
     *
     * @param name the pool's name, which begins its log messages
     * @param connections where connections come from
     * @param poolSize how many connections it holds at most
     * @param busyTimeout how long an operation waits for a free connection
     * @param initSql the one statement every new connection runs, so that no setting is missed
     * @param errors the driver's failures, for a server that refuses the first connection
     * @return the pool
     * @throws StoreException {@code UNAVAILABLE} or as translated, if no connection can be opened
     */
    public static HikariDataSource start(
            String name, DataSource connections, int poolSize, Duration busyTimeout, String initSql, SqlErrors errors) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setDataSource(connections);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, busyTimeout.toMillis()));
        hikari.setAutoCommit(true);
        hikari.setConnectionInitSql(initSql);
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw errors.translate(sql, "-", "opening the store");
            }
            throw new StoreException(
                    StoreException.Reason.UNAVAILABLE,
                    "Cannot connect to " + errors.subject() + ": " + e.getMessage() + ". Check the JDBC URL or"
                            + " DataSource and that the server is running, then retry.",
                    e);
        }
    }

    /**
     * Asks a newly started pool's server where it is, for messages.
     *
     * @param pool the pool
     * @param question what to ask on one of its connections
     * @param errors the driver's failures
     * @return the answer
     * @throws StoreException if the server cannot be asked
     */
    public static String describe(HikariDataSource pool, SqlWork<String> question, SqlErrors errors) {
        try (Connection connection = pool.getConnection()) {
            return question.run(connection);
        } catch (SQLException e) {
            throw errors.translate(e, "-", "opening the store");
        }
    }
}
