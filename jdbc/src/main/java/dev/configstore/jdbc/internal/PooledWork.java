package dev.configstore.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.configstore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How work runs on the connections of a database's pool, whatever the database: a read is run
 * once more on a live connection if the pooled one turns out dead; on a server, a change is sent
 * only on a connection checked alive first; a change whose commit may have been applied although it
 * failed (the connection broke while committing, a file could not be synced) makes its outcome
 * unknown ({@link OutcomeUnknownException}); a connection that failed is rolled back and dropped
 * from the pool instead of being reused, so one left in a state its driver misreports (SQLite rolls
 * back by itself on a full disk while the driver still believes a transaction open) never serves
 * the next caller.
 */
public final class PooledWork {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.database");

    /**
     * How busy a pool is, at one moment.
     *
     * @param active connections lent out
     * @param idle connections waiting in the pool
     * @param pending threads waiting for a connection
     * @param max the most connections the pool opens
     */
    public record PoolState(int active, int idle, int pending, int max) {}

    /** The pool, as the work needs it. */
    public interface Pool {
        /**
         * Borrows a connection.
         *
         * @return a connection of the pool
         * @throws SQLException if none can be had within the pool's timeout
         */
        Connection borrow() throws SQLException;

        /**
         * Drops a borrowed connection from the pool, closing it.
         *
         * @param connection the connection
         */
        void evict(Connection connection);

        /** Closes the pool and every connection in it. */
        void close();

        /**
         * Sends the pool's measurements to a HikariCP metrics tracker from now on.
         *
         * @param factory makes the tracker
         * @throws IllegalStateException if the pool already has a tracker: HikariCP takes one
         * @throws UnsupportedOperationException if the pool is not HikariCP's
         */
        default void trackMetrics(MetricsTrackerFactory factory) {
            throw new UnsupportedOperationException("this connection pool takes no metrics tracker");
        }

        /**
         * Returns how busy the pool is now.
         *
         * @return its connections and waiting threads, or null if the pool cannot tell
         */
        default @Nullable PoolState state() {
            return null;
        }

        /**
         * A HikariCP pool.
         *
         * @param pool the started pool
         * @return the pool
         */
        static Pool of(HikariDataSource pool) {
            return new Pool() {
                @Override
                public Connection borrow() throws SQLException {
                    return pool.getConnection();
                }

                @Override
                public void evict(Connection connection) {
                    pool.evictConnection(connection);
                }

                @Override
                public void close() {
                    pool.close();
                }

                @Override
                public @Nullable PoolState state() {
                    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                    return bean == null
                            ? null
                            : new PoolState(
                                    bean.getActiveConnections(),
                                    bean.getIdleConnections(),
                                    bean.getThreadsAwaitingConnection(),
                                    pool.getMaximumPoolSize());
                }

                @Override
                public void trackMetrics(MetricsTrackerFactory factory) {
                    // HikariCP installs a tracker in a running pool, and refuses a second one.
                    synchronized (this) {
                        if (pool.getMetricsTrackerFactory() != null) {
                            throw new IllegalStateException("connection pool " + pool.getPoolName()
                                    + " already reports to a metrics tracker, and HikariCP takes one per pool");
                        }
                        pool.setMetricsTrackerFactory(factory);
                    }
                }
            };
        }

        /**
         * A pool of the operations given.
         *
         * @param borrow borrows a connection, as {@link #borrow()}
         * @param evict drops one, as {@link #evict(Connection)}
         * @param close closes the pool, as {@link #close()}
         * @return the pool
         */
        static Pool of(SqlCall<Connection> borrow, Consumer<Connection> evict, Runnable close) {
            return new Pool() {
                @Override
                public Connection borrow() throws SQLException {
                    return borrow.run();
                }

                @Override
                public void evict(Connection connection) {
                    evict.accept(connection);
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    /** What to throw when a connection refuses to begin a transaction; its work has not run. */
    @FunctionalInterface
    public interface NotBegun {
        /**
         * Makes the failure to throw.
         *
         * @param translated the connection's failure, translated
         * @return what to throw
         */
        RuntimeException failure(StoreException translated);
    }

    private final Pool pool;
    private final SqlErrors errors;
    private final int poolSize;
    /** How long a liveness check may take, in whole seconds; 0 where connections are not checked. */
    private final int validationSeconds;

    private PooledWork(Pool pool, int poolSize, int validationSeconds, SqlErrors errors) {
        this.pool = pool;
        this.errors = errors;
        this.poolSize = poolSize;
        this.validationSeconds = validationSeconds;
    }

    /**
     * Creates the runner of a server's pool, whose connections the server or the network may end
     * while they sit in the pool: each is checked alive before a change is sent on it.
     *
     * @param pool the pool
     * @param poolSize how many connections it holds at most
     * @param networkTimeout how long a connection may take to answer a liveness check
     * @param errors the driver's failures, and what messages call the server
     * @return the runner
     */
    public static PooledWork onServer(Pool pool, int poolSize, Duration networkTimeout, SqlErrors errors) {
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (networkTimeout.toMillis() + 999) / 1000));
        return new PooledWork(pool, poolSize, seconds, errors);
    }

    /**
     * Creates the runner of a pool of connections to a file in this process, which nothing but the
     * process ends: connections are used as the pool hands them out.
     *
     * @param pool the pool
     * @param errors the driver's failures
     * @return the runner
     */
    public static PooledWork inProcess(Pool pool, SqlErrors errors) {
        return new PooledWork(pool, 1, 0, errors);
    }

    /**
     * Returns the pool the work runs on.
     *
     * @return the pool
     */
    public Pool pool() {
        return pool;
    }

    /**
     * Returns how this pool's failures are translated.
     *
     * @return the translator
     */
    public SqlErrors errors() {
        return errors;
    }

    /**
     * Runs read-only work on a pooled connection in autocommit mode. If the connection turns out to
     * be dead (the server ended it or restarted while it sat in the pool), the work runs once more
     * on a connection checked alive: a read changes nothing, so running it again is safe.
     *
     * @param table the table it reads
     * @param what what it does
     * @param work the work, with no effect but its result
     * @param <T> its result
     * @return the result
     */
    public <T> T read(String table, String what, SqlWork<T> work) {
        Connection connection = borrow(table, what);
        SQLException lost;
        try {
            T result = work.run(connection);
            connection.close();
            return result;
        } catch (SQLException e) {
            discard(connection);
            if (!errors.isConnectionFailure(e)) {
                throw errors.translate(e, table, what);
            }
            lost = e;
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
        log.debug(
                "{}: a pooled connection was found dead while {}; reading again on a live one: {}",
                errors.subject(),
                what,
                lost.toString());
        Connection live = liveConnection(table, what);
        try {
            T result = work.run(live);
            live.close();
            return result;
        } catch (SQLException e) {
            discard(live);
            e.addSuppressed(lost);
            throw errors.translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(live);
            throw e;
        }
    }

    /**
     * Runs one autocommitted change on a connection checked alive first (on a server). If the connection breaks
     * while the statement runs, the server may or may not have committed it: {@link
     * OutcomeUnknownException}.
     *
     * @param table the table it changes
     * @param what what it does
     * @param work the change
     * @param <T> its result
     * @return the result
     */
    public <T> T write(String table, String what, SqlWork<T> work) {
        Connection connection = liveConnection(table, what);
        try {
            T result = work.run(connection);
            connection.close();
            return result;
        } catch (SQLException e) {
            discard(connection);
            if (errors.mayHaveCommitted(e)) {
                throw new OutcomeUnknownException(errors.translate(e, table, what), e);
            }
            throw errors.translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
    }

    /**
     * Runs work in one transaction on a connection checked alive first (on a server): committed if the work
     * returns, rolled back if it throws. If the commit fails in a way that may have applied it, the
     * outcome is unknown: {@link OutcomeUnknownException}.
     *
     * @param table the table it works on
     * @param what what it does
     * @param work the work
     * @param <T> its result
     * @return the result
     */
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        return transaction(table, what, work, translated -> translated);
    }

    /**
     * Runs work in one transaction, as {@link #transaction(String, String, SqlWork)} does, and says
     * what to throw if the connection refuses to begin it: the work has not run then, so the caller
     * may try once more elsewhere.
     *
     * @param table the table it works on
     * @param what what it does
     * @param work the work
     * @param notBegun what to throw when the transaction cannot begin
     * @param <T> its result
     * @return the result
     */
    public <T> T transaction(String table, String what, SqlWork<T> work, NotBegun notBegun) {
        Connection connection = liveConnection(table, what);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            discard(connection);
            throw notBegun.failure(errors.translate(e, table, what));
        }
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException e) {
            discard(connection);
            throw errors.translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            discard(connection);
            if (errors.mayHaveCommitted(e)) {
                throw new OutcomeUnknownException(errors.translate(e, table, "committing " + what), e);
            }
            throw errors.translate(e, table, "committing " + what);
        }
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            // Committed; only handing the connection back failed, so drop it instead.
            discard(connection);
        }
        return result;
    }

    /**
     * Borrows a connection and, on a server, checks that it is alive ({@link Connection#isValid}, one
     * round trip) before anything is sent on it. The pool itself checks only connections that sat idle
     * for a while, so one the server ended just after its last use would otherwise be handed out, and
     * a change sent on it could not be told from one lost while committing. Dead ones are dropped
     * and another borrowed, up to one more than the pool holds, so that the last is newly opened.
     *
     * @throws StoreException {@code UNAVAILABLE} if no live connection can be had; nothing was sent
     */
    private Connection liveConnection(String table, String what) {
        if (validationSeconds == 0) {
            return borrow(table, what);
        }
        for (int attempt = 1; ; attempt++) {
            Connection connection = borrow(table, what);
            SQLException failure;
            try {
                if (connection.isValid(validationSeconds)) {
                    return connection;
                }
                failure = new SQLException("the pooled connection is no longer alive", "08006");
            } catch (SQLException e) {
                failure = e;
            }
            discard(connection);
            if (attempt > poolSize) {
                throw new StoreException(
                        StoreException.Reason.UNAVAILABLE,
                        "Cannot reach " + errors.subject() + " while " + what
                                + ": no connection stayed alive; nothing was sent."
                                + " Check that the server is running and reachable from this host, then retry; the"
                                + " store reconnects by itself.",
                        failure);
            }
            log.debug("{}: dropped a dead pooled connection before {}: {}", errors.subject(), what, failure.toString());
        }
    }

    private Connection borrow(String table, String what) {
        try {
            return pool.borrow();
        } catch (SQLException e) {
            throw errors.translate(e, table, what);
        }
    }

    /** Rolls back what may be open and drops the connection from the pool. */
    private void discard(Connection connection) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is being dropped; a failed rollback changes nothing for the caller.
        }
        pool.evict(connection);
    }
}
