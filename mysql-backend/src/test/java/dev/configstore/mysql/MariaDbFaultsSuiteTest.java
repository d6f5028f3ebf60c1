package dev.configstore.mysql;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ServerFaultsTests;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared faults suites on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbFaultsSuiteTest extends ServerFaultsTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    @Override
    protected ConfigStore open(Consumer<StoreBuilder<?, ?>> settings) {
        MariaDbConfigStore.Builder builder =
                MariaDbConfigStore.builder(TestServer.dataSource()).database(database);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    protected Connection connect() throws Exception {
        return TestServer.connect();
    }

    @Override
    protected String keyColumn() {
        return "`key`";
    }

    @Override
    protected String table(String name) {
        return "`" + database + "`." + name;
    }

    @Override
    protected String location() {
        return "database " + database;
    }

    @Override
    protected String restoreSchema() {
        return " Run the migrations (or restart the bot, which runs them), then try again.";
    }

    @Override
    protected String busyMessage() {
        return "lock wait timeout";
    }

    @Override
    protected Connection borrowPooled(ConfigStore store) throws Exception {
        return ((MariaDbConfigStore) store).database().borrowForTest();
    }

    @Override
    protected long sessionId(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT CONNECTION_ID()")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Kills the session and waits until the server has let it go. */
    @Override
    protected void endSession(long sessionId) throws Exception {
        TestServer.sql("KILL CONNECTION " + sessionId);
        Conditions.await("session " + sessionId + " to end", () -> {
            try {
                return "0"
                        .equals(TestServer.value(
                                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + sessionId));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    protected String serverName() {
        return "MariaDB";
    }
}
