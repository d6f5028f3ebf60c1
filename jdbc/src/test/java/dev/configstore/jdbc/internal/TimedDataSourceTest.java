package dev.configstore.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Retrying an attempt to connect while no server accepts connections: what lets a pool find a
 * new primary as soon as it accepts, instead of after the pool's own growing pauses.
 */
class TimedDataSourceTest {

    /** Hands out the failures it was given, one per attempt, then a connection. */
    private static final class Failing implements DataSource {
        final Deque<SQLException> failures = new ArrayDeque<>();
        boolean forever;
        int attempts;

        Failing(SQLException... failures) {
            this.failures.addAll(java.util.List.of(failures));
        }

        @Override
        public Connection getConnection() throws SQLException {
            attempts++;
            SQLException next = forever ? failures.peek() : failures.poll();
            if (next != null) {
                throw next;
            }
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (proxy, method, args) -> null);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public @Nullable PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private static SQLException noPrimary() {
        return new SQLException("Could not find a server with specified targetServerType: primary", "08001");
    }

    @Test
    void whileTheStoreOpensAFailureToConnectIsReportedAtOnce() {
        Failing delegate = new Failing(noPrimary());
        TimedDataSource connections = new TimedDataSource(delegate, 1_000);

        assertThatThrownBy(connections::getConnection).hasMessageContaining("targetServerType");
        assertThat(delegate.attempts).isEqualTo(1);
    }

    @Test
    void onceOpenAttemptsAreRetriedUntilAServerAccepts() throws Exception {
        Failing delegate = new Failing(
                noPrimary(),
                new SQLException("Connection to 127.0.0.1:5433 refused", "08001"),
                new SQLException("the database system is starting up", "57P03"));
        TimedDataSource connections = new TimedDataSource(delegate, 1_000);
        connections.retryConnectingFor(Duration.ofMinutes(1));

        assertThat(connections.getConnection()).isNotNull();
        assertThat(delegate.attempts).isEqualTo(4);
    }

    @Test
    void aWrongPasswordOrDatabaseIsNotRetried() {
        Failing delegate = new Failing(new SQLException("password authentication failed", "28P01"));
        TimedDataSource connections = new TimedDataSource(delegate, 1_000);
        connections.retryConnectingFor(Duration.ofMinutes(1));

        assertThatThrownBy(connections::getConnection).hasMessageContaining("password");
        assertThat(delegate.attempts).isEqualTo(1);
    }

    @Test
    void retryingEndsWhenItsPeriodIsOver() {
        Failing delegate = new Failing(noPrimary());
        delegate.forever = true;
        TimedDataSource connections = new TimedDataSource(delegate, 1_000);
        connections.retryConnectingFor(Duration.ofMillis(120));

        assertThatThrownBy(connections::getConnection).hasMessageContaining("targetServerType");
        assertThat(delegate.attempts).isGreaterThan(1);
    }
}
