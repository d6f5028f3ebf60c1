package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.guild.LoggingStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * What every database's change feed does, written once against the store type: changes made by
 * other stores, by plain SQL on another connection (as another program or a shell makes them),
 * by transactions that roll back or commit out of order, reach every store; entries removed
 * before they were read, and failed reads, cost a dropped cache or a retry, never a stale value.
 * Most tests drive the feed by hand ({@link #pollChangesNow}), so that "before" and "after" a read
 * are exact; a few run the feed's own thread.
 *
 * <p>A database module extends this class with a short fixture: how to open a store on the
 * test's database, connect to it with plain JDBC, prune its log and break its feed's connection.
 */
public abstract class ChangeFeedTests {

    static final String GUILD = "123456789012345678";
    static final String OTHER_GUILD = "223456789012345678";
    static final String OLD = "111111111111111111";
    static final String NEW = "222222222222222222";

    final ExecutorService threads = Executors.newCachedThreadPool();

    /** Creates the suite. */
    protected ChangeFeedTests() {}

    /**
     * Opens a store on the test's database (the same database on every call within one test),
     * with its change feed read only when {@link #pollChangesNow} is called.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore open() throws Exception;

    /**
     * Opens a store on the test's database with its change feed running on its own thread.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore openWithFeedThread() throws Exception;

    /**
     * Opens a store on the test's database without a change feed.
     *
     * @param cache applied to the builder of every cache of the store
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore openWithoutFeed(Consumer<CachedKeyValueStore.Builder<?, ?>> cache) throws Exception;

    /**
     * Reads the store's change log once, now.
     *
     * @param store a store {@link #open()} returned
     */
    protected abstract void pollChangesNow(ConfigStore store);

    /**
     * Connects to the test's database with plain JDBC, as another program would, in autocommit,
     * where configstore's tables are found by their bare names ({@code guild_config}).
     *
     * @return a new connection, which the caller closes
     * @throws Exception if it cannot connect
     */
    protected abstract Connection connect() throws Exception;

    /**
     * Prunes the store's change log now, keeping the newest {@code keepEntries} entries.
     *
     * @param store a store {@link #open()} returned
     * @param keepEntries how many entries to keep
     */
    protected abstract void pruneChangeLog(ConfigStore store, int keepEntries);

    /**
     * Makes the store's next reads of its change log fail, as a lost connection does (a killed
     * server process, a file moved away), until the returned handle is closed.
     *
     * @param store a store {@link #open()} returned
     * @return closing it lets reads work again (a no-op where the next read reconnects by itself)
     * @throws Exception if the connection could not be broken
     */
    protected abstract AutoCloseable breakFeed(ConfigStore store) throws Exception;

    /**
     * Whether the store's change feed thread is running.
     *
     * @param store a store {@link #openWithFeedThread()} returned
     * @return {@code true} while it runs
     */
    protected abstract boolean feedThreadRunning(ConfigStore store);

    /** Stops the helper threads. */
    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private long count(String query) throws Exception {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aWriteThroughOneStoreReachesAnotherStoreAtItsNextRead() throws Exception {
        try (ConfigStore first = open();
                ConfigStore second = open()) {
            first.loggingStore().setLoggingChannelId(GUILD, OLD);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);

            first.loggingStore().setLoggingChannelId(GUILD, NEW);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD))
                    .as("cached until the read")
                    .contains(OLD);
            pollChangesNow(second);

            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(second.changeFeedStats().externalChangesApplied()).isEqualTo(2);
            assertThat(second.guildConfig().stats().externalChangesApplied()).isEqualTo(2);
            assertThat(second.changeFeedStats().gaps()).isZero();
        }
    }

    @Test
    void aStoresOwnWritesAreNotAppliedASecondTime() throws Exception {
        try (ConfigStore store = open()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.flaggerStore().setSilentFirstMsgDays(GUILD, 30);
            store.keyValueStore("welcome").put("greeting", "hi");
            store.keyValueStore("welcome").inTransaction(tx -> {
                tx.put("a", "1");
                tx.remove("b");
                return 0;
            });
            store.loggingStore().getLoggingChannelId(GUILD);
            long invalidationsBefore = store.guildConfig().stats().invalidations();

            pollChangesNow(store);

            ChangeFeedStats stats = store.changeFeedStats();
            assertThat(stats.ownChangesSkipped()).isEqualTo(5);
            assertThat(stats.externalChangesApplied()).isZero();
            assertThat(store.guildConfig().stats().invalidations()).isEqualTo(invalidationsBefore);
        }
    }

    @Test
    void plainSqlUpdatesAndDeletesByAnotherProgramAreSeen() throws Exception {
        try (ConfigStore store = open()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            welcome.put("greeting", "hello");
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(welcome.get("greeting")).contains("hello");

            // Neither statement touches the version column: the store must not mistake the
            // change for its own.
            sql(
                    "UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id = '" + GUILD + "'",
                    "DELETE FROM configstore_kv WHERE namespace = 'welcome'");
            pollChangesNow(store);

            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(welcome.get("greeting")).isEmpty();
            assertThat(store.changeFeedStats().gaps()).isZero();

            sql("DELETE FROM guild_config");
            pollChangesNow(store);
            assertThat(logging.getLoggingChannelId(GUILD)).isEmpty();
        }
    }

    @Test
    void aChangeInOneNamespaceLeavesTheOthersCached() throws Exception {
        try (ConfigStore store = open()) {
            store.keyValueStore("a").put("k", "1");
            store.keyValueStore("b").put("k", "1");
            store.keyValueStore("a").get("k");
            store.keyValueStore("b").get("k");

            sql("UPDATE configstore_kv SET value = '2' WHERE namespace = 'a'");
            pollChangesNow(store);

            assertThat(store.keyValueStore("a").get("k")).contains("2");
            assertThat(store.keyValueStore("b").stats().externalChangesApplied())
                    .isZero();
            assertThat(store.keyValueStore("b").get("k")).contains("1");
        }
    }

    @Test
    void aWatcherThatThrowsLeavesNoCacheStale() throws Exception {
        try (ConfigStore store = open()) {
            LoggingStore logging = store.loggingStore();
            logging.setLoggingChannelId(GUILD, OLD);
            logging.setLoggingChannelId(OTHER_GUILD, OLD);
            pollChangesNow(store);
            assertThat(logging.getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(logging.getLoggingChannelId(OTHER_GUILD)).contains(OLD);
            store.watchGuildChanges(listener(key -> {
                throw new IllegalStateException("a broken watcher");
            }));

            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "' WHERE guild_id IN ('" + GUILD + "', '"
                    + OTHER_GUILD + "')");
            pollChangesNow(store);

            assertThat(logging.getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(logging.getLoggingChannelId(OTHER_GUILD)).contains(NEW);
            assertThat(store.changeFeedStats().externalChangesApplied()).isEqualTo(2);
            assertThat(store.changeFeedStats().errors()).isZero();
        }
    }

    @Test
    void aRolledBackTransactionIsNotAGap() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            writer.loggingStore().setLoggingChannelId(GUILD, OLD);
            pollChangesNow(reader);
            reader.loggingStore().getLoggingChannelId(GUILD);
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                update(connection, GUILD, "333333333333333333");
                connection.rollback();
            }
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);

            pollChangesNow(reader);

            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(reader.changeFeedStats().gaps()).isZero();
        }
    }

    @Test
    void entriesRemovedBeforeTheyWereReadDropEveryCacheAndValuesAreRightAfterwards() throws Exception {
        try (ConfigStore first = open();
                ConfigStore second = open()) {
            first.loggingStore().setLoggingChannelId(GUILD, OLD);
            first.keyValueStore("welcome").put("greeting", "hello");
            pollChangesNow(second);
            second.loggingStore().getLoggingChannelId(GUILD);
            second.keyValueStore("welcome").get("greeting");

            first.loggingStore().setLoggingChannelId(GUILD, NEW);
            first.keyValueStore("welcome").put("greeting", "bye");
            sql("DELETE FROM configstore_changes"); // before the second store read them
            first.keyValueStore("welcome").put("other", "x");
            pollChangesNow(second);

            assertThat(second.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(second.guildConfig().stats().externalFullInvalidations()).isEqualTo(1);
            assertThat(second.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(second.keyValueStore("welcome").get("greeting")).contains("bye");

            pollChangesNow(second);
            assertThat(second.changeFeedStats().gaps())
                    .as("one removal, one gap")
                    .isEqualTo(1);
        }
    }

    @Test
    void pruningKeepsTheNewestEntriesAndAStoreThatFellBehindSeesAGapNotAMiss() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore current = open();
                ConfigStore behind = open()) {
            behind.loggingStore().setLoggingChannelId(GUILD, OLD);
            behind.loggingStore().getLoggingChannelId(GUILD);
            for (int i = 0; i < 30; i++) {
                writer.keyValueStore("counter").put("n", Integer.toString(i));
                pollChangesNow(current);
            }
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);

            pruneChangeLog(writer, 10);

            assertThat(count("SELECT COUNT(*) FROM configstore_changes")).isEqualTo(10);
            pollChangesNow(current);
            pollChangesNow(behind);
            assertThat(current.changeFeedStats().gaps()).isZero();
            assertThat(behind.changeFeedStats().gaps()).isEqualTo(1);
            assertThat(behind.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(current.keyValueStore("counter").get("n")).contains("29");
            assertThat(current.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
        }
    }

    @Test
    void aFailedReadIsCountedAndTheNextReadCatchesUp() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            writer.loggingStore().setLoggingChannelId(GUILD, OLD);
            pollChangesNow(reader);
            reader.loggingStore().getLoggingChannelId(GUILD);

            AutoCloseable broken = breakFeed(reader);
            try {
                pollChangesNow(reader);
                assertThat(reader.changeFeedStats().errors()).isEqualTo(1);
            } finally {
                broken.close();
            }
            writer.loggingStore().setLoggingChannelId(GUILD, NEW);
            pollChangesNow(reader);

            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(reader.changeFeedStats().errors()).isEqualTo(1);
        }
    }

    @Test
    void withTheFeedOffAChangeMadeElsewhereIsSeenOnceTheValueExpires() throws Exception {
        FakeTicker ticker = new FakeTicker();
        try (ConfigStore store =
                openWithoutFeed(cache -> cache.ticker(ticker).expireAfterWrite(Duration.ofSeconds(60)))) {
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

    @Test
    void watchingNeedsTheFeed() throws Exception {
        try (ConfigStore store = openWithoutFeed(cache -> {})) {
            assertThatThrownBy(() -> store.watchGuildChanges(listener(key -> {})))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the change feed is disabled");
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
    void afterTheFeedsCatchUpEveryCacheAgreesWithTheDatabase() throws Exception {
        Gen<Write> writes = Generate.range(0, 2).zip(Generate.range(0, 2), Generate.range(0, 3), Write::new);
        AtomicInteger examples = new AtomicInteger();
        try (ConfigStore first = open();
                ConfigStore second = open();
                Connection sql = connect()) {
            qt().withExamples(60)
                    .forAll(lists().of(writes).ofSizeBetween(1, 20))
                    .checkAssert(sequence -> {
                        // Guilds of their own per example, so that examples share the two stores.
                        long base = 100_000_000_000_000_000L + 10L * examples.incrementAndGet();
                        try {
                            for (Write write : sequence) {
                                String guild = Long.toString(base + write.guild());
                                String channel = Long.toString(900_000_000_000_000_000L + write.channel());
                                switch (write.writer()) {
                                    case 0 -> first.loggingStore().setLoggingChannelId(guild, channel);
                                    case 1 -> second.loggingStore().setLoggingChannelId(guild, channel);
                                    default -> upsert(sql, guild, channel);
                                }
                                for (ConfigStore store : List.of(first, second)) {
                                    store.loggingStore().getLoggingChannelId(guild); // keep values cached
                                }
                            }
                            pollChangesNow(first);
                            pollChangesNow(second);
                            for (int g = 0; g < 3; g++) {
                                String guild = Long.toString(base + g);
                                Optional<String> stored = storedChannel(sql, guild);
                                assertThat(first.loggingStore().getLoggingChannelId(guild))
                                        .as("first, %s", sequence)
                                        .isEqualTo(stored);
                                assertThat(second.loggingStore().getLoggingChannelId(guild))
                                        .as("second, %s", sequence)
                                        .isEqualTo(stored);
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }
    }

    @Test
    void theFeedsOwnThreadDeliversAChangeWithoutAnyoneAsking() throws Exception {
        try (ConfigStore store = openWithFeedThread()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.loggingStore().getLoggingChannelId(GUILD);
            BlockingQueue<String> watched = new ArrayBlockingQueue<>(10);
            ChangeSubscription subscription = store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    watched.add(key);
                }

                @Override
                public void allChanged() {
                    watched.add("everything");
                }
            });

            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "'");

            assertThat(watched.poll(30, TimeUnit.SECONDS)).isEqualTo(GUILD);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);

            // Listeners are called in the order they subscribed: once this later one heard of
            // the next change, the cancelled one would have heard of it too.
            CountDownLatch heardAfterwards = new CountDownLatch(1);
            store.watchGuildChanges(listener(key -> heardAfterwards.countDown()));
            subscription.cancel();
            sql("UPDATE guild_config SET logging_channel_id = '" + OLD + "'");
            await(heardAfterwards);
            assertThat(watched).isEmpty();
        }
    }

    @Test
    void anErrorOnTheFeedsThreadStopsTheFeedVisibly() throws Exception {
        try (ConfigStore store = openWithFeedThread()) {
            store.loggingStore().setLoggingChannelId(GUILD, OLD);
            store.watchGuildChanges(listener(key -> {
                throw new NoClassDefFoundError("a class missing from the class path");
            }));

            sql("UPDATE guild_config SET logging_channel_id = '" + NEW + "'");

            awaitCondition(
                    "the feed to count its end", () -> store.changeFeedStats().errors() == 1);
            awaitCondition("the feed's thread to end", () -> !feedThreadRunning(store));
            assertThat(store.loggingStore().getLoggingChannelId(GUILD))
                    .as("the store still answers; its cache now only expires")
                    .isPresent();
        }
    }

    static void update(Connection connection, String guild, String channel) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("UPDATE guild_config SET logging_channel_id = ? WHERE guild_id = ?")) {
            statement.setString(1, channel);
            statement.setString(2, guild);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    /** Sets a guild's channel, adding its row if it has none, in SQL every database takes. */
    private static void upsert(Connection connection, String guild, String channel) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE guild_config SET logging_channel_id = ? WHERE guild_id = ?")) {
            update.setString(1, channel);
            update.setString(2, guild);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO guild_config (guild_id, logging_channel_id) VALUES (?, ?)")) {
            insert.setString(1, guild);
            insert.setString(2, channel);
            insert.executeUpdate();
        }
    }

    private static Optional<String> storedChannel(Connection connection, String guild) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT logging_channel_id FROM guild_config WHERE guild_id = ?")) {
            statement.setString(1, guild);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** A listener that passes each changed key to {@code keyChanged} and ignores gaps. */
    private static ChangeListener<String> listener(Consumer<String> keyChanged) {
        return new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                keyChanged.accept(key);
            }

            @Override
            public void allChanged() {}
        };
    }

    @Test
    void aCacheClearReachesEveryStoreOnTheDatabase() throws Exception {
        new CacheClearChecks(this).clearingEverythingReachesEveryStore();
    }

    @Test
    void aGuildsCacheClearLeavesOtherGuildsAndNamespacesCached() throws Exception {
        new CacheClearChecks(this).clearingAGuildLeavesOtherGuildsAndNamespacesCached();
    }

    @Test
    void aNamespacesCacheClearLeavesOtherNamespacesAndGuildsCached() throws Exception {
        new CacheClearChecks(this).clearingANamespaceLeavesOtherNamespacesAndGuildsCached();
    }

    @Test
    void aCacheClearRefusesBadInput() throws Exception {
        new CacheClearChecks(this).aClearNeedsWhoAsked();
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("a latch was not released within 30 s");
        }
    }

    /** Waits, at most 30 seconds, until {@code condition} holds. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }
}
