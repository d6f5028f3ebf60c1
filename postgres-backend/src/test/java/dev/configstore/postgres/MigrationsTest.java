package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Adopting existing bot tables, refusing newer schemas, adding only what is missing, and two
 * processes migrating one schema at once.
 */
@RequiresPostgres
class MigrationsTest {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private PostgresConfigStore open() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .disableChangeFeed()
                .build();
    }

    private String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    private List<List<String>> columns(String table) throws Exception {
        return TestServer.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '"
                + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private long count(String what, String name) throws Exception {
        String query = switch (what) {
            case "trigger" ->
                "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema
                        + "' AND t.tgname = '" + name + "'";
            case "table" ->
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + name + "'";
            default -> throw new IllegalArgumentException(what);
        };
        return Long.parseLong(TestServer.value(query));
    }

    @Test
    void aBotTableWithOnlySomeColumnsIsAdoptedWithoutChangingARow() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('111111111111111111', '222222222222222222')",
                "INSERT INTO " + table("guild_config") + " VALUES ('333333333333333333', NULL)",
                "CREATE TABLE " + table("bot_notes") + " (id INTEGER PRIMARY KEY, text TEXT)",
                "INSERT INTO " + table("bot_notes") + " VALUES (1, 'keep me')");
        String rows = "SELECT guild_id, logging_channel_id FROM " + table("guild_config") + " ORDER BY guild_id";
        List<List<String>> before = TestServer.rows(rows);

        try (PostgresConfigStore store = open()) {
            assertThat(store.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("222222222222222222");
            store.flaggerStore().setSilentFirstMsgDays("111111111111111111", 30);
            assertThat(store.loggingStore().getLoggingChannelId("111111111111111111"))
                    .contains("222222222222222222");
            assertThat(store.flaggerStore().getFlaggerConfig("333333333333333333"))
                    .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
        }

        assertThat(TestServer.rows(rows)).isEqualTo(before);
        assertThat(columns("guild_config"))
                .containsExactly(
                        List.of("guild_id", "text"),
                        List.of("logging_channel_id", "text"),
                        List.of("flags_channel_id", "text"),
                        List.of("silent_first_msg_days", "integer"),
                        List.of("updated_at", "timestamp with time zone"),
                        List.of("updated_at_s", "bigint"),
                        List.of("version", "bigint"));
        assertThat(TestServer.rows("SELECT * FROM " + table("bot_notes"))).containsExactly(List.of("1", "keep me"));
    }

    @Test
    void anOlderTimestampColumnIsKeptAndCarriedOverWhereItReadsAsATime() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, updated_at TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('1', '2024-01-02 03:04:05+00')",
                "INSERT INTO " + table("guild_config") + " VALUES ('2', 'last tuesday, roughly')");

        open().close();

        assertThat(TestServer.rows(
                        "SELECT guild_id, updated_at, updated_at_s FROM " + table("guild_config") + " ORDER BY 1"))
                .containsExactly(
                        List.of("1", "2024-01-02 03:04:05+00", "1704164645"),
                        List.of("2", "last tuesday, roughly", "null"));
    }

    private List<String> plan() throws Exception {
        try (Connection connection = TestServer.connect()) {
            return Migrations.plan(connection, schema, "schema " + schema + " on test");
        }
    }

    /** updated_at as the original bot writes it (toISOString()), and updated_at_s in seconds of it. */
    private List<String> timesOfChange(String guildId) throws Exception {
        return TestServer.rows("SELECT updated_at::text ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$',"
                        + " floor(extract(epoch FROM updated_at::timestamptz))::bigint - updated_at_s BETWEEN 0 AND 1"
                        + " FROM " + table("guild_config") + " WHERE guild_id = '" + guildId + "'")
                .get(0);
    }

    @Test
    void everyWriteSetsUpdatedAtToTheMillisecondAndKeepsUpdatedAtSCurrent() throws Exception {
        try (PostgresConfigStore store = open()) {
            store.loggingStore().setLoggingChannelId("123456789012345678", "1");
            TestServer.sql("UPDATE " + table("guild_config") + " SET updated_at = '2020-01-01Z', updated_at_s = 1");

            store.flaggerStore().setSilentFirstMsgDays("123456789012345678", 30);
        }

        assertThat(TestServer.rows("SELECT updated_at > '2020-01-01Z', updated_at = date_trunc('milliseconds',"
                        + " updated_at), floor(extract(epoch FROM updated_at))::bigint - updated_at_s BETWEEN 0 AND 1"
                        + " FROM " + table("guild_config")))
                .containsExactly(List.of("true", "true", "true"));
    }

    @Test
    void anAdoptedTextUpdatedAtIsKeptAsTextAndAWriteChangesIt() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " updated_at TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('1', '10', '2024-01-01T00:00:00.000Z'),"
                        + " ('2', '20', '2024-01-01T00:00:00.000Z')");

        try (PostgresConfigStore store = open()) {
            store.loggingStore().setLoggingChannelId("1", "11");
        }

        assertThat(timesOfChange("1")).containsExactly("true", "true");
        assertThat(TestServer.rows("SELECT guild_id, updated_at > '2024-01-01T00:00:00.000Z' FROM "
                        + table("guild_config") + " ORDER BY 1"))
                .containsExactly(List.of("1", "true"), List.of("2", "false"));
        assertThat(columns("guild_config")).contains(List.of("updated_at", "text"));
    }

    @Test
    void aSchemaMadeBeforeUpdatedAtGetsItFilledFromUpdatedAtS() throws Exception {
        open().close();
        TestServer.sql(
                "ALTER TABLE " + table("guild_config") + " DROP COLUMN updated_at",
                "UPDATE " + table("configstore_schema_version") + " SET version = 2",
                "INSERT INTO " + table("guild_config") + " (guild_id, logging_channel_id, updated_at_s)"
                        + " VALUES ('1', '10', 1764496800), ('2', '20', NULL)");

        assertThat(plan())
                .containsExactly(
                        "add column guild_config.updated_at TIMESTAMPTZ",
                        "fill guild_config.updated_at from updated_at_s where it is missing or older",
                        "record schema version " + Migrations.LATEST + " (now 2)");
        open().close();

        assertThat(TestServer.rows("SELECT guild_id, to_char(updated_at AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD HH24:MI:SS.MS'), updated_at_s FROM " + table("guild_config") + " ORDER BY 1"))
                .containsExactly(List.of("1", "2025-11-30 10:00:00.000", "1764496800"), List.of("2", "null", "null"));
        assertThat(plan()).isEmpty();
    }

    @Test
    void anOriginalTableAdoptedBeforeUpdatedAtWasKeptGetsItsStaleTextFilled() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                        + " updated_at TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('1', '10', '2024-01-01T00:00:00.000Z'),"
                        + " ('2', '20', '2025-12-01T00:00:00.500Z'), ('3', '30', 'some day')");
        open().close();
        TestServer.sql(
                "UPDATE " + table("guild_config") + " SET updated_at_s = 1764496800",
                "UPDATE " + table("configstore_schema_version") + " SET version = 2");

        open().close();

        assertThat(TestServer.rows("SELECT guild_id, updated_at FROM " + table("guild_config") + " ORDER BY 1"))
                .containsExactly(
                        List.of("1", "2025-11-30T10:00:00.000Z"),
                        List.of("2", "2025-12-01T00:00:00.500Z"),
                        List.of("3", "some day"));
    }

    @Test
    void aGuildTableWithoutAUniqueGuildIdGetsOne() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT, logging_channel_id TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('1', '10')");

        try (PostgresConfigStore store = open()) {
            store.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
            assertThat(store.loggingStore().getLoggingChannelId("123456789012345678"))
                    .contains("987654321098765432");
        }
        assertThat(TestServer.value("SELECT COUNT(*) FROM " + table("guild_config")))
                .isEqualTo("2");
    }

    @Test
    void aGuildTableWithRepeatedGuildIdsIsRefusedWithWhatToDoAndLeftAsItWas() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT, logging_channel_id TEXT)",
                "INSERT INTO " + table("guild_config") + " VALUES ('1', '10'), ('1', '11')");
        List<List<String>> before = columns("guild_config");

        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONSTRAINT))
                .hasMessageContaining("several rows for one guild_id")
                .hasMessageContaining("Keep one row per guild");

        assertThat(columns("guild_config")).isEqualTo(before);
        assertThat(count("table", "configstore_kv")).isZero();
    }

    @Test
    void aColumnOfATypeConfigstoreCannotUseIsRefusedAndLeftAsItWas() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, silent_first_msg_days TEXT)");

        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONSTRAINT))
                .hasMessageContaining("has column silent_first_msg_days of type text")
                .hasMessageContaining("nothing was changed");
        assertThat(columns("guild_config")).hasSize(2);
    }

    /**
     * Table rights are enough to use a schema, not to migrate it: adding columns to an adopted
     * guild_config takes its ownership, and the message says so rather than to grant rights.
     */
    @Test
    void aRoleThatDoesNotOwnTheBotsTableIsToldThatMigratingItNeedsOwnership() throws Exception {
        String role = schema + "_bot";
        try {
            TestServer.sql(
                    "CREATE SCHEMA \"" + schema + "\"",
                    "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)",
                    "CREATE ROLE " + role + " LOGIN",
                    "GRANT USAGE, CREATE ON SCHEMA \"" + schema + "\" TO " + role,
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON " + table("guild_config") + " TO " + role);
            PGSimpleDataSource bot = TestServer.dataSource();
            bot.setUser(role);
            List<List<String>> before = columns("guild_config");

            assertThatThrownBy(() -> PostgresConfigStore.builder(bot)
                            .schema(schema)
                            .disableChangeFeed()
                            .build())
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.READ_ONLY))
                    .hasMessageContaining("while migrating it (must be owner of table guild_config)")
                    .hasMessageContaining("nothing was changed")
                    .hasMessageContaining("needs their ownership")
                    .hasMessageContaining("ALTER TABLE … OWNER TO …");

            assertThat(columns("guild_config")).isEqualTo(before);
        } finally {
            TestServer.sql("DROP OWNED BY " + role, "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void aSchemaFromANewerConfigstoreIsRefusedAndLeftUntouched() throws Exception {
        TestServer.sql(
                "CREATE SCHEMA \"" + schema + "\"",
                "CREATE TABLE " + table("configstore_schema_version") + " (version INTEGER NOT NULL)",
                "INSERT INTO " + table("configstore_schema_version") + " VALUES (99)",
                "CREATE TABLE " + table("guild_config") + " (guild_id TEXT PRIMARY KEY)");

        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.SCHEMA_OUTDATED))
                .hasMessageContaining("newer configstore (schema version 99")
                .hasMessageContaining("Upgrade configstore")
                .hasMessageContaining("nothing was changed");

        assertThat(columns("guild_config")).containsExactly(List.of("guild_id", "text"));
        assertThat(count("table", "configstore_kv")).isZero();
        assertThat(count("table", "configstore_changes")).isZero();
    }

    @Test
    void openingACurrentSchemaWritesNothingSoItWorksOverAReadOnlyConnection() throws Exception {
        open().close();
        PGSimpleDataSource readOnly = TestServer.dataSource();
        readOnly.setOptions("-c default_transaction_read_only=on");

        try (PostgresConfigStore store =
                PostgresConfigStore.builder(readOnly).schema(schema).build()) {
            assertThat(store.loggingStore().getLoggingChannelId("123456789012345678"))
                    .isEmpty();
        }
        assertThat(TestServer.value("SELECT COUNT(*) FROM " + table("configstore_schema_version")))
                .isEqualTo("1");
    }

    /** Whether any of the schema's functions may be called by every role, and how many there are. */
    private List<String> publicExecute() throws Exception {
        return TestServer.rows("SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')), COUNT(*)"
                        + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '"
                        + schema + "'")
                .get(0);
    }

    @Test
    void theTriggerFunctionsMayNotBeCalledByEveryRole() throws Exception {
        open().close();

        assertThat(publicExecute()).containsExactly("false", "6");
    }

    @Test
    void aVersion1SchemaHasItsTriggerFunctionsTakenFromEveryRole() throws Exception {
        open().close();
        TestServer.sql(
                "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA \"" + schema + "\" TO PUBLIC",
                "UPDATE " + table("configstore_schema_version") + " SET version = 1");
        assertThat(publicExecute()).containsExactly("true", "6");

        open().close();

        assertThat(publicExecute()).containsExactly("false", "6");
        assertThat(TestServer.value("SELECT version FROM " + table("configstore_schema_version")))
                .isEqualTo(Integer.toString(Migrations.LATEST));
    }

    @Test
    void whatWasDroppedBehindTheStoresBackComesBackAtTheNextStart() throws Exception {
        open().close();
        TestServer.sql(
                "DROP TRIGGER configstore_log_change ON " + table("guild_config"),
                "DROP FUNCTION " + table("configstore_kv_changed") + "() CASCADE",
                "ALTER TABLE " + table("configstore_kv") + " DROP COLUMN updated_at_s",
                "DROP TABLE " + table("configstore_changes_removed"));

        try (PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed()
                .build()) {
            store.keyValueStore("values").put("k", "v");
            store.keyValueStore("values").get("k");
            store.loggingStore().getLoggingChannelId("123456789012345678");
            TestServer.sql(
                    "UPDATE " + table("configstore_kv") + " SET value = 'changed'",
                    "INSERT INTO " + table("guild_config")
                            + " (guild_id, logging_channel_id) VALUES ('123456789012345678', '1')");
            store.pollChangesNow();
            assertThat(store.keyValueStore("values").get("k")).contains("changed");
            assertThat(store.loggingStore().getLoggingChannelId("123456789012345678"))
                    .contains("1");
        }
        assertThat(count("trigger", "configstore_log_change")).isEqualTo(3);
    }

    /**
     * Two stores start at once on a schema that does not exist yet. The test holds the migration
     * lock first, so both must be seen waiting for it; then it lets go and both must open, one
     * after the other, on one complete schema.
     */
    @Test
    void twoStoresStartingAtOnceOnAFreshSchemaTakeTurns() throws Exception {
        try (Connection lock = TestServer.connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement take = lock.prepareStatement(Migrations.LOCK)) {
                take.setString(1, Migrations.lockName(schema));
                take.execute();
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PostgresConfigStore>> opening = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opening.add(threads.submit(() -> {
                    start.await();
                    return PostgresConfigStore.builder(TestServer.dataSource())
                            .schema(schema)
                            .build();
                }));
            }
            start.countDown();
            Conditions.await("both stores to wait for the migration lock", () -> waitingForAdvisoryLocks() == 2);
            lock.commit();

            List<PostgresConfigStore> stores = new ArrayList<>();
            for (Future<PostgresConfigStore> store : opening) {
                stores.add(store.get(30, TimeUnit.SECONDS));
            }
            stores.get(0).loggingStore().setLoggingChannelId("123456789012345678", "1");
            assertThat(stores.get(1).loggingStore().getLoggingChannelId("123456789012345678"))
                    .contains("1");
            stores.forEach(PostgresConfigStore::close);
        }
        assertThat(count("trigger", "configstore_log_change")).isEqualTo(3);
        assertThat(TestServer.value("SELECT COUNT(*) FROM " + table("configstore_schema_version")))
                .isEqualTo("1");
    }

    /**
     * Another process holds the migration lock for longer than this store's busy and network
     * timeouts, as one migrating a big table would: the store waits for it rather than failing,
     * and opens once the lock is free.
     */
    @Test
    void aStoreWaitsForAnotherProcesssMigrationLongerThanItsBusyTimeout() throws Exception {
        try (Connection lock = TestServer.connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement take = lock.prepareStatement(Migrations.LOCK)) {
                take.setString(1, Migrations.lockName(schema));
                take.execute();
            }
            Future<PostgresConfigStore> opening =
                    threads.submit(() -> PostgresConfigStore.builder(TestServer.dataSource())
                            .schema(schema)
                            .busyTimeout(Duration.ofMillis(200))
                            .networkTimeout(Duration.ofMillis(500))
                            .disableChangeFeed()
                            .build());

            Conditions.await(
                    "the store to have waited for the migration lock for more than a second",
                    () -> opening.isDone() || millisWaitingForTheMigrationLock() > 1_000);
            assertThat(opening).as("still waiting for the lock").isNotDone();
            lock.commit();

            try (PostgresConfigStore store = opening.get(30, TimeUnit.SECONDS)) {
                store.loggingStore().setLoggingChannelId("123456789012345678", "1");
                assertThat(store.loggingStore().getLoggingChannelId("123456789012345678"))
                        .contains("1");
            }
        }
    }

    /** How long this schema's store has been waiting for an advisory lock, by the server's clock; 0 if not. */
    private long millisWaitingForTheMigrationLock() {
        try {
            return Long.parseLong(TestServer.value("SELECT COALESCE(MAX(floor(extract(epoch FROM clock_timestamp()"
                    + " - query_start) * 1000)), 0)::bigint FROM pg_stat_activity WHERE application_name = '"
                    + PostgresDatabase.applicationName(schema) + "' AND wait_event_type = 'Lock'"
                    + " AND wait_event = 'advisory'"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sessions waiting for this schema's migration lock (an advisory lock on a 64-bit key). */
    private long waitingForAdvisoryLocks() {
        try {
            return Long.parseLong(TestServer.value("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND NOT granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint)"
                    + " = hashtextextended('" + Migrations.lockName(schema) + "', 0)"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
