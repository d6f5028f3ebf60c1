package dev.configstore.sqlite;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.WritePolicy;
import dev.configstore.testkit.StorableTextTests;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorableTextTest extends StorableTextTests {

    private static final String NAMESPACE = "text";

    @TempDir
    Path folder;

    private @Nullable SqliteConfigStore opened;

    @AfterEach
    void close() {
        if (opened != null) {
            opened.close();
        }
    }

    private Path file() {
        return folder.resolve("bot.db");
    }

    @Override
    protected CachedKeyValueStore<String, String> store(WritePolicy policy) {
        SqliteConfigStore store = SqliteConfigStore.builder(file())
                .cache(cache -> cache.writePolicy(policy))
                .disableChangeFeed()
                .build();
        opened = store;
        return store.keyValueStore(NAMESPACE);
    }

    @Override
    protected Map<String, String> storedRows() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                PreparedStatement select = connection.prepareStatement(
                        "SELECT key, value FROM configstore_kv WHERE namespace = ? AND value IS NOT NULL")) {
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
