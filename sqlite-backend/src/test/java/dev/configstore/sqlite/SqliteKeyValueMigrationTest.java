package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.KeyValueMigration;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.testkit.KeyValueMigrationTests;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key-value migration's suite on a SQLite file of its own per test. */
class SqliteKeyValueMigrationTest extends KeyValueMigrationTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }

    @Test
    void anInvalidValueStoredAtTheTargetIsReplacedSinceReadsSkipIt() throws Exception {
        Setting<String> prefix = Setting.text("prefix", Rule.length(1, 5)).build();
        String guild = "100000000000000001";
        try (SqliteConfigStore store = SqliteConfigStore.builder(file).build()) {
            store.keyValueStore("bot").put(guild + ":prefix", "?");
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value)"
                        + " VALUES ('guild', '" + guild + "', '', 'prefix', 'toolong')");
            }
            Settings settings = store.settings(SettingsSchema.of(Map.of(), prefix));
            assertThat(settings.resolve(prefix, guild).origin()).isEqualTo(Origin.NONE);

            KeyValueMigration.Report report = KeyValueMigration.run(
                    store, "bot", settings, KeyValueMigration.guildKeys(Map.of("prefix", prefix)));

            assertThat(report.migratedKeys()).containsExactly(guild + ":prefix");
            assertThat(settings.resolve(prefix, guild).value()).contains("?");
            assertThat(settings.resolve(prefix, guild).skipped()).isEmpty();
        }
    }
}
