package dev.configstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.testkit.FakeTicker;
import dev.configstore.testkit.FaultyBackend;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.FaultyBackend.Phase;
import dev.configstore.testkit.InMemoryBackend;
import dev.configstore.testkit.Pause;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {

    private final InMemoryBackend<String, String> backend = InMemoryBackend.create();
    private final FaultyBackend<String, String> faulty = FaultyBackend.wrap(backend);
    private final CachedKeyValueStore<String, String> store = CachedKeyValueStore.builder(faulty)
            .name("guilds")
            .executor(Runnable::run)
            .build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        return registry.get(name)
                .tags("store", "guilds")
                .tags(tags)
                .functionCounter()
                .count();
    }

    @Test
    void everyCounterFollowsTheStoresStatistics() {
        new StoreMetrics(store).bindTo(registry);

        store.put("a", "1");
        store.get("a");
        store.get("a");
        faulty.failNext(Call.WRITE, StoreException.Reason.BUSY);
        assertThatThrownBy(() -> store.put("a", "2")).isInstanceOf(StoreException.class);
        faulty.failNext(Call.READ, StoreException.Reason.BUSY);
        assertThatThrownBy(() -> store.get("b")).isInstanceOf(StoreException.class);
        backend.writeExternally("a", "3");
        backend.reportAllChanged();

        assertThat(count("configstore.gets", "result", "hit")).isEqualTo(1);
        assertThat(count("configstore.gets", "result", "miss")).isEqualTo(2);
        assertThat(count("configstore.loads", "result", "success")).isEqualTo(1);
        assertThat(count("configstore.loads", "result", "failure")).isEqualTo(1);
        assertThat(count("configstore.writes", "result", "success")).isEqualTo(1);
        assertThat(count("configstore.writes", "result", "failure")).isEqualTo(1);
        assertThat(count("configstore.invalidations")).isEqualTo(2);
        assertThat(count("configstore.external.changes")).isEqualTo(1);
        assertThat(count("configstore.feed.gaps")).isEqualTo(1);
        assertThat(count("configstore.stale.serves")).isZero();
        assertThat(count("configstore.stale.installs.refused")).isZero();
        assertThat(registry.get("configstore.hit.ratio").gauge().value()).isEqualTo(1.0 / 3);
    }

    @Test
    void theStaleCountersFollowARefusedInstallAndAStaleServe() throws Exception {
        FakeTicker ticker = new FakeTicker();
        CachedKeyValueStore<String, String> staleTolerant = CachedKeyValueStore.builder(faulty)
                .name("guilds")
                .executor(Runnable::run)
                .ticker(ticker)
                .expireAfterWrite(Duration.ofSeconds(60))
                .serveStaleOnError(Duration.ofMinutes(5))
                .build();
        new StoreMetrics(staleTolerant).bindTo(registry);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            // A read that fetched "1" while a write of "2" committed: its value is refused.
            backend.write("a", "1");
            Pause readerHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);
            Future<Optional<String>> read = reader.submit(() -> staleTolerant.get("a"));
            readerHoldsOldValue.awaitArrival();
            staleTolerant.put("a", "2");
            readerHoldsOldValue.release();
            assertThat(read.get(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .contains("1");
        } finally {
            reader.shutdownNow();
        }
        // "2" is cached, expires, and the next read fails: the expired "2" is served.
        assertThat(staleTolerant.get("a")).contains("2");
        ticker.advance(Duration.ofSeconds(61));
        faulty.failNext(Call.READ, StoreException.Reason.UNAVAILABLE);
        assertThat(staleTolerant.get("a")).contains("2");

        assertThat(count("configstore.stale.installs.refused")).isEqualTo(1);
        assertThat(count("configstore.stale.serves")).isEqualTo(1);
        assertThat(count("configstore.loads", "result", "failure")).isEqualTo(1);
    }

    @Test
    void extraTagsAreAddedToEveryMeter() {
        new StoreMetrics(store, Tags.of("app", "bot")).bindTo(registry);

        assertThat(registry.getMeters())
                .hasSize(12)
                .allSatisfy(meter -> assertThat(meter.getId().getTag("app")).isEqualTo("bot"))
                .allSatisfy(meter -> assertThat(meter.getId().getTag("store")).isEqualTo("guilds"))
                .allSatisfy(meter -> assertThat(meter.getId().getTag("cache")).isEqualTo("guilds"));
    }

    @Test
    @SuppressWarnings("NullAway")
    void aNullStoreIsRefused() {
        assertThatThrownBy(() -> new StoreMetrics(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store must not be null");
    }
}
