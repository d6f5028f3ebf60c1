package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adopting existing bot databases, refusing newer ones, and migrating only what is missing. */
class MigrationsTest {

    @TempDir
    Path folder;

    private Path file() {
        return folder.resolve("bot.db");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private List<List<Object>> rows(String query) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(result.getObject(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void aBotDatabaseWithOnlySomeColumnsIsAdoptedWithoutChangingARow() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)",
                "INSERT INTO guild_config VALUES ('111111111111111111', '222222222222222222')",
                "INSERT INTO guild_config VALUES ('333333333333333333', NULL)",
                "CREATE TABLE bot_notes (id INTEGER PRIMARY KEY, text TEXT)",
                "INSERT INTO bot_notes VALUES (1, 'keep me')");
        List<List<Object>> before = rows("SELECT guild_id, logging_channel_id FROM guild_config ORDER BY guild_id");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            assertThat(store.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("222222222222222222");
            store.flaggerStore().setSilentFirstMsgDays("111111111111111111", 30);
            assertThat(store.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("222222222222222222");
            assertThat(store.flaggerStore().getFlaggerConfig("333333333333333333"))
                    .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
        }

        assertThat(rows("SELECT guild_id, logging_channel_id FROM guild_config ORDER BY guild_id"))
                .isEqualTo(before);
        assertThat(Migrations.columns(DriverManager.getConnection("jdbc:sqlite:" + file()), "guild_config"))
                .contains(
                        "guild_id",
                        "logging_channel_id",
                        "flags_channel_id",
                        "silent_first_msg_days",
                        "updated_at",
                        "updated_at_s",
                        "version");
        assertThat(rows("SELECT text FROM bot_notes")).containsExactly(List.of("keep me"));
        assertThat(rows("SELECT version FROM configstore_schema_version"))
                .containsExactly(List.of(Integer.toString(Migrations.LATEST)));
    }

    @Test
    void anOlderTextTimestampIsKeptAndCarriedOver() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " flags_channel_id TEXT, silent_first_msg_days INTEGER, updated_at TEXT)",
                "INSERT INTO guild_config VALUES ('111111111111111111', NULL, '444444444444444444', 14,"
                        + " '2024-05-01 12:00:00')");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            assertThat(store.flaggerStore().getFlaggerConfig("111111111111111111"))
                    .isEqualTo(
                            new FlaggerConfig(Optional.of("444444444444444444"), 14, Source.DATABASE, Source.DATABASE));
        }

        assertThat(rows("SELECT updated_at, updated_at_s FROM guild_config"))
                .containsExactly(List.of("2024-05-01 12:00:00", "1714564800"));
    }

    /** What the original bot (JavaScript's toISOString()) writes: UTC, milliseconds, Z. */
    private static final String ISO_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    /** Checks that updated_at has the original bot's shape and updated_at_s is the same time, to the second. */
    private void assertTimesOfChange(String guildId) throws SQLException {
        List<Object> row = rows("SELECT updated_at, updated_at_s, CAST(strftime('%s', updated_at) AS INTEGER)"
                        + " FROM guild_config WHERE guild_id = '" + guildId + "'")
                .get(0);
        assertThat((String) row.get(0)).matches(ISO_MILLIS_UTC);
        long seconds = Long.parseLong((String) row.get(2));
        // updated_at_s is read from the clock just before the statement runs.
        assertThat(Long.parseLong((String) row.get(1))).isBetween(seconds - 1, seconds);
    }

    @Test
    void everyWriteSetsUpdatedAtAsTheOriginalBotWritesItAndKeepsUpdatedAtSCurrent() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId("111111111111111111", "222222222222222222");
            assertTimesOfChange("111111111111111111");
            sql("UPDATE guild_config SET updated_at = '2020-01-01T00:00:00.000Z', updated_at_s = 1");

            store.flaggerStore().setSilentFirstMsgDays("111111111111111111", 30);

            assertTimesOfChange("111111111111111111");
            assertThat(rows("SELECT updated_at > '2020-01-01T00:00:00.000Z', updated_at_s > 1 FROM guild_config"))
                    .containsExactly(List.of("1", "1"));
        }
        assertThat(rows("SELECT type FROM pragma_table_info('guild_config') WHERE name = 'updated_at'"))
                .containsExactly(List.of("TEXT"));
    }

    @Test
    void anAdoptedOriginalTableKeepsItsUpdatedAtAndAWriteChangesIt() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " flags_channel_id TEXT, silent_first_msg_days INTEGER, updated_at TEXT)",
                "INSERT INTO guild_config VALUES ('111111111111111111', '222222222222222222', NULL, NULL,"
                        + " '2024-05-01T12:00:00.000Z')",
                "INSERT INTO guild_config VALUES ('333333333333333333', '444444444444444444', NULL, NULL,"
                        + " '2024-05-01T12:00:00.000Z')");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.flaggerStore().setSilentFirstMsgDays("111111111111111111", 30);
        }

        assertTimesOfChange("111111111111111111");
        assertThat(rows("SELECT updated_at > '2024-05-01T12:00:00.000Z' FROM guild_config ORDER BY guild_id"))
                .as("only the row written changes")
                .containsExactly(List.of("1"), List.of("0"));
        assertThat(rows("SELECT updated_at, updated_at_s FROM guild_config WHERE guild_id = '333333333333333333'"))
                .containsExactly(List.of("2024-05-01T12:00:00.000Z", "1714564800"));
    }

    /**
     * A database as configstore 0.1 (schema version 3) left it: no updated_at on a table it
     * created, and a stale one on the original bot's table it adopted, where only updated_at_s
     * was kept current.
     */
    @Test
    void aDatabaseMadeBy01GetsUpdatedAtFilledFromUpdatedAtS() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " flags_channel_id TEXT, silent_first_msg_days INTEGER, updated_at_s INTEGER,"
                        + " version INTEGER NOT NULL DEFAULT 1)",
                "INSERT INTO guild_config VALUES ('1', '10', NULL, NULL, 1764496800, 1)",
                "INSERT INTO guild_config VALUES ('2', '20', NULL, NULL, NULL, 1)");
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().getLoggingChannelId("111111111111111111");
        }
        sql("ALTER TABLE guild_config DROP COLUMN updated_at", "UPDATE configstore_schema_version SET version = 3");

        assertThat(SqliteConfigStore.pendingMigrations(file()))
                .containsExactly(
                        "add column guild_config.updated_at TEXT",
                        "fill guild_config.updated_at from updated_at_s where it is missing or older (rows"
                                + " configstore 0.1 changed)",
                        "record schema version " + Migrations.LATEST + " (now 3)");
        SqliteConfigStore.open(file()).close();

        assertThat(rows("SELECT guild_id, updated_at, updated_at_s FROM guild_config ORDER BY guild_id"))
                .containsExactly(List.of("1", "2025-11-30T10:00:00.000Z", "1764496800"), List.of("2", "null", "null"));
        assertThat(SqliteConfigStore.pendingMigrations(file())).isEmpty();
    }

    @Test
    void anOriginalTableAdoptedBy01GetsItsStaleUpdatedAtFilledAndNewerOnesKept() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " flags_channel_id TEXT, silent_first_msg_days INTEGER, updated_at TEXT)",
                "INSERT INTO guild_config VALUES ('1', '10', NULL, NULL, '2024-01-01T00:00:00.000Z')",
                "INSERT INTO guild_config VALUES ('2', '20', NULL, NULL, '2025-12-01T00:00:00.500Z')",
                "INSERT INTO guild_config VALUES ('3', '30', NULL, NULL, 'some day')");
        SqliteConfigStore.open(file()).close();
        // What 0.1 did on a change: updated_at_s moved on, updated_at stayed.
        sql("UPDATE guild_config SET updated_at_s = 1764496800", "UPDATE configstore_schema_version SET version = 3");

        SqliteConfigStore.open(file()).close();

        assertThat(rows("SELECT guild_id, updated_at, updated_at_s FROM guild_config ORDER BY guild_id"))
                .containsExactly(
                        List.of("1", "2025-11-30T10:00:00.000Z", "1764496800"),
                        List.of("2", "2025-12-01T00:00:00.500Z", "1764496800"),
                        List.of("3", "some day", "1764496800"));
    }

    @Test
    void openingTwiceMigratesOnceAndChangesNothingTheSecondTime() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId("111111111111111111", "222222222222222222");
        }
        List<List<Object>> schema = rows("SELECT type, name, sql FROM sqlite_master ORDER BY name");
        List<List<Object>> data = rows("SELECT * FROM guild_config");

        try (SqliteConfigStore again = SqliteConfigStore.open(file())) {
            assertThat(again.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("222222222222222222");
            assertThat(rows("SELECT type, name, sql FROM sqlite_master ORDER BY name"))
                    .isEqualTo(schema);
            assertThat(rows("SELECT * FROM guild_config")).isEqualTo(data);
        }
    }

    @Test
    void aDatabaseFromANewerConfigstoreIsRefusedAndLeftUntouched() throws Exception {
        sql(
                "CREATE TABLE configstore_schema_version (version INTEGER NOT NULL)",
                "INSERT INTO configstore_schema_version VALUES (" + (Migrations.LATEST + 1) + ")",
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, something_new BLOB)");
        byte[] before = Files.readAllBytes(file());

        assertThatThrownBy(() -> SqliteConfigStore.open(file()))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("was written by a newer configstore (schema version " + (Migrations.LATEST + 1))
                .hasMessageContaining("the file was not changed");

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(folder.resolve("bot.db-wal")).doesNotExist();
    }

    @Test
    void aGuildTableWithoutAUniqueGuildIdGetsOneUnlessRowsRepeat() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT, logging_channel_id TEXT)",
                "INSERT INTO guild_config VALUES ('111111111111111111', '222222222222222222')");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId("111111111111111111", "333333333333333333");
            assertThat(store.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("333333333333333333");
        }
        assertThat(rows("SELECT COUNT(*) FROM guild_config")).containsExactly(List.of("1"));
    }

    @Test
    void aGuildTableWithRepeatedGuildIdsIsRefusedWithWhatToDo() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT, logging_channel_id TEXT)",
                "INSERT INTO guild_config VALUES ('111111111111111111', '1')",
                "INSERT INTO guild_config VALUES ('111111111111111111', '2')");

        assertThatThrownBy(() -> SqliteConfigStore.open(file()))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONSTRAINT))
                .hasMessageContaining("several rows for one guild_id");
        assertThat(rows("SELECT COUNT(*) FROM guild_config")).containsExactly(List.of("2"));
        assertThat(rows("SELECT name FROM sqlite_master WHERE name LIKE 'configstore%'"))
                .isEmpty();
    }

    @Test
    void aReadOnlyStoreNeedsACurrentSchema() throws Exception {
        sql("CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)");

        assertThatThrownBy(() -> SqliteConfigStore.builder(file()).readOnly().build())
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(StoreException.Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("Open it once without readOnly()");
    }

    private void putWelcome(String... keysAndValues) {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                store.keyValueStore("welcome").put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
    }

    private List<List<Object>> keyValueColumns() throws SQLException {
        return rows("SELECT name, type, \"notnull\", pk FROM pragma_table_info('configstore_kv') ORDER BY cid");
    }

    private static final List<List<Object>> KEY_VALUE_COLUMNS = List.of(
            List.of("namespace", "TEXT", "1", "1"),
            List.of("key", "TEXT", "1", "2"),
            List.of("value", "TEXT", "0", "0"),
            List.of("version", "INTEGER", "1", "0"),
            List.of("updated_at_s", "INTEGER", "1", "0"));

    @Test
    void aRenamedAndADroppedKeyValueColumnAndADroppedTriggerAreRestoredWhenTheFileIsOpened() throws Exception {
        putWelcome("greeting", "hello", "farewell", "bye");
        sql(
                "DROP TRIGGER configstore_kv_updated",
                "ALTER TABLE configstore_kv RENAME COLUMN value TO val",
                "ALTER TABLE configstore_kv DROP COLUMN updated_at_s");

        assertThat(SqliteConfigStore.pendingMigrations(file()))
                .containsExactly(
                        "rename column configstore_kv.val back to value (it was renamed; its data is kept)",
                        "add column configstore_kv.updated_at_s INTEGER NOT NULL DEFAULT 0 (it was dropped: the times"
                                + " of the last change are gone and read as 0).",
                        "create trigger configstore_kv_updated");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            assertThat(welcome.get("greeting"))
                    .as("the renamed column's data is kept")
                    .contains("hello");
            welcome.put("greeting", "hi");
            assertThat(welcome.get("greeting")).contains("hi");
        }
        assertThat(keyValueColumns()).isEqualTo(KEY_VALUE_COLUMNS);
        assertThat(rows("SELECT key, value FROM configstore_kv ORDER BY key"))
                .containsExactly(List.of("farewell", "bye"), List.of("greeting", "hi"));
        assertThat(
                        rows(
                                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'configstore_kv_updated'"))
                .containsExactly(List.of("1"));
        assertThat(SqliteConfigStore.pendingMigrations(file())).isEmpty();
    }

    @Test
    void aDroppedValueColumnComesBackEmptyAndTheStepSaysTheValuesAreGone() throws Exception {
        putWelcome("greeting", "hello");
        sql(
                "ALTER TABLE configstore_kv DROP COLUMN value",
                // A column of the user's own, added at the end, is not mistaken for a renamed one.
                "ALTER TABLE configstore_kv ADD COLUMN note TEXT");

        assertThat(SqliteConfigStore.pendingMigrations(file()))
                .singleElement(as(STRING))
                .startsWith("add column configstore_kv.value TEXT (it was dropped: the values it held are gone");

        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            assertThat(welcome.get("greeting")).isEmpty();
            welcome.put("greeting", "hi");
            assertThat(welcome.get("greeting")).contains("hi");
        }
        assertThat(rows("SELECT name FROM pragma_table_info('configstore_kv') ORDER BY cid"))
                .extracting(row -> row.get(0))
                .containsExactly("namespace", "key", "version", "updated_at_s", "note", "value");
    }

    @Test
    void aRenamedKeyColumnIsRenamedBackAndTwoThatCannotBeToldApartAreRefusedWithWhatToDo() throws Exception {
        putWelcome("greeting", "hello");
        sql("ALTER TABLE configstore_kv RENAME COLUMN key TO k");
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            assertThat(store.keyValueStore("welcome").get("greeting")).contains("hello");
        }
        assertThat(keyValueColumns()).isEqualTo(KEY_VALUE_COLUMNS);

        sql(
                "ALTER TABLE configstore_kv RENAME COLUMN namespace TO a",
                "ALTER TABLE configstore_kv RENAME COLUMN key TO b");
        assertThat(SqliteConfigStore.pendingMigrations(file()))
                .anySatisfy(step -> assertThat(step).contains("no column namespace, which is part of its primary key"));
        assertThatThrownBy(() -> SqliteConfigStore.open(file()))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("cannot put it back without losing rows, so nothing was changed")
                .hasMessageContaining("RENAME TO configstore_kv_old");
        assertThat(rows("SELECT a, b, value FROM configstore_kv"))
                .containsExactly(List.of("welcome", "greeting", "hello"));
    }

    @Test
    void aColumnDroppedUnderARunningStoreFailsWithWhatFixesItAndMigratingElsewhereFixesIt() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            welcome.put("greeting", "hello");
            welcome.invalidateAll();
            sql("ALTER TABLE configstore_kv RENAME COLUMN value TO val");

            assertThatThrownBy(() -> welcome.get("greeting"))
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.SCHEMA_OUTDATED))
                    .hasMessageContaining("has no column value")
                    .hasMessageContaining("Run 'configstore migrate' on the file (the bot can keep running)");

            // What 'configstore migrate' does: open the file with a store that can write.
            SqliteConfigStore.open(file()).close();

            assertThat(welcome.get("greeting")).contains("hello");
        }
    }
}
