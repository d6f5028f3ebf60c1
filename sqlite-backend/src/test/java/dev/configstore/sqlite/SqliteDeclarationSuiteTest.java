package dev.configstore.sqlite;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.DeclarationTests;
import java.nio.file.Path;

/** The record of declared settings on a SQLite file of its own per test. */
class SqliteDeclarationSuiteTest extends DeclarationTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }

    @Override
    protected ConfigStore openReadOnly() {
        return SqliteConfigStore.builder(file).readOnly().manualChangeFeed().build();
    }
}
