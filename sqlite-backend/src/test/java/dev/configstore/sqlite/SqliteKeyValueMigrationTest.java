package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
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

    private void sql(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=5000");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void eachGuildIsWrittenAtomicallyAndAFailureStopsTheRunUntilItIsRunAgain() throws Exception {
        Setting<String> prefix = Setting.text("prefix", Rule.length(1, 5)).build();
        Setting<String> language = Setting.text("language").build();
        String first = "100000000000000001";
        String second = "100000000000000002";
        try (SqliteConfigStore store = SqliteConfigStore.builder(file).build()) {
            var strings = store.keyValueStore("bot");
            strings.put(first + ":prefix", "?");
            strings.put(second + ":prefix", "!!");
            strings.put(second + ":language", "de");
            sql("CREATE TRIGGER refuse BEFORE INSERT ON configstore_settings WHEN NEW.value = '!!' BEGIN SELECT"
                    + " RAISE(ABORT, 'refused by the test'); END");
            Settings settings = store.settings(SettingsSchema.of(Map.of(), prefix, language));
            var mapping = KeyValueMigration.guildKeys(Map.of("prefix", prefix, "language", language));

            assertThatThrownBy(() -> KeyValueMigration.run(store, "bot", settings, mapping))
                    .isInstanceOf(StoreException.class);
            assertThat(settings.get(prefix, first)).as("the guild before").contains("?");
            assertThat(settings.resolve(language, second).origin())
                    .as("nothing of the failed guild, though its language was written before its prefix failed")
                    .isEqualTo(Origin.NONE);

            sql("DROP TRIGGER refuse");
            KeyValueMigration.Report report = KeyValueMigration.run(store, "bot", settings, mapping);

            assertThat(report.unchanged())
                    .extracting(KeyValueMigration.Entry::key)
                    .containsExactly(first + ":prefix");
            assertThat(report.copied())
                    .extracting(KeyValueMigration.Entry::key)
                    .containsExactly(second + ":language", second + ":prefix");
            assertThat(settings.get(language, second)).contains("de");
        }
    }

    @Test
    void anInvalidValueStoredAtTheTargetIsReplacedSinceReadsSkipIt() throws Exception {
        Setting<String> prefix = Setting.text("prefix", Rule.length(1, 5)).build();
        String guild = "100000000000000001";
        try (SqliteConfigStore store = SqliteConfigStore.builder(file).build()) {
            store.keyValueStore("bot").put(guild + ":prefix", "?");
            sql("INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('guild', '" + guild
                    + "', '', 'prefix', 'toolong')");
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
