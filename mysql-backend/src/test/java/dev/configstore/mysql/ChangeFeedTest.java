package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.spi.ChangeListener;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The polled change feed, driven by {@link MariaDbChangeFeed#pollNow()}: no thread, no waiting. */
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

        assertThat(feed.pollNow()).isTrue();

        assertThat(changed).containsExactly("shell");
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
}
