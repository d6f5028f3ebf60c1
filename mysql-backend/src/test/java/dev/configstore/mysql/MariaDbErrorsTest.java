package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.jdbc.internal.OutcomeUnknownException;
import dev.configstore.spi.Backend;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each failure forced on the real server, and what the store reports. */
@RequiresMariaDb
class MariaDbErrorsTest {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final MariaDbDatabase database = DATABASES.open();
    private final MariaDbSql sql = new MariaDbSql(database);
    private final Backend<String, String> backend = new JdbcKeyValueBackend(database, sql, "errors", null);

    @Test
    void aRowLockedLongerThanTheBusyTimeoutIsBusy() throws Exception {
        backend.write("k", "v");
        try (Connection holder = TestServer.connect();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("UPDATE " + database.table("configstore_kv") + " SET value = 'held' WHERE `key` = 'k'");

            assertThatThrownBy(() -> backend.write("k", "w"))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUSY))
                    .hasMessageContaining("lock wait timeout")
                    .hasMessageContaining("Retry");
            holder.rollback();
        }
        assertThat(backend.read("k").orElseThrow().value()).isEqualTo("v");
    }

    @Test
    void aDeadlockIsBusy() throws Exception {
        backend.write("a", "1");
        backend.write("b", "1");
        String table = database.table("configstore_kv");
        try (Connection other = TestServer.connect();
                Statement otherStatement = other.createStatement()) {
            other.setAutoCommit(false);
            otherStatement.execute(
                    "UPDATE " + table + " SET value = 'other' WHERE namespace = 'errors' AND `key` = 'b'");
            CountDownLatch firstLocked = new CountDownLatch(1);
            CompletableFuture<Object> mine = CompletableFuture.supplyAsync(() -> backend.inTransaction(ops -> {
                ops.write("a", "mine");
                firstLocked.countDown();
                return ops.write("b", "mine"); // waits for the other transaction
            }));
            assertThat(firstLocked.await(30, TimeUnit.SECONDS)).isTrue();
            // Whichever of the two the server picks as the victim, the deadlock surfaces as BUSY.
            StoreException failure = null;
            try {
                otherStatement.execute(
                        "UPDATE " + table + " SET value = 'other' WHERE namespace = 'errors' AND `key` = 'a'");
                other.rollback();
            } catch (SQLException e) {
                failure = database.translate(e, "configstore_kv", "updating a in the other transaction");
                other.rollback();
            }
            try {
                mine.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof StoreException store && failure == null) {
                    failure = store;
                }
            }
            assertThat((Object) failure).isNotNull();
            assertThat(java.util.Objects.requireNonNull(failure).reason()).isEqualTo(Reason.BUSY);
            assertThat(failure.getMessage()).containsAnyOf("deadlock", "lock wait timeout");
        }
    }

    @Test
    void aDuplicateKeyIsAConstraint() throws Exception {
        try (Connection connection = TestServer.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + database.table("configstore_kv") + " (namespace, `key`, value)"
                    + " VALUES ('dup', 'x', 'one')");
            SQLException duplicate = org.junit.jupiter.api.Assertions.assertThrows(
                    SQLException.class,
                    () -> statement.execute("INSERT INTO " + database.table("configstore_kv")
                            + " (namespace, `key`, value) VALUES ('dup', 'x', 'two')"));
            StoreException translated = database.translate(duplicate, "configstore_kv", "inserting x");
            assertThat(translated.reason()).isEqualTo(Reason.CONSTRAINT);
            assertThat(translated).hasMessageContaining("nothing was changed").hasCause(duplicate);
        }
    }

    @Test
    void aMissingColumnOrTableIsAnOutdatedSchema() throws Exception {
        String name = DATABASES.newName();
        MariaDbDatabase broken = DATABASES.open(name);
        MariaDbSql brokenSql = new MariaDbSql(broken);
        Backend<String, String> kv = new JdbcKeyValueBackend(broken, brokenSql, "ns", null);
        TestServer.sql("ALTER TABLE `" + name + "`.configstore_kv CHANGE value old_value LONGTEXT");
        assertThatThrownBy(() -> kv.read("k"))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_OUTDATED))
                .hasMessage("Database schema is outdated: table configstore_kv has no column value. Run the"
                        + " migrations (or restart the bot, which runs them), then try again.");

        TestServer.sql("DROP TABLE `" + name + "`.configstore_kv");
        assertThatThrownBy(() -> kv.read("k"))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("table configstore_kv does not exist");
    }

    @Test
    void aReadOnlyTransactionIsReadOnly() throws Exception {
        try (Connection connection = database.borrowForTest();
                Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION TRANSACTION READ ONLY");
            try {
                SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        SQLException.class,
                        () -> statement.execute("INSERT INTO " + database.table("configstore_kv")
                                + " (namespace, `key`, value) VALUES ('ro', 'x', 'one')"));
                StoreException translated = database.translate(refused, "configstore_kv", "writing x");
                assertThat(translated.reason()).isEqualTo(Reason.READ_ONLY);
                assertThat(translated).hasMessageContaining("read-only");
            } finally {
                statement.execute("SET SESSION TRANSACTION READ WRITE");
            }
        }
    }

    @Test
    void aFullTableIsStorageFull() throws Exception {
        String table = database.table("tiny_memory");
        try (Connection connection = TestServer.connect();
                Statement statement = connection.createStatement()) {
            // The smallest limit MariaDB takes; a MEMORY table fills it after a few thousand rows.
            statement.execute("SET SESSION max_heap_table_size = 16384");
            statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, filler CHAR(200)) ENGINE=MEMORY");
            SQLException full = null;
            for (int i = 0; i < 100_000 && full == null; i++) {
                try {
                    statement.execute("INSERT INTO " + table + " VALUES (" + i + ", 'x')");
                } catch (SQLException e) {
                    full = e;
                }
            }
            assertThat((Object) full).isNotNull();
            StoreException translated =
                    database.translate(java.util.Objects.requireNonNull(full), "tiny_memory", "filling it");
            assertThat(translated.reason()).isEqualTo(Reason.STORAGE_FULL);
            assertThat(translated).hasMessageContaining("no room left");
        } finally {
            TestServer.sql("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aKilledConnectionIsUnavailableAndAReadRecoversOnALiveOne() throws Exception {
        backend.write("k", "v");
        // Kill every idle pooled connection; the read finds its connection dead and reads again.
        try (Connection pooled = database.borrowForTest()) {
            long id;
            try (Statement statement = pooled.createStatement();
                    var row = statement.executeQuery("SELECT CONNECTION_ID()")) {
                row.next();
                id = row.getLong(1);
            }
            TestServer.sql("KILL CONNECTION " + id);
            SQLException lost = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> {
                try (Statement statement = pooled.createStatement()) {
                    statement.execute("SELECT 1");
                }
            });
            assertThat(MariaDbErrors.isLostConnection(lost)).isTrue();
            StoreException translated = database.translate(lost, "configstore_kv", "reading k");
            assertThat(translated.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(translated).hasMessageContaining("Cannot reach MariaDB (" + database.server + ")");
        }
        assertThat(backend.read("k").orElseThrow().value()).isEqualTo("v");
    }

    @Test
    void aConnectionKilledWhileItsChangeCommitsMakesTheOutcomeUnknown() throws Exception {
        String table = database.table("configstore_kv");
        backend.write("k", "v");
        try (Connection holder = TestServer.connect();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT value FROM " + table + " WHERE `key` = 'k' FOR UPDATE");
            CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> backend.write("k", "w"));
            // Once the write waits for the row lock, kill its connection.
            String victim = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (victim == null && System.nanoTime() < deadline) {
                victim = TestServer.value("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE"
                        + " 'INSERT INTO `" + database.name + "`.configstore_kv%'");
            }
            assertThat(victim).isNotNull();
            TestServer.sql("KILL CONNECTION " + victim);
            holder.rollback();
            assertThatThrownBy(write::join).hasCauseInstanceOf(OutcomeUnknownException.class);
        }
    }
}
