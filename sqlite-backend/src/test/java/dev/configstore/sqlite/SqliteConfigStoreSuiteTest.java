package dev.configstore.sqlite;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.ConfigStoreTests;
import java.nio.file.Path;

/** The store type's suite on a SQLite file of its own per test. */
class SqliteConfigStoreSuiteTest extends ConfigStoreTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((SqliteConfigStore) store).pollChangesNow();
    }
}
