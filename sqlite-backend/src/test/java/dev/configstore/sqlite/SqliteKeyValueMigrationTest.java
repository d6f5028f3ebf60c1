package dev.configstore.sqlite;

import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.KeyValueMigrationTests;
import java.nio.file.Path;

/** The key-value migration's suite on a SQLite file of its own per test. */
class SqliteKeyValueMigrationTest extends KeyValueMigrationTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }
}
