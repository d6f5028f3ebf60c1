package dev.configstore.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections of a DataSource, each with a network timeout set before anyone uses it: a
 * statement whose server stops answering (a network that silently drops the connection, a stalled
 * host) fails after the timeout instead of blocking its caller forever. Set on every connection, so
 * it does not depend on what the URL or the user's DataSource says; a pool restores it after its
 * own checks.
 */
public final class TimedDataSource implements DataSource {

    private final DataSource delegate;
    private final int timeoutMillis;

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

    @Override
    public Connection getConnection() throws SQLException {
        return timed(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return timed(delegate.getConnection(username, password));
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
