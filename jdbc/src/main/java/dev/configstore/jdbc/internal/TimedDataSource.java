package dev.configstore.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections of a DataSource, each with a network timeout set before anyone uses it: a
 * statement whose server stops answering (a network that silently drops the connection, a stalled
 * host) fails after the timeout instead of blocking its caller forever. Set on every connection, so
 * it does not depend on what the URL or the user's DataSource says; a pool restores it after its
 * own checks.
 *
 * <p>Once {@link #retryConnectingFor} was called (when the store is open), an attempt to connect
 * that fails because no server accepts connections yet (refused, unreachable, starting up, in
 * recovery, too many connections, or no primary among a multi-host URL's hosts) is tried again
 * every {@value #RETRY_PAUSE_MILLIS} ms for that long. A pool waits longer and longer between its
 * own attempts (HikariCP: from 250 ms up to its connection timeout); retrying here instead means
 * that after a failover or a restart a waiting operation gets a connection at most {@value
 * #RETRY_PAUSE_MILLIS} ms (plus one attempt) after the server accepts it.
 */
public final class TimedDataSource implements DataSource {

    /** The pause between two attempts to connect while no server accepts connections. */
    public static final long RETRY_PAUSE_MILLIS = 50;

    private final DataSource delegate;
    private final int timeoutMillis;
    private volatile long retryNanos;

    /**
     * Wraps a DataSource.
     *
     * @param delegate where connections come from
     * @param timeoutMillis the network timeout of each, in milliseconds; 0 for none
     */
    public TimedDataSource(DataSource delegate, int timeoutMillis) {
        this.delegate = delegate;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The DataSource this one wraps.
     *
     * @return the user's DataSource
     */
    public DataSource delegate() {
        return delegate;
    }

    /**
     * From now on, retries attempts to connect that failed for want of a server, for up to
     * {@code period} each.
     *
     * @param period how long one call keeps trying
     */
    public void retryConnectingFor(Duration period) {
        retryNanos = period.toNanos();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return timed(connect(delegate::getConnection));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return timed(connect(() -> delegate.getConnection(username, password)));
    }

    private Connection connect(SqlCall<Connection> attempt) throws SQLException {
        long deadline = 0;
        while (true) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                long period = retryNanos;
                if (period == 0 || !noServerYet(e)) {
                    throw e;
                }
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + period;
                }
                if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS), deadline - now));
            }
        }
    }

    /**
     * Whether connecting failed because no server (or no primary) accepts connections now, which a
     * failover or restart ends by itself; not a wrong password, database or URL.
     *
     * @param e the failure
     * @return whether to try again
     */
    public static boolean noServerYet(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P03") || state.equals("53300"));
    }

    private Connection timed(Connection connection) throws SQLException {
        try {
            // The drivers configstore uses apply the timeout to the socket; none needs an executor.
            connection.setNetworkTimeout(Runnable::run, timeoutMillis);
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return delegate.isWrapperFor(type);
    }
}
