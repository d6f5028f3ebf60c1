package dev.configstore.sqlite;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.testkit.NamespaceTests;
import java.nio.file.Path;
import java.util.List;

class SqliteNamespaceTest extends NamespaceTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected OpenStore open() {
        SqliteConfigStore store =
                SqliteConfigStore.builder(file).manualChangeFeed().build();
        return new OpenStore() {
            @Override
            public CachedKeyValueStore<String, String> keyValueStore(String namespace) {
                return store.keyValueStore(namespace);
            }

            @Override
            public List<String> keys(String namespace, long offset, int limit) {
                return store.keys(namespace, offset, limit);
            }

            @Override
            public ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener) {
                return store.watchKeyValueChanges(namespace, listener);
            }

            @Override
            public void pollChangesNow() {
                store.pollChangesNow();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
