package dev.configstore.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only the MariaDB store's builder has: its URL, its database's name, its network timeout. */
@RequiresMariaDb
class MariaDbConfigStoreTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Test
    void builderSettingsAreCheckedWithTheirName() {
        MariaDbConfigStore.Builder builder = MariaDbConfigStore.builder(TestServer.dataSource());

        assertThatThrownBy(() -> MariaDbConfigStore.builder("jdbc:postgresql://db/bot?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbcUrl must start with \"jdbc:mariadb:\"")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> builder.database("bad name"))
                .hasMessage("database must be 1 to 64 letters, digits or '_', got \"bad name\"");
        assertThatThrownBy(() -> builder.networkTimeout(Duration.ofHours(2)))
                .hasMessage("networkTimeout must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofNanos(500_000)))
                .hasMessage("busyTimeout must be at least 1 ms, got PT0.0005S");
        assertThatThrownBy(() -> MariaDbConfigStore.builder(TestServer.dataSource())
                        .busyTimeout(Duration.ofSeconds(10))
                        .networkTimeout(Duration.ofSeconds(10))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("networkTimeout must be longer than busyTimeout");
    }

    @Test
    void aStoreOpenedWithAJdbcMysqlUrlIsTheSameDatabaseAsWithJdbcMariadb() {
        String database = DATABASES.newName();
        String mysqlUrl = "jdbc:mysql:" + TestServer.URL.substring("jdbc:mariadb:".length());

        try (MariaDbConfigStore written = MariaDbConfigStore.builder(TestServer.URL)
                .database(database)
                .disableChangeFeed()
                .build()) {
            written.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        }
        try (MariaDbConfigStore read = MariaDbConfigStore.builder(mysqlUrl)
                .database(database)
                .disableChangeFeed()
                .build()) {
            assertThat(read.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            assertThat(read.toString()).contains(database).doesNotContain("password");
        }
        assertThat(MariaDbConfigStore.pendingMigrations(mysqlUrl, database)).isEmpty();
    }
}
