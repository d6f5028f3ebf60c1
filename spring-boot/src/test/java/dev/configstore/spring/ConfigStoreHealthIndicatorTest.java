package dev.configstore.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health indicator's statuses and details, each from a real cause on a SQLite file. */
class ConfigStoreHealthIndicatorTest {

    @TempDir
    Path folder;

    private SqliteConfigStore open(Duration feedInterval) {
        return SqliteConfigStore.builder(folder.resolve("bot.db"))
                .changeFeedInterval(feedInterval)
                .build();
    }

    @Test
    void aHealthyStoreIsUpWithEachChecksStatusReasonAndNumbers() {
        try (ConfigStore store = open(Duration.ofSeconds(1))) {
            Health health = new ConfigStoreHealthIndicator(store, Duration.ofSeconds(2)).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsKeys("store", "checkedAt", "database", "schema", "changeFeed", "pool");
            assertThat(detail(health, "database"))
                    .containsEntry("status", "UP")
                    .containsKeys("reason", "responseMillis");
            assertThat(detail(health, "schema"))
                    .containsEntry("status", "UP")
                    .containsEntry("version", SqliteConfigStore.SCHEMA_VERSION);
            assertThat(detail(health, "pool")).containsEntry("max", 4);
        }
    }

    @Test
    void aSchemaWithoutItsVersionTableIsDown() throws Exception {
        try (ConfigStore store = open(Duration.ofSeconds(1));
                Connection connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE configstore_schema_version");

            Health health = new ConfigStoreHealthIndicator(store, Duration.ofSeconds(2)).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(health, "schema")).containsEntry("status", "DOWN");
            assertThat((String) detail(health, "schema").get("reason")).startsWith("The schema version cannot be read");
        }
    }

    @Test
    void aStoppedChangeFeedIsDegradedWhichAnswersOkButShowsInTheAggregateOnlyWhenOrdered() {
        try (ConfigStore writer = SqliteConfigStore.builder(folder.resolve("bot.db"))
                        .disableChangeFeed()
                        .build();
                ConfigStore reader = open(Duration.ofMillis(20))) {
            reader.watchKeyValueChanges("prefs", new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    throw new AssertionError("a listener's bug stops the feed");
                }

                @Override
                public void allChanged() {}
            });
            writer.keyValueStore("prefs").put("lang", "fr");
            ConfigStoreHealthIndicator indicator = new ConfigStoreHealthIndicator(reader, Duration.ofSeconds(2));

            Health health = awaitHealth(indicator, h -> !h.getStatus().equals(Status.UP));

            assertThat(health.getStatus()).isEqualTo(ConfigStoreHealthIndicator.DEGRADED);
            assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED");
            assertThat(detail(health, "changeFeed"))
                    .containsEntry("status", "DEGRADED")
                    .containsEntry("threadRunning", false);
            assertThat((String) detail(health, "changeFeed").get("reason")).startsWith("stopped");
            assertThat(detail(health, "database")).containsEntry("status", "UP");

            // Actuator answers 200 for a status it has no mapping for: a DEGRADED store serves.
            assertThat(new SimpleHttpCodeStatusMapper().getStatusCode(health.getStatus()))
                    .isEqualTo(200);
            // Its default order does not know DEGRADED, so an application that wants to see it
            // overall names it in management.endpoint.health.status.order, as docs/spring-boot.md says.
            List<Status> statuses = List.of(Status.UP, health.getStatus());
            assertThat(new SimpleStatusAggregator()
                            .getAggregateStatus(statuses.stream().collect(java.util.stream.Collectors.toSet())))
                    .isEqualTo(Status.UP);
            assertThat(new SimpleStatusAggregator("DOWN", "OUT_OF_SERVICE", "DEGRADED", "UP", "UNKNOWN")
                            .getAggregateStatus(statuses.stream().collect(java.util.stream.Collectors.toSet())))
                    .isEqualTo(ConfigStoreHealthIndicator.DEGRADED);
        }
    }

    @Test
    void eachStoreStatusMapsToItsActuatorStatus() {
        assertThat(ConfigStoreHealthIndicator.status(dev.configstore.jdbc.StoreHealth.Status.UP))
                .isEqualTo(Status.UP);
        assertThat(ConfigStoreHealthIndicator.status(dev.configstore.jdbc.StoreHealth.Status.DOWN))
                .isEqualTo(Status.DOWN);
        assertThat(ConfigStoreHealthIndicator.status(dev.configstore.jdbc.StoreHealth.Status.DEGRADED)
                        .getCode())
                .isEqualTo("DEGRADED");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String check) {
        return (Map<String, Object>)
                java.util.Objects.requireNonNull(health.getDetails().get(check), check);
    }

    /** Asks until the health matches, for at most a generous minute. */
    private static Health awaitHealth(ConfigStoreHealthIndicator indicator, Predicate<Health> wanted) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Health health = indicator.health();
        while (!wanted.test(health)) {
            if (System.nanoTime() > deadline) {
                fail("The health never matched; last: " + health);
            }
            Thread.onSpinWait();
            health = indicator.health();
        }
        return health;
    }
}
