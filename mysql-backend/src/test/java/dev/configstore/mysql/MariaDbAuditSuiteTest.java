package dev.configstore.mysql;

import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.AuditTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit trail's suite on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbAuditSuiteTest extends AuditTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return MariaDbConfigStore.builder(TestServer.dataSource())
                .database(database)
                .manualChangeFeed();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        MariaDbSettingsSuiteTest.sql(database, statements);
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        MariaDbSettingsSuiteTest.refuseValue(database, text);
    }
}
