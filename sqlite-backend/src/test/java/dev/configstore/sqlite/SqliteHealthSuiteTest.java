package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreHealth;
import dev.configstore.jdbc.StoreHealth.Check;
import dev.configstore.jdbc.StoreHealth.Status;
import dev.configstore.testkit.HealthTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The health suite on a SQLite file of its own per test; the database is broken by moving its folder away. */
class SqliteHealthSuiteTest extends HealthTests {

    private final Path file = TestDatabases.newFile();
    private final Path folder = Objects.requireNonNull(file.getParent(), "newFile() gives a file in a folder");

    @Override
    protected ConfigStore open(Duration feedInterval, int poolSize) {
        return SqliteConfigStore.builder(file)
                .changeFeedInterval(feedInterval)
                .poolSize(poolSize)
                .build();
    }

    @Override
    protected ConfigStore openWithoutFeed() {
        return SqliteConfigStore.builder(file).disableChangeFeed().build();
    }

    @Override
    protected Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Moves the file's folder away: open connections still read the old file, a new one finds none. */
    @Override
    protected AutoCloseable breakDatabase(ConfigStore store) throws Exception {
        Path away = folder.resolveSibling(folder.getFileName() + "-away");
        Files.move(folder, away);
        return () -> Files.move(away, folder);
    }

    @Test
    void aFolderMovedAwayIsDownWithTheFeedFailingThenUpOnceBack() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            AutoCloseable broken = breakDatabase(store);
            try {
                StoreHealth down = awaitHealth(
                        store, health -> check(health, StoreHealth.CHANGE_FEED).status() == Status.DEGRADED);

                assertThat(down.status()).isEqualTo(Status.DOWN);
                Check database = check(down, StoreHealth.DATABASE);
                assertThat(database.reason()).contains(file.toString()).contains("moved");
                Check feed = check(down, StoreHealth.CHANGE_FEED);
                assertThat(feed.reason()).startsWith("failing");
                assertThat(feed.details()).containsKey("lastFailure");
                assertThat((Long) feed.details().get("failuresSinceLastRead")).isPositive();
            } finally {
                broken.close();
            }
            StoreHealth up = awaitHealth(store, health -> health.status() == Status.UP);
            assertThat((Long) check(up, StoreHealth.CHANGE_FEED).details().get("errors"))
                    .isPositive();
        }
    }
}
