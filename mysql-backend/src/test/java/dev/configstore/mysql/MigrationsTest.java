package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.guild.GuildSetting;
import dev.configstore.jdbc.internal.JdbcGuildSettingsBackend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresMariaDb
class MigrationsTest {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Test
    void aNewDatabaseGetsEveryTableAndTrigger() throws Exception {
        MariaDbDatabase database = DATABASES.open();
        for (String table : java.util.List.of(
                "guild_config",
                "configstore_kv",
                Migrations.CHANGES_TABLE,
                Migrations.REMOVED_TABLE,
                Migrations.SERVER_TABLE,
                Migrations.VERSION_TABLE)) {
            assertThat(TestServer.value("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                            + database.name + "' AND TABLE_NAME = '" + table + "'"))
                    .as(table)
                    .isEqualTo(table.equals(Migrations.SERVER_TABLE) ? "MEMORY" : "InnoDB");
        }
        assertThat(TestServer.value("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '"
                        + database.name + "'"))
                .isEqualTo(String.valueOf(Migrations.TRIGGERS.size()));
        assertThat(TestServer.value("SELECT version FROM " + database.table(Migrations.VERSION_TABLE)))
                .isEqualTo(String.valueOf(Migrations.LATEST));
    }

    @Test
    void openingTwiceChangesNothing() throws Exception {
        String name = DATABASES.newName();
        DATABASES.open(name).close();
        String before = TestServer.value("SELECT GROUP_CONCAT(TABLE_NAME, CREATE_TIME ORDER BY TABLE_NAME) FROM"
                + " information_schema.TABLES WHERE TABLE_SCHEMA = '" + name + "'");
        DATABASES.open(name).close();
        assertThat(TestServer.value("SELECT GROUP_CONCAT(TABLE_NAME, CREATE_TIME ORDER BY TABLE_NAME) FROM"
                        + " information_schema.TABLES WHERE TABLE_SCHEMA = '" + name + "'"))
                .isEqualTo(before);
    }

    @Test
    void aBotsTableWithTextIdsIsAdoptedKeepingItsRowsAndColumns() throws Exception {
        String name = DATABASES.newName();
        TestServer.sql(
                "CREATE DATABASE `" + name + "`",
                "CREATE TABLE `" + name + "`.guild_config (guild_id VARCHAR(20) PRIMARY KEY, logging_channel_id"
                        + " VARCHAR(20), updated_at VARCHAR(30), notes TEXT)",
                "INSERT INTO `" + name + "`.guild_config VALUES ('123456789012345678', '42',"
                        + " '2024-01-01T00:00:00.000Z', 'kept')");
        MariaDbDatabase database = DATABASES.open(name);
        JdbcGuildSettingsBackend guilds = new JdbcGuildSettingsBackend(database, new MariaDbSql(database), null);

        assertThat(guilds.read("123456789012345678").orElseThrow().value().get(GuildSetting.LOGGING_CHANNEL_ID))
                .isEqualTo("42");
        guilds.writeSetting("123456789012345678", GuildSetting.SILENT_FIRST_MSG_DAYS, 30);
        assertThat(TestServer.value(
                        "SELECT CONCAT(notes, ' ', silent_first_msg_days) FROM `" + name + "`.guild_config"))
                .isEqualTo("kept 30");
        // The bot's own text column is kept, as text, and kept current.
        assertThat(TestServer.value("SELECT updated_at FROM `" + name + "`.guild_config"))
                .matches(ISO_MILLIS_UTC)
                .isGreaterThan("2024-01-01T00:00:00.000Z");
        assertThat(TestServer.value("SELECT TIMESTAMPDIFF(SECOND, '1970-01-01', STR_TO_DATE(updated_at,"
                        + " '%Y-%m-%dT%H:%i:%s.%fZ')) - updated_at_s BETWEEN 0 AND 1 FROM `" + name + "`.guild_config"))
                .isEqualTo("1");
    }

    private static java.util.List<String> plan(String name) throws Exception {
        try (Connection connection = TestServer.connect()) {
            return Migrations.plan(connection, name, "test");
        }
    }

    /** What the original bot (JavaScript's toISOString()) writes: UTC, milliseconds, Z. */
    private static final String ISO_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void everyWriteSetsUpdatedAtInUtcToTheMillisecondAndKeepsUpdatedAtSCurrent() throws Exception {
        MariaDbDatabase database = DATABASES.open();
        JdbcGuildSettingsBackend guilds = new JdbcGuildSettingsBackend(database, new MariaDbSql(database), null);
        guilds.writeSetting("1", GuildSetting.FLAGS_CHANNEL_ID, "7");
        TestServer.sql("UPDATE " + database.table("guild_config") + " SET updated_at = '2020-01-01', updated_at_s = 1");

        guilds.writeSetting("1", GuildSetting.FLAGS_CHANNEL_ID, "8");

        assertThat(TestServer.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                        + database.name + "' AND TABLE_NAME = 'guild_config' AND COLUMN_NAME = 'updated_at'"))
                .isEqualTo("datetime(3)");
        // In UTC whatever the session's time zone: the seconds since 1970 by the calendar are updated_at_s.
        assertThat(TestServer.value("SELECT CONCAT(updated_at > '2020-01-01', ' ', TIMESTAMPDIFF(SECOND,"
                        + " '1970-01-01', updated_at) - updated_at_s BETWEEN 0 AND 1) FROM "
                        + database.table("guild_config")))
                .isEqualTo("1 1");
    }

    @Test
    void aDatabaseMadeBeforeUpdatedAtGetsItFilledFromUpdatedAtS() throws Exception {
        String name = DATABASES.newName();
        DATABASES.open(name).close();
        TestServer.sql(
                "ALTER TABLE `" + name + "`.guild_config DROP COLUMN updated_at",
                "UPDATE `" + name + "`." + Migrations.VERSION_TABLE + " SET version = 1",
                "INSERT INTO `" + name + "`.guild_config (guild_id, logging_channel_id, updated_at_s)"
                        + " VALUES ('1', '10', 1764496800), ('2', '20', NULL)");

        assertThat(plan(name))
                .containsExactly(
                        "add column guild_config.updated_at DATETIME(3)",
                        "fill guild_config.updated_at from updated_at_s where it is missing or older",
                        "record schema version " + Migrations.LATEST + " (now 1)");
        DATABASES.open(name).close();

        assertThat(TestServer.value("SELECT GROUP_CONCAT(guild_id, '=', COALESCE(updated_at, 'none') ORDER BY"
                        + " guild_id) FROM `" + name + "`.guild_config"))
                .isEqualTo("1=2025-11-30 10:00:00.000,2=none");
        assertThat(plan(name)).isEmpty();
    }

    @Test
    void aBotsTableWithUnsignedBigintIdsIsAdopted() throws Exception {
        String name = DATABASES.newName();
        TestServer.sql(
                "CREATE DATABASE `" + name + "`",
                "CREATE TABLE `" + name + "`.guild_config (guild_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,"
                        + " flags_channel_id VARCHAR(20))",
                "INSERT INTO `" + name + "`.guild_config VALUES (18446744073709551615, '7')");
        MariaDbDatabase database = DATABASES.open(name);
        JdbcGuildSettingsBackend guilds = new JdbcGuildSettingsBackend(database, new MariaDbSql(database), null);

        assertThat(guilds.read("18446744073709551615").orElseThrow().value().get(GuildSetting.FLAGS_CHANNEL_ID))
                .isEqualTo("7");
        long first = guilds.writeSetting("18446744073709551615", GuildSetting.FLAGS_CHANNEL_ID, "8");
        long second = guilds.writeSetting("18446744073709551614", GuildSetting.FLAGS_CHANNEL_ID, "9");
        assertThat(second).isPositive();
        assertThat(guilds.read("18446744073709551615").orElseThrow().version()).isEqualTo(first);
        assertThat(guilds.guildIds(0, 10)).containsExactlyInAnyOrder("18446744073709551614", "18446744073709551615");
    }

    @Test
    void aSchemaFromANewerConfigstoreIsRefusedUnchanged() throws Exception {
        String name = DATABASES.newName();
        TestServer.sql(
                "CREATE DATABASE `" + name + "`",
                "CREATE TABLE `" + name + "`." + Migrations.VERSION_TABLE + " (version INT NOT NULL)",
                "INSERT INTO `" + name + "`." + Migrations.VERSION_TABLE + " VALUES (" + (Migrations.LATEST + 1) + ")");

        assertThatThrownBy(() -> DATABASES.open(name))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("newer configstore");
        assertThat(TestServer.value(
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + name + "'"))
                .isEqualTo("1");
    }

    @Test
    void anotherProcessHoldingTheMigrationLockIsWaitedFor() throws Exception {
        String name = DATABASES.newName();
        try (Connection holder = TestServer.connect();
                PreparedStatement lock = holder.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            lock.setString(1, Migrations.lockName(name));
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                assertThat(row.getInt(1)).isEqualTo(1);
            }
            java.util.concurrent.CompletableFuture<MariaDbDatabase> opening =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> DATABASES.open(name));
            // Until the lock is released, the opening process waits in GET_LOCK and creates nothing.
            Conditions.await("the opening process to wait for the lock", () -> {
                try {
                    return "1"
                            .equals(TestServer.value("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE"
                                    + " INFO LIKE 'SELECT GET_LOCK(%configstore migrations " + name + "%'"));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(TestServer.value(
                            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'"))
                    .isEqualTo("0");
            try (PreparedStatement release = holder.prepareStatement("DO RELEASE_LOCK(?)")) {
                release.setString(1, Migrations.lockName(name));
                release.execute();
            }
            assertThat(opening.join().name).isEqualTo(name);
        }
    }

    @Test
    void busyTimeoutsBecomeWholeSecondsRoundedUp() {
        assertThat(MariaDbDatabase.lockWaitSeconds(java.time.Duration.ZERO)).isZero();
        assertThat(MariaDbDatabase.lockWaitSeconds(java.time.Duration.ofMillis(1)))
                .isEqualTo(1);
        assertThat(MariaDbDatabase.lockWaitSeconds(java.time.Duration.ofSeconds(1)))
                .isEqualTo(1);
        assertThat(MariaDbDatabase.lockWaitSeconds(java.time.Duration.ofMillis(1500)))
                .isEqualTo(2);
    }
}
