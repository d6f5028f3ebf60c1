package dev.configstore.postgres;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.testkit.NamespaceTests;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresNamespaceTest extends NamespaceTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected OpenStore open() {
        PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed()
                .build();
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
