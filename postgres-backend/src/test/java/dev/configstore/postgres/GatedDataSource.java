package dev.configstore.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that, once closed, holds the change feed's attempts to connect until it is opened
 * again: so a test decides exactly how long the feed stays disconnected. Other callers (the
 * pool) are never held.
 */
final class GatedDataSource implements DataSource {

    private final DataSource delegate;
    private final CountDownLatch feedWaiting = new CountDownLatch(1);
    private volatile CountDownLatch open = new CountDownLatch(0);

    GatedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** From now on, the feed's attempts to connect wait until {@link #open()}. */
    void close() {
        open = new CountDownLatch(1);
    }

    void open() {
        open.countDown();
    }

    /** Waits until the feed tried to connect while the gate was closed. */
    void awaitFeedWaiting() throws InterruptedException {
        if (!feedWaiting.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the change feed did not try to reconnect within 30 s");
        }
    }

    private void pass() throws SQLException {
        CountDownLatch gate = open;
        if (gate.getCount() > 0 && Thread.currentThread().getName().startsWith("configstore-postgres-feed")) {
            feedWaiting.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new SQLException("the test kept the gate closed for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted at the gate", e);
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        pass();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        pass();
        return delegate.getConnection(username, password);
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
