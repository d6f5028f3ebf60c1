package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.spi.ChangeListener;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only MariaDB's polled change feed does, driven by {@link MariaDbChangeFeed#pollNow()}: no
 * thread, no waiting. What every database's feed does is {@link
 * dev.configstore.testkit.ChangeFeedTests}, run by {@link MariaDbChangeFeedSuiteTest}.
 */
@RequiresMariaDb
class ChangeFeedTest {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final MariaDbDatabase database = DATABASES.open();
    private final MariaDbChangeFeed feed =
            DATABASES.closeLater(MariaDbChangeFeed.start(database, Duration.ofMillis(100), false));
    private final List<String> changed = new CopyOnWriteArrayList<>();
    private int allChanged;

    ChangeFeedTest() {
        feed.subscribe("configstore_kv", "ns", new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                changed.add(key);
            }

            @Override
            public void allChanged() {
                allChanged++;
            }
        });
    }

    private String kv() {
        return database.table("configstore_kv");
    }

    @Test
    void aChangeByAnotherConnectionIsSeenAndOwnChangesAreSkipped() throws Exception {
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'shell', 'x')");
        JdbcKeyValueBackend own = new JdbcKeyValueBackend(database, new MariaDbSql(database), "ns", feed);
        own.write("mine", "y");
        List<Long> delays = new ArrayList<>();
        feed.watchDelays(delays::add);

        assertThat(feed.pollNow()).isTrue();

        assertThat(changed).containsExactly("shell");
        assertThat(delays)
                .as("the shell's change, timed by the server's clock")
                .singleElement()
                .satisfies(delay -> assertThat(delay).isNotNegative());
        assertThat(feed.stats().ownChangesSkipped()).isEqualTo(1);
        assertThat(allChanged).isZero();
    }

    @Test
    void entriesCommittedOutOfOrderAreAllSeen() throws Exception {
        try (Connection first = TestServer.connect();
                Connection second = TestServer.connect();
                Statement firstStatement = first.createStatement();
                Statement secondStatement = second.createStatement()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            // The first transaction takes the lower log number, the second the higher one...
            firstStatement.execute("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'early', '1')");
            secondStatement.execute("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'late', '2')");
            // ...and commits after it.
            second.commit();
            assertThat(feed.pollNow()).isTrue();
            assertThat(changed).containsExactly("late");
            assertThat(feed.holes()).hasSize(1);

            first.commit();
            assertThat(feed.pollNow()).isTrue();
            assertThat(changed).containsExactly("late", "early");
            assertThat(feed.holes()).isEmpty();
            assertThat(allChanged).isZero();
        }
    }

    @Test
    void aHoleLeftByARollbackIsNeverAGapAndAChangeAfterItIsSeen() throws Exception {
        try (Connection rolledBack = TestServer.connect();
                Statement statement = rolledBack.createStatement()) {
            rolledBack.setAutoCommit(false);
            statement.execute("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'never', '1')");
            TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'after', '2')");
            rolledBack.rollback();
        }
        assertThat(feed.pollNow()).isTrue();
        assertThat(changed).containsExactly("after");
        assertThat(feed.holes()).hasSize(1);
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'later', '3')");
        feed.pollNow();
        assertThat(changed).containsExactly("after", "later");
        assertThat(allChanged).isZero();
    }

    @Test
    void entriesPrunedBeforeTheyAreReadAreAGap() throws Exception {
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'a', '1')");
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'b', '1')");
        feed.prune(0);

        assertThat(feed.pollNow()).isTrue();

        assertThat(allChanged).isEqualTo(1);
        assertThat(feed.stats().gaps()).isEqualTo(1);
        assertThat(changed).isEmpty();
        // Afterwards, the feed goes on from the new position.
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'c', '1')");
        feed.pollNow();
        assertThat(changed).containsExactly("c");
    }

    @Test
    void aNewServerIncarnationIsAGap() throws Exception {
        // What a restart does to the MEMORY table: its row is gone; the feed's next connection writes a new one.
        TestServer.sql("DELETE FROM " + database.table(Migrations.SERVER_TABLE));
        TestServer.sql("INSERT INTO " + database.table(Migrations.SERVER_TABLE)
                + " (only_row, incarnation, since) VALUES (1, UUID(), UTC_TIMESTAMP())");

        assertThat(feed.pollNow()).isTrue();

        assertThat(feed.stats().gaps()).isEqualTo(1);
        assertThat(allChanged).isEqualTo(1);
    }

    @Test
    void aFailedReadIsCountedAndTheNextOneCatchesUp() throws Exception {
        TestServer.sql(
                "RENAME TABLE " + database.table(Migrations.CHANGES_TABLE) + " TO " + database.table("moved_away"));
        try {
            assertThat(feed.pollNow()).isFalse();
            assertThat(feed.stats().errors()).isEqualTo(1);
        } finally {
            TestServer.sql(
                    "RENAME TABLE " + database.table("moved_away") + " TO " + database.table(Migrations.CHANGES_TABLE));
        }
        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'back', '1')");
        feed.pollNow();
        assertThat(changed).containsExactly("back");
    }

    /** A feed of its own on {@code clock}, and what its listener on namespace {@code ns} heard. */
    private record Watched(MariaDbChangeFeed feed, List<String> changed, AtomicInteger allChanged) {}

    private Watched watched(LongSupplier clock) {
        MariaDbChangeFeed own =
                DATABASES.closeLater(MariaDbChangeFeed.start(database, Duration.ofMillis(100), false, clock));
        List<String> keys = new CopyOnWriteArrayList<>();
        AtomicInteger all = new AtomicInteger();
        own.subscribe("configstore_kv", "ns", new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                keys.add(key);
            }

            @Override
            public void allChanged() {
                all.incrementAndGet();
            }
        });
        return new Watched(own, keys, all);
    }

    /**
     * A transaction takes a number of the log and stays open: its entry never shows up, and no
     * proof that it rolled back is possible. After {@value MariaDbChangeFeed#HOLE_TIMEOUT_SECONDS}
     * s on the feed's clock, the hole is given up as a gap; the number is still watched from the
     * new position, so the entry is applied if it commits after all.
     */
    @Test
    void aHoleThatNeverFillsIsAGapOnceItIsOlderThanTheTimeout() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Watched timed = watched(nanos::get);
        try (Connection open = TestServer.connect();
                Statement statement = open.createStatement()) {
            open.setAutoCommit(false);
            statement.execute("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'pending', '1')");
            TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'after', '2')");
            assertThat(timed.feed().pollNow()).isTrue();
            assertThat(timed.changed()).containsExactly("after");
            assertThat(timed.feed().holes()).hasSize(1);

            nanos.addAndGet(TimeUnit.SECONDS.toNanos(MariaDbChangeFeed.HOLE_TIMEOUT_SECONDS));
            assertThat(timed.feed().pollNow()).isFalse();
            assertThat(timed.feed().stats().gaps())
                    .as("not older than the timeout yet")
                    .isZero();

            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
            assertThat(timed.feed().pollNow()).isTrue();
            assertThat(timed.feed().stats().gaps()).isEqualTo(1);
            assertThat(timed.allChanged()).hasValue(1);
            assertThat(timed.feed().holes())
                    .as("still missing from the new position")
                    .hasSize(1);

            open.commit();
        }
        assertThat(timed.feed().pollNow()).isTrue();
        assertThat(timed.changed()).containsExactly("after", "pending");
        assertThat(timed.feed().holes()).isEmpty();
        assertThat(timed.feed().stats().gaps()).isEqualTo(1);
    }

    @Test
    void aMissingTriggerIsNamedAtStartAndEveryReadIsAGapUntilItIsBack() throws Exception {
        TestServer.sql("DROP TRIGGER " + database.quoted() + ".configstore_kv_ai");
        Watched broken = watched(System::nanoTime);
        assertThat(broken.feed().brokenTracking())
                .isEqualTo("configstore's triggers configstore_kv_ai on configstore_kv are missing, so changes may go"
                        + " unlogged");

        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'unlogged', '1')");
        assertThat(broken.feed().pollNow()).isTrue();
        assertThat(broken.allChanged()).hasValue(1);
        broken.feed().pollNow();
        assertThat(broken.feed().stats().gaps())
                .as("every read while it is missing")
                .isEqualTo(2);

        DATABASES.open(database.name); // what opening a store does: the migrations put it back
        broken.feed().pollNow();
        assertThat(broken.feed().brokenTracking()).isNull();
        assertThat(broken.feed().stats().gaps())
                .as("once more, for the changes made meanwhile")
                .isEqualTo(3);

        TestServer.sql("INSERT INTO " + kv() + " (namespace, `key`, value) VALUES ('ns', 'logged', '1')");
        broken.feed().pollNow();
        assertThat(broken.changed()).containsExactly("logged");
        assertThat(broken.feed().stats().gaps()).isEqualTo(3);
    }

    @Test
    void aTriggerDroppedWhileTheFeedRunsIsFoundWhenItConnectsAgain() throws Exception {
        Watched running = watched(System::nanoTime);
        assertThat(running.feed().brokenTracking()).isNull();
        TestServer.sql("DROP TRIGGER " + database.quoted() + ".configstore_kv_au");
        TestServer.sql("KILL CONNECTION " + running.feed().connectionId());

        running.feed().pollNow();
        assertThat(running.feed().stats().errors()).isEqualTo(1);
        assertThat(running.feed().pollNow()).isTrue();
        assertThat(running.feed().stats().reconnects()).isEqualTo(1);

        assertThat(running.feed().brokenTracking()).contains("configstore_kv_au on configstore_kv");
        assertThat(running.feed().stats().gaps()).isEqualTo(1);
        assertThat(running.allChanged()).hasValue(1);
    }
}
