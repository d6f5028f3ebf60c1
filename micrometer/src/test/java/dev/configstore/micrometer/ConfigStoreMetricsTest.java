package dev.configstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ChangeFeedStats;
import dev.configstore.jdbc.CacheClear;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.sqlite.SqliteConfigStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfigStoreMetrics on real SQLite stores: two stores on one file stand for two processes. */
class ConfigStoreMetricsTest {

    private static final String GUILD = "123456789012345678";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Setting<Integer> LEVEL = Setting.integer("level").build();

    @TempDir
    Path temp;

    private Path folder;
    private Path file;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void createFolder() throws Exception {
        folder = Files.createDirectories(temp.resolve("db"));
        file = folder.resolve("bot.db");
    }

    private ConfigStore open() {
        return SqliteConfigStore.builder(file)
                .changeFeedInterval(Duration.ofMillis(20))
                .build();
    }

    private double feedCount(String name, String... tags) {
        return registry.get(name)
                .tags("store", "bot.db")
                .tags(tags)
                .functionCounter()
                .count();
    }

    private Set<String> boundCaches() {
        return registry.find("configstore.gets").tag("result", "miss").functionCounters().stream()
                .map(counter -> counter.getId().getTag("cache"))
                .collect(Collectors.toSet());
    }

    @Test
    void everyCacheIsBoundAlsoThoseBuiltAfterBinding() {
        try (ConfigStore store = open()) {
            store.keyValueStore("before");
            new ConfigStoreMetrics(store).bindTo(registry);

            assertThat(boundCaches()).containsExactlyInAnyOrder("guild-config bot.db", "kv before bot.db");

            store.keyValueStore("after").get("missing");
            store.keyValueStore("after").get("missing");
            store.settings(SettingsSchema.of(Map.of(), LEVEL)).get(LEVEL, GUILD);
            store.loggingStore().getLoggingChannelId(GUILD);

            assertThat(boundCaches())
                    .containsExactlyInAnyOrder(
                            "guild-config bot.db",
                            "kv before bot.db",
                            "kv after bot.db",
                            "settings-global bot.db",
                            "settings bot.db");
            FunctionCounter afterMisses = registry.get("configstore.gets")
                    .tags("store", "bot.db", "cache", "kv after bot.db", "result", "miss")
                    .functionCounter();
            FunctionCounter afterHits = registry.get("configstore.gets")
                    .tags("store", "bot.db", "cache", "kv after bot.db", "result", "hit")
                    .functionCounter();
            assertThat(afterMisses.count()).isEqualTo(1);
            assertThat(afterHits.count()).isEqualTo(1);
            assertThat(registry.get("configstore.gets")
                            .tags("cache", "guild-config bot.db", "result", "miss")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            // Every meter carries the store's name.
            assertThat(registry.getMeters())
                    .filteredOn(meter -> meter.getId().getName().startsWith("configstore."))
                    .allSatisfy(
                            meter -> assertThat(meter.getId().getTag("store")).isEqualTo("bot.db"));
        }
    }

    @Test
    void cachesOfTheSameNameAreToldApart() {
        try (ConfigStore store = open()) {
            new ConfigStoreMetrics(store).bindTo(registry);
            store.settings(SettingsSchema.of(Map.of(), LEVEL));
            store.settings(SettingsSchema.of(Map.of(), Setting.text("tag").build()));

            assertThat(boundCaches())
                    .contains(
                            "settings bot.db",
                            "settings bot.db #2",
                            "settings-global bot.db",
                            "settings-global bot.db #2");
        }
    }

    @Test
    void aCacheClearIsCountedByTheStoreThatAsksAndByTheOthers() {
        try (ConfigStore asker = open();
                ConfigStore other = open()) {
            new ConfigStoreMetrics(other).bindTo(registry);
            SimpleMeterRegistry askerRegistry = new SimpleMeterRegistry();
            new ConfigStoreMetrics(asker).bindTo(askerRegistry);

            asker.clearCaches(CacheClear.all(), "an operator");

            assertThat(askerRegistry
                            .get("configstore.changefeed.cache.clears")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            awaitCondition(
                    "the other store to apply the clear", () -> feedCount("configstore.changefeed.cache.clears") == 1);
        }
    }

    @Test
    void theFeedCountsAndTimesChangesMadeByAnotherStoreOnTheFile() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            new ConfigStoreMetrics(reader, Tags.of("app", "bot")).bindTo(registry);
            SimpleMeterRegistry writerRegistry = new SimpleMeterRegistry();
            new ConfigStoreMetrics(writer).bindTo(writerRegistry);
            // Called after the binder's timer, which registered first.
            CountDownLatch applied = new CountDownLatch(2);
            reader.watchChangeDelays(delay -> applied.countDown());

            writer.keyValueStore("prefs").put("lang", "de");
            writer.loggingStore().setLoggingChannelId(GUILD, "987654321098765432");

            assertThat(applied.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(feedCount("configstore.changefeed.entries")).isEqualTo(2);
            assertThat(feedCount("configstore.changefeed.changes", "origin", "external"))
                    .isEqualTo(2);
            assertThat(feedCount("configstore.changefeed.changes", "origin", "own"))
                    .isZero();
            assertThat(feedCount("configstore.changefeed.gaps")).isZero();
            assertThat(feedCount("configstore.changefeed.errors")).isZero();
            Timer delay = registry.get("configstore.changefeed.delay")
                    .tags("store", "bot.db", "app", "bot")
                    .timer();
            assertThat(delay.count()).isEqualTo(2);
            assertThat(delay.max(TimeUnit.NANOSECONDS)).isPositive();
            // The writer's own feed reads the same two entries. It skips an entry as its own once
            // the write has returned; an entry it reads in the moment between the commit and the
            // return is applied as a change from elsewhere (one extra invalidation, never a
            // skipped foreign change), so the split between the two origins depends on timing.
            awaitCondition(
                    "the writer's feed to read both entries",
                    () -> writerRegistry
                                    .get("configstore.changefeed.entries")
                                    .functionCounter()
                                    .count()
                            == 2);
            ChangeFeedStats writerFeed = writer.changeFeedStats();
            double own = writerRegistry
                    .get("configstore.changefeed.changes")
                    .tags("origin", "own")
                    .functionCounter()
                    .count();
            double external = writerRegistry
                    .get("configstore.changefeed.changes")
                    .tags("origin", "external")
                    .functionCounter()
                    .count();
            assertThat(own).isEqualTo((double) writerFeed.ownChangesSkipped());
            assertThat(external).isEqualTo((double) writerFeed.externalChangesApplied());
            assertThat(own + external).isEqualTo(2);
            assertThat(writerRegistry
                            .get("configstore.changefeed.delay")
                            .timer()
                            .count())
                    .isEqualTo((long) external);
        }
    }

    @Test
    void aFailingFeedIsCountedAsErrorsAndItsReconnectionAsAReconnect() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            new ConfigStoreMetrics(reader).bindTo(registry);
            // Moving the folder away makes every read of the feed fail: the file is gone.
            Path away = temp.resolve("away");
            Files.move(folder, away);
            try {
                awaitCondition("a failed read", () -> feedCount("configstore.changefeed.errors") >= 1);
            } finally {
                Files.move(away, folder);
            }
            CountDownLatch applied = new CountDownLatch(1);
            reader.watchChangeDelays(delay -> applied.countDown());
            writer.keyValueStore("prefs").put("lang", "fr");

            assertThat(applied.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(feedCount("configstore.changefeed.errors")).isGreaterThanOrEqualTo(1);
            // Every failed read closes the feed's connection, so the feed opens another: counted
            // when it does, which need not be before the change above was applied.
            awaitCondition("a reconnection", () -> feedCount("configstore.changefeed.reconnects") >= 1);
            // No gap is required: the file came back whole, and the feed's sequence shows that it
            // missed nothing (whether the feed noticed the file gone first depends on timing).
            assertThat(feedCount("configstore.changefeed.gaps"))
                    .isEqualTo((double) reader.changeFeedStats().gaps());
            assertThat(feedCount("configstore.changefeed.errors"))
                    .isEqualTo((double) reader.changeFeedStats().errors());
            assertThat(registry.get("configstore.changefeed.delay").timer().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void thePoolReportsThroughHikariCpsOwnMeters() {
        try (ConfigStore store = open()) {
            new ConfigStoreMetrics(store).bindTo(registry);
            store.keyValueStore("prefs").get("lang");

            String pool = "configstore-sqlite bot.db";
            assertThat(registry.get("hikaricp.connections").tag("pool", pool).gauge())
                    .isNotNull();
            assertThat(registry.get("hikaricp.connections.pending")
                            .tag("pool", pool)
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("hikaricp.connections.max")
                            .tag("pool", pool)
                            .gauge()
                            .value())
                    .isPositive();
            assertThat(registry.get("hikaricp.connections.acquire")
                            .tag("pool", pool)
                            .timer()
                            .count())
                    .isPositive();
        }
    }

    @Test
    void aStoreBoundTwiceIsRefusedAndTheSecondRegistryGetsNothing() {
        try (ConfigStore store = open()) {
            new ConfigStoreMetrics(store).bindTo(registry);
            SimpleMeterRegistry second = new SimpleMeterRegistry();

            assertThatThrownBy(() -> new ConfigStoreMetrics(store).bindTo(second))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("configstore-sqlite bot.db")
                    .hasMessageContaining("one per pool");
            assertThat(second.getMeters()).isEmpty();
        }
    }

    @Test
    void withTheFeedOffItsCountersStayAtZero() {
        try (ConfigStore store =
                SqliteConfigStore.builder(file).disableChangeFeed().build()) {
            new ConfigStoreMetrics(store).bindTo(registry);
            store.keyValueStore("prefs").put("lang", "de");

            assertThat(registry.find("configstore.changefeed.entries").functionCounters())
                    .singleElement()
                    .satisfies(counter -> assertThat(counter.count()).isZero());
            assertThat(registry.get("configstore.changefeed.delay").timer().count())
                    .isZero();
            assertThat(registry.getMeters())
                    .map(Meter::getId)
                    .anySatisfy(id -> assertThat(id.getName()).isEqualTo("configstore.writes"));
        }
    }

    @Test
    @SuppressWarnings("NullAway")
    void aNullStoreIsRefused() {
        assertThatThrownBy(() -> new ConfigStoreMetrics(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store must not be null");
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
