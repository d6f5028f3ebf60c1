package dev.configstore.mysql;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ConfigStoreTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store type's suite on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbConfigStoreSuiteTest extends ConfigStoreTests {

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
    protected void pollChangesNow(ConfigStore store) {
        ((MariaDbConfigStore) store).pollChangesNow();
    }
}
