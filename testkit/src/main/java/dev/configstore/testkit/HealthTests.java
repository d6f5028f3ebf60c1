package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreHealth;
import dev.configstore.jdbc.StoreHealth.Check;
import dev.configstore.jdbc.StoreHealth.Status;
import dev.configstore.spi.ChangeListener;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every database's {@link ConfigStore#health()} reports, with real faults: a healthy store
 * is UP in every check; a store without a change feed reports the feed off, not DEGRADED; a feed
 * thread held in a listener is DEGRADED with its lag, and UP again once let go; a schema of
 * another version, or without its version table, is DOWN; a feed stopped by an Error is DEGRADED; a database that cannot be reached is
 * DOWN, and UP again once it can; a pool whose every connection is held is DEGRADED.
 *
 * <p>A database module extends this class with a short fixture: how to open a store, connect with
 * plain JDBC, and make the database unreachable.
 */
public abstract class HealthTests {

    private static final String GUILD = "123456789012345678";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Creates the suite. */
    protected HealthTests() {}

    /**
     * Opens a store on the test's database (the same on every call within one test) with its
     * change feed on its own thread.
     *
     * @param feedInterval the change feed's poll interval
     * @param poolSize how many pooled connections it has at most
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore open(Duration feedInterval, int poolSize) throws Exception;

    /**
     * Opens a store on the test's database without a change feed.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore openWithoutFeed() throws Exception;

    /**
     * Connects to the test's database with plain JDBC, in autocommit, where configstore's tables
     * are found by their bare names.
     *
     * @return a new connection, which the caller closes
     * @throws Exception if it cannot connect
     */
    protected abstract Connection connect() throws Exception;

    /**
     * Makes the database unreachable for {@code store}, really: a file moved away, a role denied.
     *
     * @param store a store {@link #open} returned
     * @return closing it makes the database reachable again
     * @throws Exception if the fault could not be made
     */
    protected abstract AutoCloseable breakDatabase(ConfigStore store) throws Exception;

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aHealthyStoreIsUpInEveryCheckAndSaysWhy() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            StoreHealth health = store.health();

            assertThat(health.status()).isEqualTo(Status.UP);
            assertThat(health.checks())
                    .extracting(Check::name)
                    .containsExactly(
                            StoreHealth.DATABASE, StoreHealth.SCHEMA, StoreHealth.CHANGE_FEED, StoreHealth.POOL);
            assertThat(health.checks()).allSatisfy(check -> {
                assertThat(check.status()).as(check.reason()).isEqualTo(Status.UP);
                assertThat(check.reason()).isNotBlank();
            });
            assertThat(check(health, StoreHealth.SCHEMA).details().get("version"))
                    .isEqualTo(check(health, StoreHealth.SCHEMA).details().get("expectedVersion"));
            assertThat(check(health, StoreHealth.CHANGE_FEED).details())
                    .containsEntry("enabled", true)
                    .containsEntry("threadRunning", true)
                    .containsEntry("lagBoundMillis", 1000L);
            assertThat(check(health, StoreHealth.POOL).details())
                    .containsEntry("max", 4)
                    .containsEntry("pending", 0);
        }
    }

    @Test
    void aStoreWithoutFeedReportsItOffNotDegraded() throws Exception {
        try (ConfigStore store = openWithoutFeed()) {
            StoreHealth health = store.health();

            assertThat(health.status()).isEqualTo(Status.UP);
            Check feed = check(health, StoreHealth.CHANGE_FEED);
            assertThat(feed.status()).isEqualTo(Status.UP);
            assertThat(feed.reason()).startsWith("off");
            assertThat(feed.details()).containsEntry("enabled", false);
        }
    }

    @Test
    void aFeedHeldInAListenerIsDegradedWithItsLagThenUpOnceLetGo() throws Exception {
        try (ConfigStore writer = openWithoutFeed();
                ConfigStore reader = open(Duration.ofMillis(50), 4)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Listeners run on the feed's thread: this one keeps it from reading on.
            reader.watchKeyValueChanges("prefs", new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    entered.countDown();
                    awaitLatch(release);
                }

                @Override
                public void allChanged() {}
            });
            try {
                writer.keyValueStore("prefs").put("lang", "fr");
                awaitLatch(entered);

                StoreHealth stuck = awaitHealth(reader, health -> health.status() == Status.DEGRADED);
                Check feed = check(stuck, StoreHealth.CHANGE_FEED);
                assertThat(feed.status()).isEqualTo(Status.DEGRADED);
                assertThat(feed.reason()).startsWith("lagging");
                assertThat((Long) feed.details().get("lagMillis"))
                        .isGreaterThan((Long) feed.details().get("lagBoundMillis"));
                assertThat(check(stuck, StoreHealth.DATABASE).status()).isEqualTo(Status.UP);
            } finally {
                release.countDown();
            }
            StoreHealth after = awaitHealth(reader, health -> health.status() == Status.UP);
            assertThat(check(after, StoreHealth.CHANGE_FEED).reason()).startsWith("The change feed follows");
        }
    }

    @Test
    void aFeedStoppedByAnErrorInAListenerIsDegradedAndSaysSo() throws Exception {
        try (ConfigStore writer = openWithoutFeed();
                ConfigStore reader = open(Duration.ofMillis(50), 4)) {
            // An Error is a bug or a broken runtime: the feed stops instead of repeating it.
            reader.watchKeyValueChanges("prefs", new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    throw new AssertionError("a listener's bug");
                }

                @Override
                public void allChanged() {}
            });
            writer.keyValueStore("prefs").put("lang", "fr");

            StoreHealth stopped = awaitHealth(reader, health -> health.status() == Status.DEGRADED);
            Check feed = check(stopped, StoreHealth.CHANGE_FEED);
            assertThat(feed.reason()).startsWith("stopped");
            assertThat(feed.details()).containsEntry("threadRunning", false);
            assertThat(check(stopped, StoreHealth.DATABASE).status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aSchemaOfAnotherVersionIsDownUntilItIsCurrentAgain() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            setVersionOffset(1);
            StoreHealth newer = store.health();

            assertThat(newer.status()).isEqualTo(Status.DOWN);
            Check schema = check(newer, StoreHealth.SCHEMA);
            assertThat(schema.status()).isEqualTo(Status.DOWN);
            assertThat(schema.reason()).contains("newer configstore");
            assertThat(check(newer, StoreHealth.DATABASE).status()).isEqualTo(Status.UP);

            setVersionOffset(-1);
            assertThat(store.health().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aSchemaWithoutItsVersionTableIsDown() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE configstore_schema_version");
            }
            StoreHealth health = store.health();

            assertThat(health.status()).isEqualTo(Status.DOWN);
            assertThat(check(health, StoreHealth.SCHEMA).reason()).startsWith("The schema version cannot be read");
        }
    }

    @Test
    void anUnreachableDatabaseIsDownThenUpOnceItIsBack() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            AutoCloseable broken = breakDatabase(store);
            try {
                StoreHealth down = store.health(Duration.ofMillis(500));

                assertThat(down.status()).isEqualTo(Status.DOWN);
                assertThat(check(down, StoreHealth.DATABASE).status()).isEqualTo(Status.DOWN);
                assertThat(check(down, StoreHealth.DATABASE).reason()).isNotBlank();
                assertThat(check(down, StoreHealth.SCHEMA).reason()).startsWith("Not checked");
            } finally {
                broken.close();
            }
            awaitHealth(store, health -> health.status() == Status.UP);
        }
    }

    @Test
    void aPoolWithThreadsWaitingIsDegradedThenUpOnceTheyAreServed() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 1)) {
            store.loggingStore().setLoggingChannelId(GUILD, "223456789012345678");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Reading every guild holds the one pooled connection while the action runs.
            Future<Long> holder = threads.submit(() -> store.forEachGuildSettings((guild, settings) -> {
                holding.countDown();
                awaitLatch(release);
            }));
            Future<Long> waiter;
            try {
                awaitLatch(holding);
                waiter = threads.submit(store::guildCount);
                StoreHealth busy = awaitHealth(
                        store,
                        Duration.ofMillis(200),
                        health -> check(health, StoreHealth.POOL).status() == Status.DEGRADED);
                Check pool = check(busy, StoreHealth.POOL);
                assertThat(pool.reason()).startsWith("saturated");
                assertThat((Integer) pool.details().get("pending")).isPositive();
                assertThat(pool.details()).containsEntry("max", 1).containsEntry("active", 1);
                // The probe's own query waits for the held connection too: bounded by its timeout.
                Check database = check(busy, StoreHealth.DATABASE);
                assertThat(database.status()).isEqualTo(Status.DOWN);
                assertThat(database.reason()).contains("did not answer within 200 ms");
            } finally {
                release.countDown();
            }
            assertThat(holder.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1L);
            awaitHealth(store, health -> health.status() == Status.UP);
        }
    }

    @Test
    void aTimeoutOutOfRangeIsRefused() throws Exception {
        try (ConfigStore store = openWithoutFeed()) {
            assertThatThrownBy(() -> store.health(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout");
            assertThatThrownBy(() -> store.health(Duration.ofMinutes(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout");
        }
    }

    private void setVersionOffset(int offset) throws Exception {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE configstore_schema_version SET version = version + " + offset);
        }
    }

    /**
     * Returns a check of a health, which must have it.
     *
     * @param health the health
     * @param name the check's name
     * @return the check
     */
    protected static Check check(StoreHealth health, String name) {
        return health.check(name).orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }

    /**
     * Asks the store's health until it is as {@code wanted} says, at most 30 seconds.
     *
     * @param store the store
     * @param wanted what the health should be
     * @return the health that was
     */
    protected static StoreHealth awaitHealth(ConfigStore store, Predicate<StoreHealth> wanted) {
        return awaitHealth(store, ConfigStore.DEFAULT_HEALTH_TIMEOUT, wanted);
    }

    private static StoreHealth awaitHealth(ConfigStore store, Duration timeout, Predicate<StoreHealth> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        StoreHealth health = store.health(timeout);
        while (!wanted.test(health)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the store's health did not become as expected within " + WAIT + ": " + health);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            health = store.health(timeout);
        }
        return health;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("a latch was not released within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
