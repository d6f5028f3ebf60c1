package dev.configstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.testkit.RequiresServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * ConfigStoreMetrics on PostgreSQL, as the bot ran it: two stores on one schema stand for
 * two shards, and the reader's feed connection is killed on the server.
 */
@RequiresServer(RequiresServer.Server.POSTGRES)
class ConfigStorePostgresMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String schema = "metrics_" + Long.toUnsignedString(System.nanoTime(), 36);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(RequiresServer.Server.POSTGRES.url());
        return dataSource;
    }

    private ConfigStore open() {
        return PostgresConfigStore.builder(dataSource())
                .schema(schema)
                .changeFeedInterval(Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private double feedCount(String name, String... tags) {
        return registry.get(name)
                .tags("store", schema)
                .tags(tags)
                .functionCounter()
                .count();
    }

    /** Ends the reader's feed connection on the server, as a failover or a network cut would. */
    private void killFeedConnection() throws Exception {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, "configstore feed " + schema);
            try (ResultSet killed = statement.executeQuery()) {
                assertThat(killed.next()).as("the feed's connection is found").isTrue();
            }
        }
    }

    @Test
    void theFeedsMetersFollowChangesAKilledConnectionAndItsReconnection() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            new ConfigStoreMetrics(reader).bindTo(registry);
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(2);
            reader.watchChangeDelays(delay -> {
                first.countDown();
                second.countDown();
            });

            writer.keyValueStore("prefs").put("lang", "de");
            assertThat(first.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            killFeedConnection();
            awaitCondition("the feed to reconnect", () -> feedCount("configstore.changefeed.reconnects") >= 1);
            writer.keyValueStore("prefs").put("lang", "fr");
            assertThat(second.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            assertThat(feedCount("configstore.changefeed.errors")).isGreaterThanOrEqualTo(1);
            assertThat(feedCount("configstore.changefeed.changes", "origin", "external"))
                    .isEqualTo(2);
            assertThat(feedCount("configstore.changefeed.entries")).isEqualTo(2);
            Timer delay = registry.get("configstore.changefeed.delay")
                    .tag("store", schema)
                    .timer();
            assertThat(delay.count()).isEqualTo(2);
            assertThat(registry.get("hikaricp.connections")
                            .tag("pool", "configstore-postgres " + schema)
                            .gauge()
                            .value())
                    .isPositive();
        }
    }

    /** Waits for what a feed's thread does by itself, checking every millisecond. */
    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
