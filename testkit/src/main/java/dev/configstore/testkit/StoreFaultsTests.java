package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.guild.LoggingStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures every database's store meets, forced on the real database: the reason and message each
 * gets, that nothing is lost (the database keeps the old value, the cache still serves it), and
 * that the same store recovers once the fault is gone.
 *
 * <p>A database module extends this class (or {@link ServerFaultsTests}, for a database on a
 * server) with a short fixture: how to open a store on the test's database, run SQL on it from
 * another connection, read what it holds, and hold a lock a write needs.
 */
public abstract class StoreFaultsTests {

    /** A guild id. */
    protected static final String GUILD = "123456789012345678";
    /** The channel set first. */
    protected static final String OLD_CHANNEL = "111111111111111111";
    /** The channel a test tries to set next. */
    protected static final String NEW_CHANNEL = "222222222222222222";

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Creates the suite. */
    protected StoreFaultsTests() {}

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /**
     * Opens a store on the test's database (the same database on every call within one test).
     *
     * @param settings changes to the builder's settings, such as the pool size
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore open(Consumer<StoreBuilder<?, ?>> settings) throws Exception;

    /**
     * Runs statements on the test's database from a connection of the test's own.
     *
     * @param statements the statements; table names as {@link #table} gives them
     * @throws Exception if one fails
     */
    protected abstract void sql(String... statements) throws Exception;

    /**
     * Names one of the store's tables as SQL needs it.
     *
     * @param name the table's name, such as {@code guild_config}
     * @return the name, qualified where the database needs it
     */
    protected abstract String table(String name);

    /**
     * Where the store's tables are, as failure messages say it.
     *
     * @return for example {@code schema x} or a file's path
     */
    protected abstract String location();

    /**
     * What a message about an outdated schema says after the problem.
     *
     * @return the sentences, each beginning with a space
     */
    protected abstract String restoreSchema();

    /**
     * Reads a stored key-value value, from a connection of the test's own.
     *
     * @param namespace the namespace
     * @param key the key
     * @return the value stored, if any
     * @throws Exception if it cannot be read
     */
    protected abstract Optional<String> storedValue(String namespace, String key) throws Exception;

    /**
     * Holds, from another connection or process, a lock that a write to {@code guild}'s settings
     * needs, until closed; reads stay possible.
     *
     * @param guild the guild
     * @return what releases the lock
     * @throws Exception if the lock cannot be taken
     */
    protected abstract AutoCloseable lockGuild(String guild) throws Exception;

    /**
     * What the message of a write kept waiting by {@link #lockGuild} past a busy timeout of 200 ms
     * says.
     *
     * @return a part of the message
     */
    protected abstract String busyMessage();

    /**
     * Asserts that a call fails with a {@link StoreException} of the reason, whose message has the
     * part and whose cause is attached.
     */
    static void assertFails(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
                .hasMessageContaining(messagePart)
                .hasCauseInstanceOf(Exception.class);
    }

    /**
     * Runs a task on a thread of the test's own, stopped after the test.
     *
     * @param task the task
     * @return its future
     */
    protected final Future<?> inBackground(Runnable task) {
        return threads.submit(task);
    }

    @Test
    void anExhaustedPoolIsUnavailableAndWorksAgainWhenAConnectionIsFree() throws Exception {
        try (ConfigStore store = open(b -> b.poolSize(1).busyTimeout(Duration.ofMillis(300)))) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("k", "1");
            values.invalidateAll();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = inBackground(() -> values.inTransaction(tx -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            assertFails(() -> values.get("k"), Reason.UNAVAILABLE, "every pooled connection is in use");

            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertThat(values.get("k")).contains("1");
        }
    }

    @Test
    void aColumnDroppedBehindTheStoresBackIsSchemaOutdatedUntilTheMigrationsRunAgain() throws Exception {
        try (ConfigStore store = open(b -> {})) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD_CHANNEL);
            sql("ALTER TABLE " + table("guild_config") + " DROP COLUMN flags_channel_id");
            String expected =
                    "Database schema is outdated: table guild_config has no column flags_channel_id." + restoreSchema();

            assertThatThrownBy(() -> store.flaggerStore().setFlagsChannelId(GUILD, NEW_CHANNEL))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_OUTDATED))
                    .hasMessage(expected);
            store.loggingStore().forgetGuild(GUILD);
            assertThatThrownBy(() -> store.loggingStore().getLoggingChannelId(GUILD))
                    .isInstanceOfSatisfying(
                            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_OUTDATED))
                    .hasMessage(expected);

            try (ConfigStore restarted = open(b -> {})) {
                assertThat(restarted.loggingStore().getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            }
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
            store.flaggerStore().setFlagsChannelId(GUILD, NEW_CHANNEL);
            assertThat(store.flaggerStore().getFlaggerConfig(GUILD).channelId()).contains(NEW_CHANNEL);
        }
    }

    @Test
    void aTableDroppedBehindTheStoresBackIsSchemaOutdatedUntilTheMigrationsRunAgain() throws Exception {
        try (ConfigStore store = open(b -> {})) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("values");
            values.put("motd", "hello");
            sql("DROP TABLE " + table("configstore_kv"));

            assertFails(
                    () -> values.put("motd", "bye"),
                    Reason.SCHEMA_OUTDATED,
                    "Database schema is outdated: table configstore_kv does not exist in " + location());

            open(b -> {}).close();
            values.put("motd", "bye");
            assertThat(values.get("motd")).contains("bye");
            assertThat(storedValue("values", "motd")).contains("bye");
        }
    }

    @Test
    void aLockHeldByAnotherWriterPastTheBusyTimeoutIsBusyReadsGoOnAndTheStoreRecovers() throws Exception {
        try (ConfigStore store = open(b -> b.busyTimeout(Duration.ofMillis(200)))) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD_CHANNEL);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);

            AutoCloseable lock = lockGuild(GUILD);
            try {
                assertFails(() -> logging.setLoggingChannelId(GUILD, NEW_CHANNEL), Reason.BUSY, busyMessage());
                assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD_CHANNEL);
                logging.forgetGuild(GUILD);
                assertThat(logging.getLoggingChannelId(GUILD))
                        .as("read from the database while the lock is held")
                        .contains(OLD_CHANNEL);
            } finally {
                lock.close();
            }
            logging.setLoggingChannelId(GUILD, NEW_CHANNEL);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW_CHANNEL);
        }
    }
}
