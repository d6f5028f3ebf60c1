package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.ConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Failures of a database on a server, besides those of {@link StoreFaultsTests}: connections the
 * server ends inside a transaction, while a change commits, and while they sit in the pool. A
 * change lost with its connection before the commit is {@code UNAVAILABLE} and changes nothing; one
 * lost while committing is {@code UNKNOWN} and drops the cached value; a read or a change that finds
 * its pooled connection ended goes to a live one and succeeds; and the store goes on working.
 *
 * <p>The pool checks a connection it hands out only if it sat idle for a while; these tests end the
 * connections right after their last use, inside that window.
 */
public abstract class ServerFaultsTests extends StoreFaultsTests {

    /** Creates the suite. */
    protected ServerFaultsTests() {}

    /**
     * Borrows a connection of the store's pool as it is.
     *
     * @param store a store {@link #open} returned
     * @return the connection, to close after use
     * @throws Exception if none can be had
     */
    protected abstract Connection borrowPooled(ConfigStore store) throws Exception;

    /**
     * The server's id of a connection's session.
     *
     * @param connection the connection
     * @return the id
     * @throws Exception if it cannot be asked
     */
    protected abstract long sessionId(Connection connection) throws Exception;

    /**
     * Ends a session from another connection, as a server restart or an operator would, and
     * returns once it has ended.
     *
     * @param sessionId the session
     * @throws Exception if it cannot be ended
     */
    protected abstract void endSession(long sessionId) throws Exception;

    /**
     * What the server is called in messages.
     *
     * @return for example {@code PostgreSQL}
     */
    protected abstract String serverName();

    /**
     * Opens a plain connection to the test's server, outside any store.
     *
     * @return the connection, to close after use
     * @throws Exception if it cannot be opened
     */
    protected abstract Connection connect() throws Exception;

    /**
     * The key-value table's {@code key} column as SQL names it on this server.
     *
     * @return {@code key}, quoted where the server reserves the word
     */
    protected abstract String keyColumn();

    @Override
    protected final void sql(String... statements) throws Exception {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    protected final Optional<String> storedValue(String namespace, String key) throws Exception {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement("SELECT value FROM " + table("configstore_kv")
                        + " WHERE namespace = ? AND " + keyColumn() + " = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** Another transaction locks the guild's row ({@code SELECT … FOR UPDATE}) until closed. */
    @Override
    protected final AutoCloseable lockGuild(String guild) throws Exception {
        Connection other = connect();
        other.setAutoCommit(false);
        try (PreparedStatement lock =
                other.prepareStatement("SELECT 1 FROM " + table("guild_config") + " WHERE guild_id = ? FOR UPDATE")) {
            lock.setString(1, guild);
            lock.executeQuery().close();
        }
        return () -> {
            try (other) {
                other.rollback();
            }
        };
    }

    /** The sessions of as many pooled connections, borrowed at once and handed back idle. */
    private List<Long> idleSessions(ConfigStore store, int count) throws Exception {
        List<Connection> held = new ArrayList<>();
        List<Long> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = borrowPooled(store);
                held.add(connection);
                sessions.add(sessionId(connection));
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        return sessions;
    }

    private void endSessions(List<Long> sessions) throws Exception {
        for (long session : sessions) {
            endSession(session);
        }
    }

    private void endUnchecked(long session) {
        try {
            endSession(session);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConnectionLostInsideATransactionChangesNothingAndIsNotReused() throws Exception {
        try (ConfigStore store = open(b -> b.poolSize(1))) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("kept", "1");
            assertThat(values.get("kept")).contains("1");
            long session = idleSessions(store, 1).get(0);

            assertFails(
                    () -> values.inTransaction(tx -> {
                        tx.put("kept", "2");
                        endUnchecked(session);
                        tx.put("other", "3");
                        return null;
                    }),
                    Reason.UNAVAILABLE,
                    "Cannot reach " + serverName());

            assertThat(values.get("kept")).contains("1");
            assertThat(storedValue("values", "kept")).contains("1");
            assertThat(storedValue("values", "other")).isEmpty();
            values.put("kept", "4");
            assertThat(values.get("kept")).contains("4");
        }
    }

    @Test
    void aConnectionLostWhileCommittingIsAWriteOfUnknownOutcomeThatDropsTheCachedValue() throws Exception {
        try (ConfigStore store = open(b -> b.poolSize(1))) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("k", "1");
            assertThat(values.get("k")).contains("1");
            long session = idleSessions(store, 1).get(0);

            assertFails(
                    () -> values.inTransaction(tx -> {
                        tx.put("k", "2");
                        endUnchecked(session);
                        return null;
                    }),
                    Reason.UNKNOWN,
                    "may or may not have been applied");

            long loadsBefore = values.stats().loads();
            assertThat(values.get("k")).isEqualTo(storedValue("values", "k"));
            assertThat(values.stats().loads())
                    .as("the cached value was dropped")
                    .isEqualTo(loadsBefore + 1);
        }
    }

    @Test
    void aReadOnAPooledConnectionTheServerEndedIsReadAgainOnALiveOne() throws Exception {
        try (ConfigStore store = open(b -> b.poolSize(1).disableChangeFeed())) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("k", "1");
            values.invalidateAll();
            endSessions(idleSessions(store, 1));

            assertThat(values.get("k")).contains("1");
            assertThat(values.stats().loadFailures()).isZero();
        }
    }

    @Test
    void aWriteOnPooledConnectionsTheServerEndedGoesToALiveOneAndIsNotReportedUnknown() throws Exception {
        try (ConfigStore store = open(b -> b.poolSize(3).disableChangeFeed())) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("k", "1");
            endSessions(idleSessions(store, 3));

            values.put("k", "2");

            assertThat(storedValue("values", "k")).contains("2");
            assertThat(values.get("k")).contains("2");
            assertThat(values.stats().writeFailures()).isZero();

            endSessions(idleSessions(store, 3));
            values.inTransaction(tx -> {
                tx.put("k", "3");
                return null;
            });
            assertThat(storedValue("values", "k")).contains("3");
        }
    }
}
