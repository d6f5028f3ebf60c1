package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.WritePolicy;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.spi.Backend;
import dev.configstore.testkit.StorableTextTests;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresMariaDb
class MariaDbStorableTextTest extends StorableTextTests {

    private static final String NAMESPACE = "text";

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final MariaDbDatabase database = DATABASES.open();

    @Override
    protected CachedKeyValueStore<String, String> store(WritePolicy policy) {
        return CachedKeyValueStore.builder(backend()).writePolicy(policy).build();
    }

    private Backend<String, String> backend() {
        return new JdbcKeyValueBackend(database, new MariaDbSql(database), NAMESPACE, null);
    }

    @Override
    protected Map<String, String> storedRows() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = TestServer.connect();
                PreparedStatement select = connection.prepareStatement("SELECT `key`, value FROM "
                        + database.table("configstore_kv") + " WHERE namespace = ? AND value IS NOT NULL")) {
            select.setString(1, NAMESPACE);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.put(new String(row.getBytes(1), StandardCharsets.UTF_8), row.getString(2));
                }
            }
        }
        return rows;
    }

    @Test
    void keysThatDifferOnlyInCaseOrTrailingSpacesOrAccentsAreDifferentKeys() throws Exception {
        Backend<String, String> backend = backend();
        backend.write("a", "lower");
        backend.write("A", "upper");
        backend.write("a ", "trailing space");
        backend.write("á", "accent");

        assertThat(backend.read("a").orElseThrow().value()).isEqualTo("lower");
        assertThat(backend.read("A").orElseThrow().value()).isEqualTo("upper");
        assertThat(backend.read("a ").orElseThrow().value()).isEqualTo("trailing space");
        assertThat(backend.read("á").orElseThrow().value()).isEqualTo("accent");
        assertThat(storedRows()).containsOnlyKeys("a", "A", "a ", "á");
    }
}
