package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.spi.ChangeSubscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store offers to measure it, without Micrometer: its caches now and later, the delay of
 * each change made elsewhere, reconnections of its feed, and its pool's metrics tracker.
 */
class StoreMeasuringHooksTest {

    @TempDir
    Path temp;

    private Path folder() throws Exception {
        return Files.createDirectories(temp.resolve("db"));
    }

    private SqliteConfigStore manual() throws Exception {
        return SqliteConfigStore.builder(folder().resolve("bot.db"))
                .manualChangeFeed()
                .build();
    }

    @Test
    void everyCacheIsPassedOnceWhetherBuiltBeforeOrAfterAndCancellingStopsTheCalls() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.keyValueStore("before");
            List<String> seen = new ArrayList<>();
            ChangeSubscription watching = store.watchCaches(cache -> seen.add(cache.name()));
            assertThat(seen).containsExactlyInAnyOrder("guild-config bot.db", "kv before bot.db");

            store.keyValueStore("after");
            store.keyValueStore("after");
            store.keyValueStore("before");
            SettingsSchema schema =
                    SettingsSchema.of(Map.of(), Setting.integer("level").build());
            store.settings(schema);
            store.settings(schema);
            watching.cancel();
            store.keyValueStore("unwatched");

            assertThat(seen)
                    .containsExactlyInAnyOrder(
                            "guild-config bot.db",
                            "kv before bot.db",
                            "kv after bot.db",
                            "settings-global bot.db",
                            "settings bot.db");
            assertThat(store.name()).isEqualTo("bot.db");
        }
    }

    @Test
    void aWatcherThatThrowsOnACacheBuiltLaterLeavesTheCacheWorking() throws Exception {
        try (SqliteConfigStore store = manual()) {
            List<String> seen = new ArrayList<>();
            store.watchCaches(cache -> {
                if (cache.name().startsWith("kv")) {
                    throw new IllegalStateException("broken watcher");
                }
                seen.add(cache.name());
            });
            store.watchCaches(cache -> seen.add("second " + cache.name()));

            CachedKeyValueStore<String, String> prefs = store.keyValueStore("prefs");
            prefs.put("lang", "de");

            assertThat(prefs.get("lang")).contains("de");
            assertThat(seen).contains("second kv prefs bot.db");
        }
    }

    @Test
    void aWatcherThatThrowsOnAnExistingCacheFailsTheCallAndIsNotKept() throws Exception {
        try (SqliteConfigStore store = manual()) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> store.watchCaches(cache -> {
                        seen.add(cache.name());
                        throw new IllegalStateException("broken watcher");
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("broken watcher");
            store.keyValueStore("later");

            assertThat(seen).containsExactly("guild-config bot.db");
        }
    }

    @Test
    void changesMadeElsewhereAreTimedThroughConfigstoreAndByPlainSqlAlike() throws Exception {
        try (SqliteConfigStore writer = manual();
                SqliteConfigStore reader = manual()) {
            List<Duration> delays = new ArrayList<>();
            reader.watchChangeDelays(delays::add);
            writer.keyValueStore("prefs").put("lang", "de");
            reader.pollChangesNow();
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + reader.file());
                    Statement statement = connection.createStatement()) {
                statement.execute("UPDATE configstore_kv SET value = 'fr' WHERE key = 'lang'");
            }
            reader.pollChangesNow();
            writer.pollChangesNow();

            assertThat(delays)
                    .hasSize(2)
                    .allSatisfy(delay -> assertThat(delay.isNegative()).isFalse());
            assertThat(reader.changeFeedStats().externalChangesApplied()).isEqualTo(2);
            assertThat(writer.changeFeedStats().ownChangesSkipped()).isEqualTo(1);
        }
    }

    @Test
    void withTheFeedOffNoDelayIsReported() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.builder(folder().resolve("bot.db"))
                .disableChangeFeed()
                .build()) {
            assertThat(store.watchChangeDelays(delay -> {})).isSameAs(ChangeSubscription.NONE);
        }
    }

    @Test
    void aFeedThatLostItsFileCountsTheErrorAndThenOneReconnection() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.pollChangesNow();
            store.pollChangesNow();
            assertThat(store.changeFeedStats().reconnects()).isZero();

            Path folder = folder();
            Path away = temp.resolve("away");
            Files.move(folder, away);
            try {
                store.pollChangesNow();
            } finally {
                Files.move(away, folder);
            }
            assertThat(store.changeFeedStats().errors()).isEqualTo(1);
            assertThat(store.changeFeedStats().reconnects()).isZero();

            store.keyValueStore("prefs").put("lang", "de");
            store.pollChangesNow();
            store.pollChangesNow();

            assertThat(store.changeFeedStats().reconnects()).isEqualTo(1);
            assertThat(store.changeFeedStats().errors()).isEqualTo(1);
        }
    }

    @Test
    void thePoolTakesOneMetricsTrackerWhileRunning() throws Exception {
        try (SqliteConfigStore store = manual()) {
            store.keyValueStore("prefs").put("lang", "de");
            List<String> pools = new ArrayList<>();
            List<PoolStats> stats = new ArrayList<>();
            MetricsTrackerFactory factory = (poolName, poolStats) -> {
                pools.add(poolName);
                stats.add(poolStats);
                return new IMetricsTracker() {};
            };

            store.trackPoolMetrics(factory);

            assertThat(pools).containsExactly("configstore-sqlite bot.db");
            assertThat(stats.get(0).getMaxConnections()).isPositive();
            assertThatThrownBy(() -> store.trackPoolMetrics(factory))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("connection pool configstore-sqlite bot.db already reports to a metrics tracker, and"
                            + " HikariCP takes one per pool");
            assertThat(pools).hasSize(1);
        }
    }

    @Test
    void aChangesTimeIsTheWritersMillisecondWhenItsVersionSaysSoElseItsSecond() {
        long second = 1_765_000_000L;
        long written = second * 1_000_000L + 123_000L;
        assertThat(SqliteChangeFeed.changedAtMicros(written, second)).isEqualTo(written);
        assertThat(SqliteChangeFeed.changedAtMicros(written - 1_000_000L, second))
                .as("the trigger read the clock in the next second")
                .isEqualTo(written - 1_000_000L);
        assertThat(SqliteChangeFeed.changedAtMicros(0, second)).as("a delete").isEqualTo(second * 1_000_000L);
        assertThat(SqliteChangeFeed.changedAtMicros(7, second))
                .as("another program's version")
                .isEqualTo(second * 1_000_000L);
        assertThat(SqliteChangeFeed.changedAtMicros(written + 5_000_000L, second))
                .as("a clock that went back")
                .isEqualTo(second * 1_000_000L);
    }
}
