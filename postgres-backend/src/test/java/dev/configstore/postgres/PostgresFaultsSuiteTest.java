package dev.configstore.postgres;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ServerFaultsTests;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared faults suites on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresFaultsSuiteTest extends ServerFaultsTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected ConfigStore open(Consumer<StoreBuilder<?, ?>> settings) {
        PostgresConfigStore.Builder builder =
                PostgresConfigStore.builder(TestServer.dataSource()).schema(schema);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    protected Connection connect() throws Exception {
        return TestServer.connect();
    }

    @Override
    protected String keyColumn() {
        return "key";
    }

    @Override
    protected String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    @Override
    protected String location() {
        return "schema " + schema;
    }

    @Override
    protected String restoreSchema() {
        return " Run the migrations (or restart the bot, which runs them), then try again.";
    }

    @Override
    protected String busyMessage() {
        return "busy timeout (200 ms)";
    }

    @Override
    protected Connection borrowPooled(ConfigStore store) throws Exception {
        return ((PostgresConfigStore) store).database().borrowForTest();
    }

    @Override
    protected long sessionId(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    protected void endSession(long sessionId) throws Exception {
        TestServer.terminate(Math.toIntExact(sessionId));
    }

    @Override
    protected String serverName() {
        return "PostgreSQL";
    }
}
