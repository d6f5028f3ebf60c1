package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How work runs on the connections of a server database's pool, whatever the database: a read is
 * run once more on a live connection if the pooled one turns out dead; a change is sent only on a
 * connection checked alive first, and a connection that breaks while a change commits makes its
 * outcome unknown ({@link OutcomeUnknownException}); a connection that failed is rolled back and
 * dropped from the pool instead of being reused.
 */
public final class PooledWork {

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
    }

    /** What the database's driver means by its failures. */
    public interface Errors {
        /**
         * Whether a failure means the connection is gone or unusable.
         *
         * @param e the failure
         * @return whether the connection broke
         */
        boolean isConnectionFailure(SQLException e);

        /**
         * Translates a failure.
         *
         * @param e the failure
         * @param table the table the work used
         * @param what what the work did
         * @return the failure to throw
         */
        StoreException translate(SQLException e, String table, String what);
    }

    private final String name;
    private final Pool pool;
    private final Errors errors;
    private final int poolSize;
    private final int validationSeconds;

    /**
     * Creates the runner of one pool.
     *
     * @param name what failure messages call the server ("MariaDB (database x on host:3306)")
     * @param pool the pool
     * @param poolSize how many connections it holds at most
     * @param networkTimeout how long a connection may take to answer a liveness check
     * @param errors the driver's failures
     */
    public PooledWork(String name, Pool pool, int poolSize, Duration networkTimeout, Errors errors) {
        this.name = name;
        this.pool = pool;
        this.errors = errors;
        this.poolSize = poolSize;
        this.validationSeconds =
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, (networkTimeout.toMillis() + 999) / 1000));
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
     * Runs one autocommitted change on a connection checked alive first. If the connection breaks
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
            if (errors.isConnectionFailure(e)) {
                throw new OutcomeUnknownException(errors.translate(e, table, what), e);
            }
            throw errors.translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
    }

    /**
     * Runs work in one transaction on a connection checked alive first: committed if the work
     * returns, rolled back if it throws. If the connection breaks while committing, the outcome is
     * unknown: {@link OutcomeUnknownException}.
     *
     * @param table the table it works on
     * @param what what it does
     * @param work the work
     * @param <T> its result
     * @return the result
     */
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        Connection connection = liveConnection(table, what);
        T result;
        try {
            connection.setAutoCommit(false);
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
            if (errors.isConnectionFailure(e)) {
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
     * Borrows a connection and checks that it is alive ({@link Connection#isValid}, one round trip)
     * before anything is sent on it, so that a change sent on a connection the server had already
     * ended is never taken for one lost while committing. Dead ones are dropped and another
     * borrowed, up to one more than the pool holds, so that the last is newly opened.
     *
     * @throws StoreException {@code UNAVAILABLE} if no live connection can be had; nothing was sent
     */
    private Connection liveConnection(String table, String what) {
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
                        "Cannot reach " + name + " while " + what + ": no connection stayed alive; nothing was sent."
                                + " Check that the server is running and reachable from this host, then retry; the"
                                + " store reconnects by itself.",
                        failure);
            }
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
