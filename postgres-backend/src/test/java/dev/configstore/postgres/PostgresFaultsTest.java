package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.guild.LoggingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL's own failures, against the real server: the reason and message each gets, that
 * nothing is lost (the database keeps the old value, the cache still serves it), and that the same
 * store recovers once the fault is gone. Also: the change feed's connection killed while writes go
 * on, after which every cache is right again. What every database shares is in {@link
 * PostgresFaultsSuiteTest}.
 */
@RequiresPostgres
class PostgresFaultsTest {

    private static final String GUILD = "123456789012345678";
    private static final String OLD_CHANNEL = "111111111111111111";
    private static final String NEW_CHANNEL = "222222222222222222";

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private PostgresConfigStore.Builder builder() {
        return PostgresConfigStore.builder(TestServer.dataSource()).schema(schema);
    }

    private String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    private static void assertFails(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
                .hasMessageContaining(messagePart)
                .hasCauseInstanceOf(Exception.class);
    }

    private Optional<String> storedLoggingChannel(String guild) throws Exception {
        try (Connection connection = TestServer.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT logging_channel_id FROM " + table("guild_config") + " WHERE guild_id = ?")) {
            statement.setString(1, guild);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    private Optional<String> storedValue(String namespace, String key) throws Exception {
        try (Connection connection = TestServer.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT value FROM " + table("configstore_kv") + " WHERE namespace = ? AND key = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    private static String guild(int i) {
        return Long.toString(500_000_000_000_000_000L + i);
    }

    @Test
    void theFeedsConnectionKilledWhileWritesGoOnLeavesNoCacheStaleOnceItIsBack() throws Exception {
        GatedDataSource gated = new GatedDataSource(TestServer.dataSource());
        AtomicBoolean writing = new AtomicBoolean(true);
        try (PostgresConfigStore watched = PostgresConfigStore.builder(gated)
                        .schema(schema)
                        .cache(cache ->
                                cache.expireAfterWrite(Duration.ofHours(1))) // only the feed can correct a value
                        .build();
                PostgresConfigStore writer = builder().build();
                Connection sql = TestServer.connect()) {
            CachedKeyValueStore<String, String> values = writer.keyValueStore("values");
            for (int i = 0; i < 10; i++) {
                values.put("key-" + i, "before");
                writer.loggingStore().setLoggingChannelId(guild(i), OLD_CHANNEL);
            }
            Conditions.await(
                    "the watched store to apply the first 20 changes",
                    () -> watched.changeFeedStats().externalChangesApplied() >= 20);
            for (int i = 0; i < 10; i++) {
                assertThat(watched.keyValueStore("values").get("key-" + i)).contains("before");
                assertThat(watched.loggingStore().getLoggingChannelId(guild(i))).contains(OLD_CHANNEL);
            }

            gated.close();
            TestServer.terminate(watched.feed().backendPid());
            gated.awaitFeedWaiting();
            AtomicInteger background = new AtomicInteger();
            Future<?> writes = threads.submit(() -> {
                while (writing.get()) {
                    values.put("background", Integer.toString(background.incrementAndGet()));
                }
                return null;
            });
            try (PreparedStatement update = sql.prepareStatement(
                    "UPDATE " + table("guild_config") + " SET logging_channel_id = ? WHERE guild_id = ?")) {
                for (int i = 0; i < 10; i++) {
                    values.put("key-" + i, "while the feed was down");
                    update.setString(1, NEW_CHANNEL);
                    update.setString(2, guild(i));
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(watched.keyValueStore("values").get("key-0"))
                    .as("the notifications went nowhere, the cached value stays")
                    .contains("before");

            gated.open();
            Conditions.await(
                    "the feed to reconnect and read the log",
                    () -> watched.feed().catchUps() >= 2);
            for (int i = 0; i < 10; i++) {
                assertThat(watched.keyValueStore("values").get("key-" + i)).contains("while the feed was down");
                assertThat(watched.loggingStore().getLoggingChannelId(guild(i))).contains(NEW_CHANNEL);
            }

            writing.set(false);
            writes.get(30, TimeUnit.SECONDS);
            String last = Integer.toString(background.get());
            Conditions.await(
                    "the last background write to arrive",
                    () -> watched.keyValueStore("values").get("background").equals(Optional.of(last)));
            assertThat(storedValue("values", "background")).contains(last);
            assertThat(watched.changeFeedStats().errors()).isGreaterThanOrEqualTo(1);
            assertThat(watched.changeFeedStats().gaps()).isZero();
            assertThat(watched.feed().connectionsOpened()).isEqualTo(2);
        } finally {
            writing.set(false);
            gated.open();
        }
    }

    /**
     * A failure that happens at COMMIT, after the statement succeeded and returned its row: a
     * deferred constraint trigger, checked by the server only when the transaction commits. Every
     * write kind must report it and change nothing, as for a disk that fills at commit.
     */
    @Test
    void aFailureAtCommitIsReportedForEveryWriteKindAndChangesNothing() throws Exception {
        try (PostgresConfigStore store = builder().build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            LoggingStore logging = store.loggingStore();
            values.put("motd", "old message");
            logging.setLoggingChannelId(GUILD, OLD_CHANNEL);
            assertThat(values.get("motd")).contains("old message");
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            try (Connection connection = TestServer.connect();
                    var statement = connection.createStatement()) {
                statement.execute("CREATE FUNCTION " + table("refuse_at_commit") + "() RETURNS trigger"
                        + " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$");
                for (String refused : List.of("configstore_kv", "guild_config")) {
                    statement.execute("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT OR UPDATE ON "
                            + table(refused) + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
                            + table("refuse_at_commit") + "()");
                }
            }
            List<ThrowingCallable> writes = List.of(
                    () -> values.put("motd", "new message"),
                    () -> values.remove("motd"),
                    () -> values.inTransaction(tx -> {
                        tx.put("motd", "in a transaction");
                        return null;
                    }),
                    () -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL),
                    () -> logging.clearLoggingChannelId(GUILD));
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOf(StoreException.class).hasMessageContaining("refused at commit");
                assertThat(values.get("motd")).contains("old message");
                assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
                assertThat(storedValue("values", "motd")).contains("old message");
                assertThat(storedLoggingChannel(GUILD)).contains(OLD_CHANNEL);
            }
            try (Connection connection = TestServer.connect();
                    var statement = connection.createStatement()) {
                for (String refused : List.of("configstore_kv", "guild_config")) {
                    statement.execute("DROP TRIGGER refuse_at_commit ON " + table(refused));
                }
            }
            values.put("motd", "new message");
            logging.setLoggingChannelId(GUILD, NEW_CHANNEL);
            assertThat(storedValue("values", "motd")).contains("new message");
            assertThat(storedLoggingChannel(GUILD)).contains(NEW_CHANNEL);
        }
    }

    @Test
    void aReadOnlyTransactionIsReadOnlyChangesNothingAndReadsStillWork() throws Exception {
        PGSimpleDataSource readOnly = TestServer.dataSource();
        readOnly.setOptions("-c default_transaction_read_only=on");
        try (PostgresConfigStore owner = builder().build()) {
            owner.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
            owner.keyValueStore("values").put("motd", "old message");

            // The schema is current, so opening writes nothing and works on read-only connections.
            try (PostgresConfigStore store =
                    PostgresConfigStore.builder(readOnly).schema(schema).build()) {
                LoggingStore logging = store.loggingStore();
                assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
                CachedKeyValueStore<String, String> values = store.keyValueStore("values");
                assertThat(values.get("motd")).contains("old message");
                long loadsBefore = store.guildConfig().stats().loads();

                assertFails(() -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL), Reason.READ_ONLY, "read-only");
                assertFails(
                        () -> values.inTransaction(tx -> {
                            tx.put("motd", "new message");
                            return null;
                        }),
                        Reason.READ_ONLY,
                        "default_transaction_read_only");
                assertFails(() -> values.remove("motd"), Reason.READ_ONLY, "nothing was changed");

                assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
                assertThat(store.guildConfig().stats().loads())
                        .as("served from the cache")
                        .isEqualTo(loadsBefore);
                assertThat(values.get("motd")).contains("old message");
            }
            assertThat(storedLoggingChannel(GUILD)).contains(OLD_CHANNEL);
            assertThat(storedValue("values", "motd")).contains("old message");
        }

        assertFails(
                () -> PostgresConfigStore.builder(readOnly)
                        .schema(SCHEMAS.newSchema())
                        .build(),
                Reason.READ_ONLY,
                "read-only");
    }

    @Test
    void aServerThatStopsAnsweringFailsTheWriteAfterTheNetworkTimeoutAndTheStoreRecovers() throws Exception {
        String stallLock = "hashtextextended('" + schema + " stall', 0)";
        try (PostgresConfigStore store = builder()
                        .busyTimeout(Duration.ofMillis(200))
                        .networkTimeout(Duration.ofSeconds(1))
                        .build();
                Connection holder = TestServer.connect()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD_CHANNEL);
            TestServer.sql(
                    "CREATE FUNCTION " + table("stall") + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " PERFORM set_config('lock_timeout', '0', true); PERFORM pg_advisory_xact_lock("
                            + stallLock + "); RETURN NEW; END $$",
                    "CREATE TRIGGER stall BEFORE UPDATE ON " + table("guild_config") + " FOR EACH ROW EXECUTE FUNCTION "
                            + table("stall") + "()");
            try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(" + stallLock + ")")) {
                lock.execute();
            }

            // Every change runs in a transaction (with its audit entry), and this one never reached its
            // commit: the server rolls it back when the connection goes, so it was not applied.
            Future<?> write = threads.submit(() -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL));
            assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreException.class)
                    .cause()
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(Reason.UNAVAILABLE));

            try (PreparedStatement unlock = holder.prepareStatement("SELECT pg_advisory_unlock(" + stallLock + ")")) {
                unlock.execute();
            }
            assertThat(storedLoggingChannel(GUILD)).contains(OLD_CHANNEL);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            TestServer.sql("DROP TRIGGER stall ON " + table("guild_config"));
            logging.setLoggingChannelId(GUILD, "333333333333333333");
            assertThat(logging.getLoggingChannelId(GUILD)).contains("333333333333333333");
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsUnavailableAtOpen() {
        assertFails(
                () -> PostgresConfigStore.builder("jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=5")
                        .schema(schema)
                        .busyTimeout(Duration.ofMillis(500))
                        .build(),
                Reason.UNAVAILABLE,
                "Cannot reach PostgreSQL");
    }

    @Test
    void aDatabaseThatDoesNotExistIsUnavailableAtOpenWithWhatToDo() {
        PGSimpleDataSource missing = TestServer.dataSource();
        missing.setDatabaseName("configstore_no_such_database");
        assertFails(
                () -> PostgresConfigStore.builder(missing)
                        .schema(schema)
                        .busyTimeout(Duration.ofMillis(500))
                        .build(),
                Reason.UNAVAILABLE,
                "CREATE DATABASE");
    }
}
