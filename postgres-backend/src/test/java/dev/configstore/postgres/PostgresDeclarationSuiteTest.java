package dev.configstore.postgres;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.DeclarationTests;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The record of declared settings on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresDeclarationSuiteTest extends DeclarationTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed();
    }

    /** Over connections whose every transaction is read-only, as on a standby server. */
    @Override
    protected ConfigStore openReadOnly() {
        PGSimpleDataSource readOnly = TestServer.dataSource();
        readOnly.setOptions("-c default_transaction_read_only=on");
        return PostgresConfigStore.builder(readOnly)
                .schema(schema)
                .disableChangeFeed()
                .build();
    }
}
