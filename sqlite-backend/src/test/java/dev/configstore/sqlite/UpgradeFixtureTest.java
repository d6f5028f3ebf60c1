package dev.configstore.sqlite;

import static dev.configstore.sqlite.UpgradeFixture.ALL_SET;
import static dev.configstore.sqlite.UpgradeFixture.AUTO_ROLES;
import static dev.configstore.sqlite.UpgradeFixture.BOTS_COLUMN;
import static dev.configstore.sqlite.UpgradeFixture.BOTS_OWN_ROW;
import static dev.configstore.sqlite.UpgradeFixture.BOTS_TABLE;
import static dev.configstore.sqlite.UpgradeFixture.CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.CLEARED;
import static dev.configstore.sqlite.UpgradeFixture.DAYS_ONLY;
import static dev.configstore.sqlite.UpgradeFixture.FLAGS_CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.FLAGS_ONLY;
import static dev.configstore.sqlite.UpgradeFixture.LEVEL;
import static dev.configstore.sqlite.UpgradeFixture.LOGGING_CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.LOGGING_ONLY;
import static dev.configstore.sqlite.UpgradeFixture.MUSIC;
import static dev.configstore.sqlite.UpgradeFixture.OTHER_CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.OTHER_FLAGS_CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.OTHER_LOGGING_CHANNEL;
import static dev.configstore.sqlite.UpgradeFixture.OTHER_ROLE;
import static dev.configstore.sqlite.UpgradeFixture.PREFIX;
import static dev.configstore.sqlite.UpgradeFixture.REMOVED_KEY;
import static dev.configstore.sqlite.UpgradeFixture.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.Resolved;
import dev.configstore.guild.Source;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Settings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Opening a copy of a database made by an earlier configstore ({@link UpgradeFixture}, committed
 * as a file) with the current code: whatever migrations it runs, every table, column and value the
 * file held is still there, and the facades, the key-value stores and the declared settings serve
 * what was stored. Checks what the file held, never which schema version or which tables the
 * current code adds.
 */
class UpgradeFixtureTest {

    /**
     * configstore's bookkeeping, left out of the comparison: the change log may be trimmed, and
     * the schema version moves on with every migration.
     */
    private static final Set<String> BOOKKEEPING =
            Set.of("configstore_changes", "sqlite_sequence", "configstore_schema_version");

    private final Path copy = TestDatabases.newFile();

    @Test
    void openingADatabaseMadeByAnEarlierVersionKeepsEveryTableColumnAndValueAndServesThem() throws Exception {
        copyFixture();
        Map<String, List<Map<String, Object>>> before = contents();
        assertThat(before).containsKeys("guild_config", "configstore_kv", "configstore_settings", BOTS_TABLE);
        assertThat(row(before, ALL_SET)).containsKey(BOTS_COLUMN);

        try (SqliteConfigStore store = SqliteConfigStore.open(copy)) {
            assertServed(store);
        }

        Map<String, List<Map<String, Object>>> after = contents();
        for (Map.Entry<String, List<Map<String, Object>>> table : before.entrySet()) {
            if (BOOKKEEPING.contains(table.getKey())) {
                continue;
            }
            assertThat(after).as("table %s", table.getKey()).containsKey(table.getKey());
            List<Map<String, Object>> rows = after.get(table.getKey());
            assertThat(rows).as("rows of %s", table.getKey()).hasSameSizeAs(table.getValue());
            for (Map<String, Object> was : table.getValue()) {
                // Columns the current code added are allowed; every column and value that was there stays.
                assertThat(rows)
                        .as("a row of %s holding %s", table.getKey(), was)
                        .anySatisfy(row -> assertThat(row).containsAllEntriesOf(was));
            }
        }

        try (SqliteConfigStore store = SqliteConfigStore.open(copy)) {
            assertServed(store);
            store.loggingStore().setLoggingChannelId(ALL_SET, OTHER_LOGGING_CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays(BOTS_OWN_ROW, 21);
            assertThat(store.loggingStore().getLoggingChannelId(ALL_SET)).contains(OTHER_LOGGING_CHANNEL);
            assertThat(store.flaggerStore().getFlaggerConfig(BOTS_OWN_ROW).silentDays())
                    .isEqualTo(21);
        }
        Map<String, List<Map<String, Object>>> written = contents();
        assertThat(row(written, ALL_SET))
                .as("a write keeps the bot's own column")
                .containsEntry(BOTS_COLUMN, "Welcome to the first guild!")
                .containsEntry("flags_channel_id", FLAGS_CHANNEL);
        assertThat(row(written, BOTS_OWN_ROW)).containsEntry(BOTS_COLUMN, "Only the bot's own column");
        assertThat(written.get(BOTS_TABLE)).isEqualTo(before.get(BOTS_TABLE));
    }

    private static void assertServed(SqliteConfigStore store) {
        assertThat(store.flaggerStore().getFlaggerConfig(ALL_SET))
                .isEqualTo(new FlaggerConfig(Optional.of(FLAGS_CHANNEL), 30, Source.DATABASE, Source.DATABASE));
        assertThat(store.loggingStore().resolveLoggingChannel(ALL_SET))
                .isEqualTo(new Resolved<>(Optional.of(LOGGING_CHANNEL), Source.DATABASE));
        assertThat(store.loggingStore().resolveLoggingChannel(LOGGING_ONLY))
                .isEqualTo(new Resolved<>(Optional.of(OTHER_LOGGING_CHANNEL), Source.DATABASE));
        assertThat(store.flaggerStore().getFlaggerConfig(LOGGING_ONLY))
                .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
        assertThat(store.flaggerStore().getFlaggerConfig(DAYS_ONLY))
                .isEqualTo(new FlaggerConfig(Optional.empty(), 14, Source.DEFAULT, Source.DATABASE));
        assertThat(store.loggingStore().getLoggingChannelId(DAYS_ONLY)).isEmpty();
        assertThat(store.flaggerStore().getFlaggerConfig(FLAGS_ONLY))
                .isEqualTo(new FlaggerConfig(Optional.of(OTHER_FLAGS_CHANNEL), 7, Source.DATABASE, Source.DEFAULT));
        for (String nothingStored : List.of(CLEARED, BOTS_OWN_ROW)) {
            assertThat(store.loggingStore().resolveLoggingChannel(nothingStored))
                    .isEqualTo(new Resolved<>(Optional.empty(), Source.DEFAULT));
            assertThat(store.flaggerStore().getFlaggerConfig(nothingStored))
                    .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
        }
        assertThat(store.guildIds(0, 100)).containsExactly(ALL_SET, LOGGING_ONLY, DAYS_ONLY, FLAGS_ONLY);
        assertThat(store.guildConfig().schema().skippedValues()).isZero();

        UpgradeFixture.KEY_VALUES.forEach((namespace, values) -> {
            values.forEach(
                    (key, value) -> assertThat(store.keyValueStore(namespace).get(key))
                            .as("%s/%s", namespace, key)
                            .contains(value));
            assertThat(store.keys(namespace, 0, 100)).containsExactlyInAnyOrderElementsOf(values.keySet());
        });
        assertThat(store.keyValueStore("welcome").get(REMOVED_KEY)).isEmpty();

        Settings settings = store.settings(UpgradeFixture.schema());
        assertThat(settings.resolveGlobal(LEVEL)).isEqualTo(resolved(20, Origin.GLOBAL));
        assertThat(settings.resolveGlobal(MUSIC)).isEqualTo(resolved(true, Origin.GLOBAL));
        assertThat(settings.resolve(LEVEL, ALL_SET)).isEqualTo(resolved(40, Origin.GUILD));
        assertThat(settings.resolve(LEVEL, ALL_SET, CHANNEL)).isEqualTo(resolved(60, Origin.CHANNEL));
        assertThat(settings.resolve(PREFIX, ALL_SET, CHANNEL)).isEqualTo(resolved("$", Origin.CHANNEL));
        assertThat(settings.resolve(PREFIX, ALL_SET, OTHER_CHANNEL)).isEqualTo(resolved("?", Origin.GUILD));
        assertThat(settings.resolve(AUTO_ROLES, ALL_SET)).isEqualTo(resolved(List.of(ROLE, OTHER_ROLE), Origin.GUILD));
        assertThat(settings.resolve(PREFIX, LOGGING_ONLY)).isEqualTo(resolved("%", Origin.GUILD));
        assertThat(settings.resolve(LEVEL, LOGGING_ONLY, OTHER_CHANNEL)).isEqualTo(resolved(70, Origin.CHANNEL));
        assertThat(settings.resolve(LEVEL, LOGGING_ONLY, CHANNEL)).isEqualTo(resolved(20, Origin.GLOBAL));
        assertThat(settings.resolve(MUSIC, LOGGING_ONLY)).isEqualTo(resolved(false, Origin.GUILD));
        assertThat(settings.resolve(MUSIC, DAYS_ONLY)).isEqualTo(resolved(true, Origin.GLOBAL));
        assertThat(settings.resolve(PREFIX, DAYS_ONLY)).isEqualTo(resolved("!", Origin.DEFAULT));
        assertThat(settings.resolve(AUTO_ROLES, DAYS_ONLY).origin()).isEqualTo(Origin.NONE);
        assertThat(settings.schema().skippedValues()).isZero();
    }

    private static <T> Resolution<T> resolved(T value, Origin origin) {
        return new Resolution<>(Optional.of(value), origin, List.of());
    }

    /**
     * Runs the fixture's generator with today's code and opens what it made: the generator keeps
     * making a database that holds everything the upgrade test checks, so the fixture can be made
     * again when the schema moves on. With {@code -Dconfigstore.fixture.write=<new file>} the
     * database is made there, to be committed as the next fixture (see {@link UpgradeFixture});
     * otherwise in a file of the test's own.
     */
    @Test
    void theGeneratorMakesADatabaseThatServesWhatTheUpgradeTestChecks() throws Exception {
        String wanted = System.getProperty("configstore.fixture.write", "");
        Path file = wanted.isEmpty() ? TestDatabases.newFile() : Path.of(wanted);
        Files.createDirectories(file.toAbsolutePath().getParent());

        UpgradeFixture.write(file);

        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            assertServed(store);
        }
    }

    private void copyFixture() throws Exception {
        Files.createDirectories(copy.getParent());
        try (InputStream fixture = UpgradeFixtureTest.class.getResourceAsStream(UpgradeFixture.RESOURCE)) {
            assertThat(fixture).as(UpgradeFixture.RESOURCE).isNotNull();
            Files.copy(Objects.requireNonNull(fixture), copy);
        }
    }

    private static Map<String, Object> row(Map<String, List<Map<String, Object>>> contents, String guildId) {
        return Objects.requireNonNull(contents.get("guild_config")).stream()
                .filter(row -> guildId.equals(row.get("guild_id")))
                .findFirst()
                .orElseThrow();
    }

    /** Every row of every table, by table name; NULL as the text {@code NULL}. */
    private Map<String, List<Map<String, Object>>> contents() throws SQLException {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                List<Map<String, Object>> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("SELECT * FROM \"" + name + "\"")) {
                    ResultSetMetaData columns = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            Object value = result.getObject(i);
                            row.put(columns.getColumnName(i), value == null ? "NULL" : value);
                        }
                        rows.add(row);
                    }
                }
                tables.put(name, rows);
            }
        }
        return tables;
    }
}
