package dev.configstore.postgres;

import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.AuditTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit trail's suite on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresAuditSuiteTest extends AuditTests {

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
    protected void sql(String... statements) throws Exception {
        PostgresSettingsSuiteTest.sql(schema, statements);
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        PostgresSettingsSuiteTest.refuseValue(schema, text);
    }
}
