package dev.configstore.postgres;

import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.KeyValueMigrationTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key-value migration's suite on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresKeyValueMigrationTest extends KeyValueMigrationTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed();
    }
}
