package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The change feed's suite on a database that lets several transactions write at once (PostgreSQL,
 * MariaDB): everything {@link ChangeFeedTests} checks, and change-log entries that commit in
 * another order than they were numbered. SQLite has one writer at a time, so there entries always
 * commit in order and it runs {@link ChangeFeedTests} alone.
 */
public abstract class ServerChangeFeedTests extends ChangeFeedTests {

    /** Creates the suite. */
    protected ServerChangeFeedTests() {}

    /**
     * The case a reader that follows the log's numbers gets wrong: transaction A takes the lower
     * number but commits after transaction B. A reader that had moved past B's number would never
     * read A's entry. Two connections on two threads, ordered by latches, force it.
     */
    @Test
    void transactionsThatCommitInAnotherOrderThanTheirEntriesAreNumberedAreAllApplied() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            writer.loggingStore().setLoggingChannelId(GUILD, OLD);
            writer.loggingStore().setLoggingChannelId(OTHER_GUILD, OLD);
            pollChangesNow(reader);
            reader.loggingStore().getLoggingChannelId(GUILD);
            reader.loggingStore().getLoggingChannelId(OTHER_GUILD);

            CountDownLatch firstWrote = new CountDownLatch(1);
            CountDownLatch secondCommitted = new CountDownLatch(1);
            Future<?> first = threads.submit(() -> {
                try (Connection connection = connect()) {
                    connection.setAutoCommit(false);
                    update(connection, GUILD, NEW);
                    firstWrote.countDown();
                    await(secondCommitted);
                    connection.commit();
                }
                return null;
            });
            await(firstWrote);
            Future<?> second = threads.submit(() -> {
                try (Connection connection = connect()) {
                    update(connection, OTHER_GUILD, NEW);
                }
                return null;
            });
            second.get(30, TimeUnit.SECONDS);

            pollChangesNow(reader);
            assertThat(reader.loggingStore().getLoggingChannelId(OTHER_GUILD)).contains(NEW);
            assertThat(reader.loggingStore().getLoggingChannelId(GUILD))
                    .as("not committed yet")
                    .contains(OLD);

            secondCommitted.countDown();
            first.get(30, TimeUnit.SECONDS);
            pollChangesNow(reader);

            assertThat(reader.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(reader.changeFeedStats().gaps()).isZero();
            assertThat(reader.changeFeedStats().externalChangesApplied()).isEqualTo(4);
            assertThat(newestEntry(GUILD))
                    .as("the entry committed last has the lower number")
                    .isLessThan(newestEntry(OTHER_GUILD));
        }
    }

    /** The number of the newest log entry of a guild. */
    private long newestEntry(String guild) throws Exception {
        long newest = 0;
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM configstore_changes")) {
            while (rows.next()) {
                if (guild.equals(rows.getString("key"))) {
                    newest = Math.max(newest, rows.getLong("seq"));
                }
            }
        }
        return newest;
    }
}
