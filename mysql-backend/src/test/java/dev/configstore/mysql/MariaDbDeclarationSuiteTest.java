package dev.configstore.mysql;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.DeclarationTests;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mariadb.jdbc.MariaDbDataSource;

/** The record of declared settings on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbDeclarationSuiteTest extends DeclarationTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return MariaDbConfigStore.builder(TestServer.dataSource())
                .database(database)
                .manualChangeFeed();
    }

    /** Over connections whose every transaction is read-only, as on a read-only replica. */
    @Override
    protected ConfigStore openReadOnly() throws Exception {
        String url = TestServer.URL + (TestServer.URL.contains("?") ? "&" : "?") + "sessionVariables=tx_read_only=1";
        return MariaDbConfigStore.builder(new MariaDbDataSource(url))
                .database(database)
                .disableChangeFeed()
                .build();
    }
}
