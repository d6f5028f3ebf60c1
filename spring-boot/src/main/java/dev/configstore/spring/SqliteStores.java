package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;

/** Opens a SQLite store; loaded only when configstore-sqlite is on the class path. */
final class SqliteStores {

    private SqliteStores() {}

    static ConfigStore open(Path path, ConfigStoreProperties properties) {
        return StoreOpener.build(SqliteConfigStore.builder(path), properties);
    }
}
