package dev.configstore.mysql;

import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.KeyValueMigrationTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key-value migration's suite on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbKeyValueMigrationTest extends KeyValueMigrationTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return MariaDbConfigStore.builder(TestServer.dataSource())
                .database(database)
                .manualChangeFeed();
    }
}
