package dev.configstore.postgres;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ServerFaultsTests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
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
    protected void sql(String... statements) throws Exception {
        TestServer.sql(statements);
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
    protected Optional<String> storedValue(String namespace, String key) throws Exception {
        try (Connection connection = TestServer.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT value FROM " + table("configstore_kv") + " WHERE namespace = ? AND key = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** Another transaction locks the guild's row. */
    @Override
    protected AutoCloseable lockGuild(String guild) throws Exception {
        Connection other = TestServer.connect();
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
