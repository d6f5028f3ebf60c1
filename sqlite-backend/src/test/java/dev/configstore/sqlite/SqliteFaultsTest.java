package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.guild.LoggingStore;
import dev.configstore.testkit.ReadOnlyFile;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's own failures, against a real file: the reason and message each gets, that nothing is
 * lost (the file keeps the old value, the cache still serves it), and that the same store object
 * recovers once the fault is gone. What every database shares is in {@link SqliteFaultsSuiteTest}.
 */
class SqliteFaultsTest {

    private static final String GUILD = "123456789012345678";
    private static final String OLD_CHANNEL = "111111111111111111";
    private static final String NEW_CHANNEL = "222222222222222222";

    @TempDir
    Path folder;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private Path file() {
        return folder.resolve("bot.db");
    }

    private static void assertFails(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
                .hasMessageContaining(messagePart)
                .hasCauseInstanceOf(Exception.class);
    }

    /** The old value is still in the file, read by a connection of its own. */
    private String storedLoggingChannel() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement();
                var row = statement.executeQuery(
                        "SELECT logging_channel_id FROM guild_config WHERE guild_id = '" + GUILD + "'")) {
            return row.next() ? row.getString(1) : "no row";
        }
    }

    @Test
    void aFullDiskIsStorageFullChangesNothingAndWritesWorkAgainOnceSpaceIsFree() throws Exception {
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file()).maxPageCount(40).build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("motd", "old message");
            assertThat(values.get("motd")).contains("old message");
            String big = "x".repeat(16_000);
            int written = 0;
            @org.jspecify.annotations.Nullable StoreException full = null;
            while (full == null && written < 100) {
                try {
                    values.put("blob-" + written, big);
                    written++;
                } catch (StoreException e) {
                    full = e;
                }
            }
            StoreException storageFull = java.util.Objects.requireNonNull(full, "the database never filled up");
            assertThat(storageFull.reason()).isEqualTo(Reason.STORAGE_FULL);
            assertThat(storageFull).hasMessageContaining("is full").hasMessageContaining("Free disk space");
            long readsBefore = store.keyValueStore("values").stats().loads();

            assertFails(() -> values.put("motd", big), Reason.STORAGE_FULL, "nothing was changed");
            assertFails(
                    () -> values.inTransaction(tx -> {
                        tx.put("motd", "changed in a transaction");
                        tx.put("in-a-transaction", big);
                        return null;
                    }),
                    Reason.STORAGE_FULL,
                    "is full");
            assertThat(values.get("motd")).contains("old message");
            assertThat(values.stats().loads()).as("served from the cache").isEqualTo(readsBefore);
            assertThat(storedValue("values", "motd")).isEqualTo("old message");

            for (int i = 0; i < written; i++) {
                values.remove("blob-" + i);
            }
            values.put("motd", "new message");
            assertThat(values.get("motd")).contains("new message");
            values.inTransaction(tx -> {
                tx.put("after", "recovered");
                return null;
            });
            assertThat(values.get("after")).contains("recovered");
            assertThat(values.get("in-a-transaction")).isEmpty();
        }
    }

    private String storedValue(String namespace, String key) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                var statement = connection.prepareStatement(
                        "SELECT value FROM configstore_kv WHERE namespace = ? AND key = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (var row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : "no row";
            }
        }
    }

    @Test
    void aConnectionThatFailedInsideATransactionIsNotReusedInABrokenState() throws Exception {
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file()).maxPageCount(30).poolSize(1).build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("kept", "1");
            String big = "y".repeat(200_000);
            assertFails(
                    () -> values.inTransaction(tx -> {
                        tx.put("kept", "2");
                        tx.put("big", big);
                        return null;
                    }),
                    Reason.STORAGE_FULL,
                    "is full");

            IllegalStateException rollBack = new IllegalStateException("roll back");
            assertThatThrownBy(() -> values.inTransaction(tx -> {
                        tx.put("kept", "3");
                        throw rollBack;
                    }))
                    .isSameAs(rollBack);
            values.invalidateAll();
            assertThat(values.get("kept")).contains("1");
            values.put("kept", "4");
            values.invalidateAll();
            assertThat(values.get("kept")).contains("4");
        }
    }

    @Test
    void aReadOnlyStoreReadsAndRefusesWritesAsReadOnly() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
        }
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file()).readOnly().build()) {
            LoggingStore logging = store.loggingStore();
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);

            assertFails(() -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL), Reason.READ_ONLY, "is read-only");
            assertFails(() -> store.keyValueStore("x").put("k", "v"), Reason.READ_ONLY, "nothing was changed");

            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
        }
        assertThat(storedLoggingChannel()).isEqualTo(OLD_CHANNEL);
    }

    @Test
    void aFileThisProcessCannotWriteIsRefusedBeforeSqliteCanLeaveFilesBesideIt() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
        }
        List<String> before = fileNames();
        Optional<ReadOnlyFile> readOnly = ReadOnlyFile.make(file());
        Assumptions.assumeTrue(readOnly.isPresent(), "this file system or user cannot make a file read-only");
        try (ReadOnlyFile made = readOnly.get()) {
            assertThat(Files.isWritable(made.file())).isFalse();
            assertFails(
                    () -> SqliteConfigStore.open(file()),
                    Reason.READ_ONLY,
                    "is read-only for this process; nothing was opened or changed");
            assertFails(
                    () -> SqliteConfigStore.builder(file()).readOnly().build(),
                    Reason.READ_ONLY,
                    "no process has it open");

            assertThat(fileNames()).as("no -wal or -shm file left behind").isEqualTo(before);
        }
    }

    @Test
    void aFileThisProcessCannotWriteCanBeReadWhileAWriterHasItOpen() throws Exception {
        try (SqliteConfigStore bot = SqliteConfigStore.open(file())) {
            bot.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
            Optional<ReadOnlyFile> readOnly = ReadOnlyFile.make(file());
            Assumptions.assumeTrue(readOnly.isPresent(), "this file system or user cannot make a file read-only");
            try (ReadOnlyFile made = readOnly.get();
                    SqliteConfigStore reader =
                            SqliteConfigStore.builder(file()).readOnly().build()) {
                assertThat(Files.isWritable(made.file())).isFalse();
                assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            }
        }
    }

    private List<String> fileNames() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aConnectionLeftQueryOnlyIsReplacedAndTheWriteGoesThrough() throws Exception {
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file()).poolSize(1).build()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
            try (Connection connection = store.database().borrowForTest();
                    Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = 1");
            }

            // The connection refuses to begin the transaction; the file is writable, so the store
            // replaces the connection and writes on a new one.
            store.loggingStore().setLoggingChannelId(GUILD, NEW_CHANNEL);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW_CHANNEL);
        }
        assertThat(storedLoggingChannel()).isEqualTo(NEW_CHANNEL);
    }

    @Test
    void aFileThatIsNotADatabaseIsCorruptAtOpenAndNeverOverwritten() throws Exception {
        Files.writeString(file(), "guild_id,logging_channel_id\n123,456\n".repeat(200), StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(file());

        assertFails(() -> SqliteConfigStore.open(file()), Reason.CORRUPT, file().toString());

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(folder.resolve("bot.db-wal")).doesNotExist();
    }

    @Test
    void aDamagedDatabaseIsCorruptAtOpenAndNeverOverwritten() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            for (int i = 0; i < 200; i++) {
                store.keyValueStore("values").put("key-" + i, "value-" + i + "-".repeat(100));
            }
        }
        try (RandomAccessFile raw = new RandomAccessFile(file().toFile(), "rw")) {
            byte[] garbage = new byte[(int) raw.length() - 2 * 4096];
            new java.util.Random(7).nextBytes(garbage);
            raw.seek(4096);
            raw.write(garbage);
        }
        byte[] before = Files.readAllBytes(file());

        assertFails(() -> SqliteConfigStore.open(file()), Reason.CORRUPT, "Restore it from a backup");

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aFileDeletedWhileOpenIsUnavailableWithoutHanging() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD_CHANNEL);
            Files.delete(file());

            assertFails(
                    () -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL), Reason.UNAVAILABLE, "was deleted or moved");
            logging.forgetGuild(GUILD);
            assertFails(() -> logging.getLoggingChannelId(GUILD), Reason.UNAVAILABLE, "restart the bot");
        }
    }

    @Test
    void aFolderMovedAwayIsUnavailableAndTheStoreRecoversWhenItIsBack() throws Exception {
        Path inner = folder.resolve("data");
        Path file = inner.resolve("bot.db");
        // The feed is driven by hand: its thread, noticing the file gone, rightly drops every
        // cache, which would race with the "still cached" check below.
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).manualChangeFeed().build()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD_CHANNEL);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            Path away = folder.resolve("elsewhere");
            Files.move(inner, away);

            assertFails(() -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL), Reason.UNAVAILABLE, file.toString());
            assertThat(logging.getLoggingChannelId(GUILD)).as("still cached").contains(OLD_CHANNEL);

            Files.move(away, inner);
            logging.setLoggingChannelId(GUILD, NEW_CHANNEL);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW_CHANNEL);
        }
    }

    @Test
    void aFileReplacedWhileOpenIsRefusedUntilRestart() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.open(file())) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
            Path copy = folder.resolve("copy.db");
            Files.copy(file(), copy);
            Files.move(copy, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertFails(
                    () -> store.loggingStore().setLoggingChannelId(GUILD, NEW_CHANNEL),
                    Reason.UNAVAILABLE,
                    "was replaced by another file");
        }
    }

    @Test
    void writersOfOneProcessTakeTurnsAndOneKeptWaitingPastTheBusyTimeoutIsBusy() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.builder(file())
                .busyTimeout(Duration.ofSeconds(1))
                .build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("k", "1");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = threads.submit(() -> values.inTransaction(tx -> {
                tx.put("k", "2");
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            assertFails(() -> values.put("k", "3"), Reason.BUSY, "Another write of this process held the database");
            assertThat(values.get("k"))
                    .as("reads go on, and see the last commit")
                    .contains("1");

            // A writer that starts now waits for its turn, and goes when the transaction commits.
            Future<?> waiting = threads.submit(() -> values.put("k", "4"));
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            waiting.get(30, TimeUnit.SECONDS);
            assertThat(values.get("k")).contains("4");
        }
    }
}
