package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.guild.LoggingStore;
import dev.configstore.spi.ChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only PostgreSQL's change feed does (what every database's does is {@link
 * dev.configstore.testkit.ChangeFeedTests}, run by {@link PostgresChangeFeedSuiteTest}):
 * truncations, roles that may change one table, triggers dropped or disabled, a lost removal
 * record, restores and failovers (another incarnation), reconnection, transactions held open
 * across reads; and how long a change takes to arrive, on the real listening thread.
 */
@RequiresPostgres
class ChangeFeedTest {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeedTest.class);
    private static final String GUILD = "123456789012345678";
    private static final String OLD = "111111111111111111";
    private static final String NEW = "222222222222222222";

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    private PostgresConfigStore manual() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed()
                .build();
    }

    private PostgresConfigStore listening() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .build();
    }

    private String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    private void sql(String... statements) throws Exception {
        TestServer.sql(statements);
    }

    /**
     * Sets every guild's logging channel with configstore's triggers off, so the change log does
     * not show it (as pg_restore loads rows, or as a commit lost in a failover looks), then runs
     * {@code more}.
     */
    private void changeUnlogged(String channel, String... more) throws Exception {
        List<String> statements = new ArrayList<>(List.of(
                "ALTER TABLE " + table("guild_config") + " DISABLE TRIGGER USER",
                "UPDATE " + table("guild_config") + " SET logging_channel_id = '" + channel + "'",
                "ALTER TABLE " + table("guild_config") + " ENABLE TRIGGER USER"));
        statements.addAll(List.of(more));
        sql(statements.toArray(new String[0]));
    }

    /** A writer and a reader with the writer's value cached. */
    private void cachedByReader(PostgresConfigStore writer, PostgresConfigStore reader) {
        writer.loggingStore().setLoggingChannelId(GUILD, OLD);
        reader.pollChangesNow();
        assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
    }

    /** Plain SQL updates and deletes are in the shared suite; a truncation fires no row trigger. */
    @Test
    void aTableTruncatedByAnotherProgramDropsEveryCache() throws Exception {
        try (PostgresConfigStore store = manual()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
            store.pollChangesNow();

            sql("TRUNCATE " + table("guild_config"));
            store.pollChangesNow();
            assertThat(logging.getLoggingChannelId(GUILD)).isEmpty();
            assertThat(store.changeFeedStats().gaps())
                    .as("a truncated table drops every cache")
                    .isEqualTo(1);
        }
    }

    @Test
    void aProgramAllowedToChangeOnlyTheGuildTableHasItsChangesLoggedToo() throws Exception {
        String role = schema + "_writer";
        try (PostgresConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.pollChangesNow();
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            sql(
                    "CREATE ROLE " + role + " LOGIN",
                    "GRANT USAGE ON SCHEMA \"" + schema + "\" TO " + role,
                    "GRANT SELECT, UPDATE ON " + table("guild_config") + " TO " + role);
            PGSimpleDataSource dashboard = TestServer.dataSource();
            dashboard.setUser(role);
            try (Connection connection = dashboard.getConnection()) {
                update(connection, GUILD, NEW);
            }

            store.pollChangesNow();

            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
        } finally {
            sql("DROP OWNED BY " + role, "DROP ROLE IF EXISTS " + role);
        }
    }

    private void setEveryChannel(String channel) throws Exception {
        sql("UPDATE " + table("guild_config") + " SET logging_channel_id = '" + channel + "'");
    }

    /**
     * Without its trigger, a change to guild_config is not logged: every read is a gap while it is
     * missing, and so is the first read after a restart put it back, for the changes made between.
     */
    @Test
    void aDroppedTriggerIsAGapAtEveryReadUntilARestartPutsItBack() throws Exception {
        try (PostgresConfigStore store = manual()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            store.pollChangesNow();
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);

            sql("DROP TRIGGER configstore_log_change ON " + table("guild_config"));
            setEveryChannel(NEW);
            store.pollChangesNow();
            assertThat(store.feed().brokenTracking())
                    .contains("configstore's triggers configstore_log_change on guild_config are missing");
            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);

            setEveryChannel(OLD);
            store.pollChangesNow();
            assertThat(store.changeFeedStats().gaps()).isEqualTo(2);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);

            setEveryChannel(NEW);
            manual().close(); // a restart: the migrations put the trigger back
            store.pollChangesNow();
            assertThat(store.feed().brokenTracking()).isNull();
            assertThat(store.changeFeedStats().gaps()).isEqualTo(3);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);

            setEveryChannel(OLD);
            store.pollChangesNow();
            assertThat(store.changeFeedStats().gaps()).isEqualTo(3);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
        }
    }

    @Test
    void aDisabledTriggerIsAGapAtEveryReadUntilItIsEnabled() throws Exception {
        try (PostgresConfigStore store = manual()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            store.pollChangesNow();
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);

            sql("ALTER TABLE " + table("guild_config") + " DISABLE TRIGGER configstore_log_change");
            setEveryChannel(NEW);
            store.pollChangesNow();
            assertThat(store.feed().brokenTracking()).contains("configstore_log_change on guild_config (disabled)");
            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);

            setEveryChannel(OLD);
            sql("ALTER TABLE " + table("guild_config") + " ENABLE TRIGGER configstore_log_change");
            store.pollChangesNow();
            assertThat(store.changeFeedStats().gaps()).isEqualTo(2);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
        }
    }

    /** Without the row that records removals, entries removed before they were read go unnoticed. */
    @Test
    void aLostRemovalRecordIsAGapAtEveryReadUntilARestartPutsItBack() throws Exception {
        try (PostgresConfigStore first = manual();
                PostgresConfigStore second = manual()) {
            first.loggingStore().setLoggingChannelId(GUILD, OLD);
            second.pollChangesNow();
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);

            sql("DELETE FROM " + table("configstore_changes_removed"));
            first.loggingStore().setLoggingChannelId(GUILD, NEW);
            sql("DELETE FROM " + table("configstore_changes")); // before the second store read it
            second.pollChangesNow();
            assertThat(second.feed().brokenTracking()).contains("table configstore_changes_removed has lost its row");
            assertThat(second.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);

            second.pollChangesNow();
            assertThat(second.changeFeedStats().gaps()).isEqualTo(2);

            manual().close(); // a restart: the migrations put the row back
            second.pollChangesNow();
            assertThat(second.changeFeedStats().gaps()).isEqualTo(3);
            second.pollChangesNow();
            assertThat(second.feed().brokenTracking()).isNull();
            assertThat(second.changeFeedStats().gaps()).isEqualTo(3);
        }
    }

    @Test
    void aSchemaRestoredFromABackupIsAGap() throws Exception {
        try (PostgresConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.loggingStore().setLoggingChannelId(GUILD, NEW);
            store.pollChangesNow();
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);

            // What pg_restore does: rows loaded without configstore's triggers, sequences reset.
            changeUnlogged(OLD, "SELECT setval('" + table("configstore_changes_seq_seq") + "', 1)");
            store.pollChangesNow();

            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
        }
    }

    /**
     * What a promoted standby, a restored backup or a server back from a crash look like to the
     * feed: the unlogged table of the server's incarnation is empty, and commits the feed had
     * read may be gone, with their transaction ids handed out again. Here the lost commit is a
     * change the log does not show; transaction ids and the sequence move on as usual.
     */
    @Test
    void aReconnectionThatFindsAnotherIncarnationDropsEveryCache() throws Exception {
        try (PostgresConfigStore writer = manual();
                PostgresConfigStore reader = manual()) {
            cachedByReader(writer, reader);
            changeUnlogged(NEW, "DELETE FROM " + table("configstore_server"));
            TestServer.terminate(reader.feed().backendPid());

            reader.pollChangesNow();
            reader.pollChangesNow();

            assertThat(reader.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(TestServer.value("SELECT COUNT(*) FROM " + table("configstore_server")))
                    .as("the reconnected feed wrote a new incarnation")
                    .isEqualTo("1");
        }
    }

    @Test
    void anIncarnationThatChangesUnderAnOpenConnectionDropsEveryCache() throws Exception {
        try (PostgresConfigStore writer = manual();
                PostgresConfigStore reader = manual()) {
            cachedByReader(writer, reader);
            changeUnlogged(NEW, "UPDATE " + table("configstore_server") + " SET incarnation = gen_random_uuid()");

            reader.pollChangesNow();

            assertThat(reader.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            reader.pollChangesNow();
            assertThat(reader.changeFeedStats().gaps()).as("once").isEqualTo(1);
        }
    }

    @Test
    void aFeedThatMayNotWriteTheIncarnationTellsServersApartByTheirIdentity() throws Exception {
        manual().close();
        sql("DELETE FROM " + table("configstore_server"));
        org.postgresql.ds.PGSimpleDataSource readOnly = TestServer.dataSource();
        readOnly.setOptions("-c default_transaction_read_only=on");
        try (PostgresConfigStore reader = PostgresConfigStore.builder(readOnly)
                        .schema(schema)
                        .manualChangeFeed()
                        .build();
                PostgresConfigStore writer = PostgresConfigStore.builder(TestServer.dataSource())
                        .schema(schema)
                        .disableChangeFeed()
                        .build()) {
            cachedByReader(writer, reader);
            TestServer.terminate(reader.feed().backendPid());
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);

            reader.pollChangesNow();
            reader.pollChangesNow();

            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(reader.changeFeedStats().gaps())
                    .as("the same server, by system identifier, timeline and start time")
                    .isZero();
            assertThat(TestServer.value("SELECT COUNT(*) FROM " + table("configstore_server")))
                    .isEqualTo("0");

            sql("INSERT INTO " + table("configstore_server") + " DEFAULT VALUES");
            reader.pollChangesNow();
            assertThat(reader.changeFeedStats().gaps())
                    .as("an incarnation the reader did not know before")
                    .isEqualTo(1);
        }
    }

    @Test
    void aLostConnectionIsCountedAndTheNextReadCatchesUpOnWhatWasCommittedMeanwhile() throws Exception {
        try (PostgresConfigStore writer = manual();
                PostgresConfigStore reader = manual()) {
            List<java.time.Duration> delays = Collections.synchronizedList(new ArrayList<>());
            reader.watchChangeDelays(delays::add);
            writer.loggingStore().setLoggingChannelId(GUILD, OLD);
            reader.pollChangesNow();
            reader.loggingStore().getLoggingChannelId(GUILD);
            TestServer.terminate(reader.feed().backendPid());
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);

            reader.pollChangesNow();
            assertThat(reader.changeFeedStats().errors()).isEqualTo(1);
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD))
                    .as("not read yet")
                    .contains(OLD);

            reader.pollChangesNow();
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(reader.changeFeedStats().gaps()).isZero();
            assertThat(reader.feed().connectionsOpened()).isEqualTo(2);
            assertThat(reader.changeFeedStats().reconnects()).isEqualTo(1);
            assertThat(delays)
                    .as("both changes timed by the server's clock")
                    .hasSize(2)
                    .allSatisfy(delay -> assertThat(delay.isNegative()).isFalse());
        }
    }

    /**
     * One step: a write by one of the stores, by plain SQL, or inside a transaction held open
     * across steps; a commit of that transaction; or a read of the log by one of the stores.
     */
    private record Step(int kind, int guild, int channel) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> List.of("first", "second", "sql").get(kind) + " sets guild" + guild + " to " + channel;
                case 3 -> "open transaction sets guild" + (guild + 3) + " to " + channel;
                case 4 -> "commit the open transaction";
                default -> (guild == 0 ? "first" : "second") + " reads the log";
            };
        }
    }

    @Test
    void afterTheFeedsCatchUpEveryCacheAgreesWithTheDatabase() throws Exception {
        Gen<Step> steps = Generate.range(0, 5).zip(Generate.range(0, 2), Generate.range(0, 3), Step::new);
        AtomicInteger examples = new AtomicInteger();
        try (PostgresConfigStore first = manual();
                PostgresConfigStore second = manual();
                Connection sql = TestServer.connect()) {
            qt().withExamples(30).forAll(lists().of(steps).ofSizeBetween(1, 25)).checkAssert(sequence -> {
                // Guilds of their own per example, so that examples share the two stores.
                long base = 100_000_000_000_000_000L + 10L * examples.incrementAndGet();
                @Nullable Connection open = null;
                try {
                    for (Step step : sequence) {
                        String guild = Long.toString(base + step.guild());
                        String channel = Long.toString(900_000_000_000_000_000L + step.channel());
                        switch (step.kind()) {
                            case 0 -> first.loggingStore().setLoggingChannelId(guild, channel);
                            case 1 -> second.loggingStore().setLoggingChannelId(guild, channel);
                            case 2 -> upsert(sql, guild, channel);
                            case 3 -> {
                                if (open == null) {
                                    open = TestServer.connect();
                                    open.setAutoCommit(false);
                                }
                                // Guilds 3 to 5 are written only here, so no step waits for its row lock.
                                upsert(open, Long.toString(base + 3 + step.guild()), channel);
                            }
                            case 4 -> {
                                if (open != null) {
                                    open.commit();
                                    open.close();
                                    open = null;
                                }
                            }
                            default -> (step.guild() == 0 ? first : second).pollChangesNow();
                        }
                        for (int g = 0; g < 6; g++) {
                            for (PostgresConfigStore store : List.of(first, second)) {
                                // keep values cached
                                store.loggingStore().getLoggingChannelId(Long.toString(base + g));
                            }
                        }
                    }
                    if (open != null) {
                        open.commit();
                    }
                    first.pollChangesNow();
                    second.pollChangesNow();
                    for (int g = 0; g < 6; g++) {
                        String guild = Long.toString(base + g);
                        Optional<String> stored = storedChannel(sql, guild);
                        assertThat(first.loggingStore().getLoggingChannelId(guild))
                                .as("first, guild%d, %s", g, sequence)
                                .isEqualTo(stored);
                        assertThat(second.loggingStore().getLoggingChannelId(guild))
                                .as("second, guild%d, %s", g, sequence)
                                .isEqualTo(stored);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    closeQuietly(open);
                }
            });
            assertThat(first.changeFeedStats().gaps()).isZero();
            assertThat(second.changeFeedStats().gaps()).isZero();
        }
    }

    private static void closeQuietly(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                // already failing
            }
        }
    }

    private void update(Connection connection, String guild, String channel) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE " + table("guild_config") + " SET logging_channel_id = ? WHERE guild_id = ?")) {
            statement.setString(1, channel);
            statement.setString(2, guild);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private void upsert(Connection connection, String guild, String channel) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table("guild_config")
                + " (guild_id, logging_channel_id) VALUES (?, ?)"
                + " ON CONFLICT (guild_id) DO UPDATE SET logging_channel_id = EXCLUDED.logging_channel_id")) {
            statement.setString(1, guild);
            statement.setString(2, channel);
            statement.executeUpdate();
        }
    }

    private Optional<String> storedChannel(Connection connection, String guild) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT logging_channel_id FROM " + table("guild_config") + " WHERE guild_id = ?")) {
            statement.setString(1, guild);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    // ---- the real thread ----------------------------------------------------------------------

    /** Records when each change of a guild reached the store. */
    private static BlockingQueue<Long> arrivals(PostgresConfigStore store) {
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(10_000);
        store.guildSettingsBackend().subscribe(new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                arrivals.add(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
            }

            @Override
            public void allChanged() {}
        });
        return arrivals;
    }

    private static long take(BlockingQueue<Long> arrivals) throws InterruptedException {
        Long arrived = arrivals.poll(30, TimeUnit.SECONDS);
        if (arrived == null) {
            throw new AssertionError("a change made elsewhere never reached the store");
        }
        return arrived;
    }

    @Test
    void measuresHowLongAChangeMadeElsewhereTakesToArrive() throws Exception {
        int changes = Integer.getInteger("configstore.feed.changes", 200);
        try (PostgresConfigStore store = listening();
                PostgresConfigStore other = listening();
                Connection writer = TestServer.connect();
                Statement warmUp = writer.createStatement()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            warmUp.execute("SELECT 1");
            BlockingQueue<Long> arrivals = arrivals(store);

            List<Long> sqlDelays = new ArrayList<>();
            try (PreparedStatement update = writer.prepareStatement(
                    "UPDATE " + table("guild_config") + " SET logging_channel_id = ? WHERE guild_id = ?")) {
                for (int i = 0; i < changes; i++) {
                    update.setString(1, Long.toString(300_000_000_000_000_000L + i));
                    update.setString(2, GUILD);
                    long sent = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    update.executeUpdate();
                    sqlDelays.add(take(arrivals) - sent);
                }
            }
            assertThat(store.loggingStore().getLoggingChannelId(GUILD))
                    .contains(Long.toString(300_000_000_000_000_000L + changes - 1));
            log.info("change feed delay, plain JDBC UPDATE on another connection: {}", summary(sqlDelays));

            List<Long> storeDelays = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                long sent = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                other.loggingStore().setLoggingChannelId(GUILD, Long.toString(400_000_000_000_000_000L + i));
                storeDelays.add(take(arrivals) - sent);
            }
            assertThat(store.loggingStore().getLoggingChannelId(GUILD))
                    .contains(Long.toString(400_000_000_000_000_000L + changes - 1));
            log.info("change feed delay, another PostgresConfigStore writing: {}", summary(storeDelays));
        }
    }

    private static String summary(List<Long> delaysMicros) {
        List<Long> sorted = new ArrayList<>(delaysMicros);
        Collections.sort(sorted);
        return String.format(
                "%d changes, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }
}
