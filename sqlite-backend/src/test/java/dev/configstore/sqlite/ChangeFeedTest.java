package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.guild.LoggingStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.testkit.FakeTicker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes made by other connections reach every store on the file: other stores, other
 * programs, the {@code sqlite3} shell. Most tests drive the feed by hand ({@code
 * pollChangesNow}), so that "before" and "after" a poll are exact; the last ones run the real
 * threads and measure how long a change takes to arrive.
 */
class ChangeFeedTest {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeedTest.class);
    private static final String GUILD = "123456789012345678";
    private static final String OLD = "111111111111111111";
    private static final String NEW = "222222222222222222";

    @TempDir
    Path folder;

    private Path file() {
        return folder.resolve("bot.db");
    }

    private SqliteConfigStore manual() {
        return SqliteConfigStore.builder(file()).manualChangeFeed().build();
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void aWriteThroughOneStoreReachesAnotherStoreOnTheSameFileAtItsNextPoll() {
        try (SqliteConfigStore first = manual();
                SqliteConfigStore second = manual()) {
            first.loggingStore().setLoggingChannelId(GUILD, OLD);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);

            first.loggingStore().setLoggingChannelId(GUILD, NEW);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD))
                    .as("cached until the poll")
                    .contains(OLD);
            second.pollChangesNow();

            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(second.changeFeedStats().externalChangesApplied()).isEqualTo(2);
            assertThat(second.guildConfig().stats().externalChangesApplied()).isEqualTo(2);
        }
    }

    @Test
    void aStoresOwnWritesAreNotAppliedASecondTime() {
        try (SqliteConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.flaggerStore().setSilentFirstMsgDays(GUILD, 30);
            store.keyValueStore("welcome").put("greeting", "hi");
            store.loggingStore().getLoggingChannelId(GUILD);
            long invalidationsBefore = store.guildConfig().stats().invalidations();

            store.pollChangesNow();

            ChangeFeedStats stats = store.changeFeedStats();
            assertThat(stats.ownChangesSkipped()).isEqualTo(3);
            assertThat(stats.externalChangesApplied()).isZero();
            assertThat(store.guildConfig().stats().invalidations()).isEqualTo(invalidationsBefore);
        }
    }

    @Test
    void plainSqlUpdatesAndDeletesByAnotherProgramAreSeen() throws Exception {
        try (SqliteConfigStore store = manual()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            welcome.put("greeting", "hello");
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(welcome.get("greeting")).contains("hello");

            sql(
                    "UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id = '" + GUILD + "'",
                    "DELETE FROM configstore_kv WHERE key = 'greeting'");
            store.pollChangesNow();

            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(welcome.get("greeting")).isEmpty();

            sql("DELETE FROM guild_config");
            store.pollChangesNow();
            assertThat(logging.getLoggingChannelId(GUILD)).isEmpty();
        }
    }

    @Test
    void aChangeInOneNamespaceLeavesTheOthersCached() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.keyValueStore("a").put("k", "1");
            store.keyValueStore("b").put("k", "1");
            store.keyValueStore("a").get("k");
            store.keyValueStore("b").get("k");

            sql("UPDATE configstore_kv SET value = '2', version = version + 1 WHERE namespace = 'a'");
            store.pollChangesNow();

            assertThat(store.keyValueStore("a").get("k")).contains("2");
            assertThat(store.keyValueStore("b").stats().externalChangesApplied())
                    .isZero();
            assertThat(store.keyValueStore("b").get("k")).contains("1");
        }
    }

    @Test
    void aWatcherThatThrowsLeavesNoCacheStale() throws Exception {
        String otherGuild = "223456789012345678";
        try (SqliteConfigStore store = manual()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            logging.setLoggingChannelId(otherGuild, OLD);
            store.pollChangesNow();
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(logging.getLoggingChannelId(otherGuild)).contains(OLD);
            store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    throw new IllegalStateException("a broken watcher");
                }

                @Override
                public void allChanged() {}
            });

            sql(
                    "UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id = '" + GUILD + "'",
                    "UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id = '" + otherGuild + "'");
            store.pollChangesNow();

            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(logging.getLoggingChannelId(otherGuild)).contains(NEW);
            assertThat(store.changeFeedStats().errors()).isZero();
        }
    }

    @Test
    void anErrorOnThePollingThreadStopsTheFeedVisibly() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    throw new NoClassDefFoundError("a class missing from the class path");
                }

                @Override
                public void allChanged() {}
            });

            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id = '" + GUILD + "'");

            awaitCondition(
                    "the feed to count its end", () -> store.changeFeedStats().errors() == 1);
            awaitCondition(
                    "the polling thread to end",
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(thread -> thread.getName().equals("configstore-sqlite-feed bot.db")));
            assertThat(store.loggingStore().getLoggingChannelId(GUILD))
                    .as("the store still answers; its cache now only expires")
                    .isPresent();
        }
    }

    /** Waits, at most 30 seconds, until {@code condition} holds. */
    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void entriesRemovedBeforeTheyWereReadDropEveryCacheAndValuesAreRightAfterwards() throws Exception {
        try (SqliteConfigStore first = manual();
                SqliteConfigStore second = manual()) {
            first.loggingStore().setLoggingChannelId(GUILD, OLD);
            first.keyValueStore("welcome").put("greeting", "hello");
            second.loggingStore().getLoggingChannelId(GUILD);
            second.keyValueStore("welcome").get("greeting");
            second.pollChangesNow();

            first.loggingStore().setLoggingChannelId(GUILD, NEW);
            first.keyValueStore("welcome").put("greeting", "bye");
            sql("DELETE FROM configstore_changes"); // pruned past the second store's position
            first.keyValueStore("welcome").put("other", "x");
            second.pollChangesNow();

            assertThat(second.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(second.guildConfig().stats().externalFullInvalidations()).isEqualTo(1);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(second.keyValueStore("welcome").get("greeting")).contains("bye");
        }
    }

    @Test
    void pruningKeepsTheNewestEntriesAndAStoreThatFellBehindSeesAGapNotAMiss() throws Exception {
        try (SqliteConfigStore writer = manual();
                SqliteConfigStore current = manual();
                SqliteConfigStore behind = manual()) {
            behind.loggingStore().setLoggingChannelId(GUILD, OLD);
            behind.loggingStore().getLoggingChannelId(GUILD);
            for (int i = 0; i < 30; i++) {
                writer.keyValueStore("counter").put("n", Integer.toString(i));
                current.pollChangesNow();
            }
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);

            writer.pruneChangeLogNow(10, Duration.ZERO, 5);

            assertThat(rowCount("SELECT COUNT(*) FROM configstore_changes")).isEqualTo(10);
            current.pollChangesNow();
            behind.pollChangesNow();
            assertThat(current.changeFeedStats().gaps()).isZero();
            assertThat(behind.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(behind.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(current.keyValueStore("counter").get("n")).contains("29");
        }
    }

    private long rowCount(String query) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private long triggerCount(String name) throws Exception {
        return rowCount("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = '" + name + "'");
    }

    @Test
    void aDroppedTriggerIsAGapAtTheNextPollAndAWritableStorePutsItBack() throws Exception {
        try (SqliteConfigStore store = manual()) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            welcome.put("greeting", "hello");
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            assertThat(welcome.get("greeting")).contains("hello");
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            store.pollChangesNow();

            sql("DROP TRIGGER configstore_kv_updated", "UPDATE configstore_kv SET value = 'hi' WHERE key = 'greeting'");
            store.pollChangesNow();

            assertThat(welcome.get("greeting")).as("not stale past the poll").contains("hi");
            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(store.guildConfig().stats().externalFullInvalidations()).isEqualTo(1);
            assertThat(triggerCount("configstore_kv_updated")).as("put back").isEqualTo(1);

            // Logged again: the next change is applied to its key, with no further gap.
            sql("UPDATE configstore_kv SET value = 'hey' WHERE key = 'greeting'");
            store.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("hey");
            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(store.changeFeedStats().externalChangesApplied()).isEqualTo(1);
        }
    }

    @Test
    void aTriggerDroppedAndCreatedAgainBetweenTwoPollsIsAGapToo() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            store.pollChangesNow();
            String definition;
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT sql FROM sqlite_master WHERE name = 'configstore_guild_config_updated'")) {
                row.next();
                definition = row.getString(1);
            }

            sql(
                    "DROP TRIGGER configstore_guild_config_updated",
                    "UPDATE guild_config SET logging_channel_id = '" + NEW + "'",
                    definition);
            store.pollChangesNow();

            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
        }
    }

    @Test
    void aReadOnlyStoreCannotPutATriggerBackSoEveryPollThatFindsACommitIsAGapUntilSomeoneDoes() throws Exception {
        try (SqliteConfigStore writer =
                        SqliteConfigStore.builder(file()).disableChangeFeed().build();
                SqliteConfigStore reader = SqliteConfigStore.builder(file())
                        .readOnly()
                        .manualChangeFeed()
                        .build()) {
            writer.keyValueStore("welcome").put("greeting", "hello");
            CachedKeyValueStore<String, String> welcome = reader.keyValueStore("welcome");
            reader.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("hello");

            sql("DROP TRIGGER configstore_kv_updated", "UPDATE configstore_kv SET value = 'hi'");
            reader.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("hi");
            reader.pollChangesNow();
            assertThat(reader.changeFeedStats().gaps())
                    .as("nothing committed, nothing dropped")
                    .isEqualTo(1);

            sql("UPDATE configstore_kv SET value = 'hey'");
            reader.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("hey");
            assertThat(reader.changeFeedStats().gaps()).isEqualTo(2);
            assertThat(triggerCount("configstore_kv_updated")).isZero();

            // Put back by a store that can write (what 'configstore migrate' does), after one
            // more unlogged change: the first poll that finds the triggers back is a gap too.
            sql("UPDATE configstore_kv SET value = 'yo'");
            SqliteConfigStore.open(file()).close();
            reader.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("yo");
            assertThat(reader.changeFeedStats().gaps()).isEqualTo(3);

            sql("UPDATE configstore_kv SET value = 'hi again'");
            reader.pollChangesNow();
            assertThat(welcome.get("greeting")).contains("hi again");
            assertThat(reader.changeFeedStats().gaps()).isEqualTo(3);
        }
    }

    @Test
    void aFileReplacedByAnotherDropsEveryCacheAtTheNextPollAndReadsFailUnavailable() throws Exception {
        Path other = folder.resolve("other.db");
        try (SqliteConfigStore replacement = SqliteConfigStore.open(other)) {
            replacement.loggingStore().setLoggingChannelId(GUILD, NEW);
        }
        CountDownLatch dropped = new CountDownLatch(1);
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {}

                @Override
                public void allChanged() {
                    dropped.countDown();
                }
            });
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.keyValueStore("welcome").put("greeting", "hello");
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(store.keyValueStore("welcome").get("greeting")).contains("hello");

            Files.move(other, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(dropped.await(30, TimeUnit.SECONDS))
                    .as("the feed's thread dropped every cache")
                    .isTrue();
            assertThatThrownBy(() -> store.loggingStore().getLoggingChannelId(GUILD))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                    .hasMessageContaining("was replaced by another file");
            assertThatThrownBy(() -> store.keyValueStore("welcome").get("greeting"))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
        }
    }

    @Test
    void aDeletedFileDropsEveryCacheAtTheNextPoll() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);

            Files.delete(file());
            store.pollChangesNow();
            store.pollChangesNow();

            assertThatThrownBy(() -> store.loggingStore().getLoggingChannelId(GUILD))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                    .hasMessageContaining("was deleted or moved");
            assertThat(store.changeFeedStats().gaps())
                    .as("dropped once, not at every poll")
                    .isEqualTo(1);
        }
    }

    @Test
    void aBackupRestoredIntoTheFileIsAGapToo() throws Exception {
        Path backup = folder.resolve("backup.db");
        try (SqliteConfigStore store = manual()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            sql("VACUUM INTO '" + backup + "'");
            store.loggingStore().setLoggingChannelId(GUILD, NEW);
            store.loggingStore().setLoggingChannelId("223456789012345678", NEW);
            store.pollChangesNow();
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);

            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("restore from " + backup);
            }
            store.pollChangesNow();

            assertThat(store.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
        }
    }

    @Test
    void aPollThatFailsIsCountedAndTheFeedWorksAgainAfterwards() throws Exception {
        Path inner = folder.resolve("data");
        Path away = folder.resolve("away");
        try (SqliteConfigStore writer = SqliteConfigStore.builder(inner.resolve("bot.db"))
                        .manualChangeFeed()
                        .build();
                SqliteConfigStore reader = SqliteConfigStore.builder(inner.resolve("bot.db"))
                        .manualChangeFeed()
                        .build()) {
            writer.loggingStore().setLoggingChannelId(GUILD, OLD);
            reader.loggingStore().getLoggingChannelId(GUILD);
            reader.pollChangesNow();
            Files.move(inner, away);

            reader.pollChangesNow();
            assertThat(reader.changeFeedStats().errors()).isEqualTo(1);

            Files.move(away, inner);
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);
            reader.pollChangesNow();
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
        }
    }

    @Test
    void withTheFeedOffAChangeMadeElsewhereIsSeenOnceTheValueExpires() throws Exception {
        FakeTicker ticker = new FakeTicker();
        try (SqliteConfigStore store = SqliteConfigStore.builder(file())
                .disableChangeFeed()
                .cache(cache -> cache.ticker(ticker).expireAfterWrite(Duration.ofSeconds(60)))
                .build()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.loggingStore().getLoggingChannelId(GUILD);
            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "'");

            ticker.advance(Duration.ofSeconds(59));
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            ticker.advance(Duration.ofSeconds(1));
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(store.changeFeedStats()).isEqualTo(new ChangeFeedStats(0, 0, 0, 0, 0));
        }
    }

    /** A write by one store, by the other, or by plain SQL, to one of three guilds. */
    private record Write(int writer, int guild, int channel) {
        @Override
        public String toString() {
            return List.of("first", "second", "sql").get(writer) + " sets guild" + guild + " to " + channel;
        }
    }

    @Test
    void afterTheFeedCatchesUpEveryCacheAgreesWithTheDatabase() {
        Gen<Write> writes = Generate.range(0, 2).zip(Generate.range(0, 2), Generate.range(0, 3), Write::new);
        qt().withExamples(60).forAll(lists().of(writes).ofSizeBetween(1, 20)).checkAssert(sequence -> {
            Path file = TestDatabases.newFile();
            try (SqliteConfigStore first =
                            SqliteConfigStore.builder(file).manualChangeFeed().build();
                    SqliteConfigStore second =
                            SqliteConfigStore.builder(file).manualChangeFeed().build()) {
                for (Write write : sequence) {
                    String guild = Long.toString(100_000_000_000_000_000L + write.guild());
                    String channel = Long.toString(900_000_000_000_000_000L + write.channel());
                    switch (write.writer()) {
                        case 0 -> first.loggingStore().setLoggingChannelId(guild, channel);
                        case 1 -> second.loggingStore().setLoggingChannelId(guild, channel);
                        default -> rawUpdate(file, guild, channel);
                    }
                    for (SqliteConfigStore store : List.of(first, second)) {
                        store.loggingStore().getLoggingChannelId(guild); // keep values cached
                    }
                }
                first.pollChangesNow();
                second.pollChangesNow();
                for (int g = 0; g < 3; g++) {
                    String guild = Long.toString(100_000_000_000_000_000L + g);
                    Optional<String> stored = storedChannel(file, guild);
                    assertThat(first.loggingStore().getLoggingChannelId(guild))
                            .as("first, %s", sequence)
                            .isEqualTo(stored);
                    assertThat(second.loggingStore().getLoggingChannelId(guild))
                            .as("second, %s", sequence)
                            .isEqualTo(stored);
                }
            }
        });
    }

    private static void rawUpdate(Path file, String guild, String channel) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO guild_config (guild_id, logging_channel_id) VALUES (?, ?)"
                                + " ON CONFLICT (guild_id) DO UPDATE SET logging_channel_id = excluded.logging_channel_id")) {
            statement.setString(1, guild);
            statement.setString(2, channel);
            statement.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> storedChannel(Path file, String guild) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement statement =
                        connection.prepareStatement("SELECT logging_channel_id FROM guild_config WHERE guild_id = ?")) {
            statement.setString(1, guild);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the real threads ---------------------------------------------------------------------

    /** Records when each change of the guild reached the store. */
    private static BlockingQueue<Long> arrivals(SqliteConfigStore store) {
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
            throw new AssertionError("a change made by another process never reached the store");
        }
        return arrived;
    }

    @Test
    void theFeedsOwnThreadDeliversAChangeWithoutAnyoneAsking() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.loggingStore().getLoggingChannelId(GUILD);
            CountDownLatch applied = new CountDownLatch(1);
            store.guildSettingsBackend().subscribe(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    applied.countDown();
                }

                @Override
                public void allChanged() {}
            });

            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "'");

            assertThat(applied.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
        }
    }

    @Test
    void measuresHowLongAChangeByAnotherProcessTakesToArrive() throws Exception {
        int changes = Integer.getInteger("configstore.feed.changes", 200);
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            BlockingQueue<Long> arrivals = arrivals(store);

            List<Long> jvmDelays = new ArrayList<>();
            try (ChildJvm writer = ChildJvm.start(ExternalWriter.class, file().toString())) {
                writer.awaitLine("READY");
                for (int i = 0; i < changes; i++) {
                    writer.sendLine(GUILD + " " + (300_000_000_000_000_000L + i));
                    long committed = Long.parseLong(String.valueOf(writer.readLine()));
                    jvmDelays.add(take(arrivals) - committed);
                }
            }
            assertThat(store.loggingStore().getLoggingChannelId(GUILD))
                    .contains(Long.toString(300_000_000_000_000_000L + changes - 1));
            log.info("change feed delay, child JVM writing with JDBC: {}", summary(jvmDelays));

            Path shell = Path.of("/usr/bin/sqlite3");
            if (Files.isExecutable(shell)) {
                List<Long> shellDelays = new ArrayList<>();
                Process sqlite3 = new ProcessBuilder(shell.toString(), file().toString())
                        .redirectErrorStream(true)
                        .start();
                try (var input = sqlite3.getOutputStream()) {
                    for (int i = 0; i < changes; i++) {
                        long sent = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                        input.write(("UPDATE guild_config SET logging_channel_id = '" + (400_000_000_000_000_000L + i)
                                        + "';\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        input.flush();
                        shellDelays.add(take(arrivals) - sent);
                    }
                }
                sqlite3.waitFor();
                log.info("change feed delay, sqlite3 shell: {}", summary(shellDelays));
            }
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
