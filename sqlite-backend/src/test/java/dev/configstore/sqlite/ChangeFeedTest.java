package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.spi.ChangeListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only SQLite's change feed does (what every database's does is {@link
 * dev.configstore.testkit.ChangeFeedTests}, run by {@link SqliteChangeFeedSuiteTest}): triggers
 * dropped and put back, a read-only store, a file deleted, replaced or restored under a running
 * store; and how long a change by another process or the {@code sqlite3} shell takes to arrive,
 * on the real threads.
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
