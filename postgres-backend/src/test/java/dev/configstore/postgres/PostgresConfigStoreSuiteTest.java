package dev.configstore.postgres;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ConfigStoreTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store type's suite on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresConfigStoreSuiteTest extends ConfigStoreTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((PostgresConfigStore) store).pollChangesNow();
    }
}
