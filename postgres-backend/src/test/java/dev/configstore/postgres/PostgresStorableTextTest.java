package dev.configstore.postgres;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.WritePolicy;
import dev.configstore.testkit.StorableTextTests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresStorableTextTest extends StorableTextTests {

    private static final String NAMESPACE = "text";

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    private @Nullable PostgresConfigStore opened;

    @AfterEach
    void close() {
        if (opened != null) {
            opened.close();
        }
    }

    @Override
    protected CachedKeyValueStore<String, String> store(WritePolicy policy) {
        PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .cache(cache -> cache.writePolicy(policy))
                .disableChangeFeed()
                .build();
        opened = store;
        return store.keyValueStore(NAMESPACE);
    }

    @Override
    protected Map<String, String> storedRows() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = TestServer.connect();
                PreparedStatement select = connection.prepareStatement("SELECT key, value FROM " + schema
                        + ".configstore_kv WHERE namespace = ? AND value IS NOT NULL")) {
            select.setString(1, NAMESPACE);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getString(1), row.getString(2));
                }
            }
        }
        return rows;
    }
}
