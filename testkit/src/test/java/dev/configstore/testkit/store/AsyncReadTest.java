package dev.configstore.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.testkit.FakeTicker;
import dev.configstore.testkit.FaultyBackend;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.InMemoryBackend;
import dev.configstore.testkit.ManualExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** {@code getAsync} and {@code getAllAsync}: hits complete at once, misses read on the executor. */
class AsyncReadTest {

    private final FakeTicker ticker = new FakeTicker();
    private final InMemoryBackend<String, String> backend = InMemoryBackend.create();
    private final FaultyBackend<String, String> faulty = FaultyBackend.wrap(backend);
    private final ManualExecutor executor = new ManualExecutor();
    private final CachedKeyValueStore<String, String> store = CachedKeyValueStore.builder(faulty)
            .name("async")
            .expireAfterWrite(Duration.ofSeconds(60))
            .ticker(ticker)
            .executor(Runnable::run)
            .keyCheck(key -> {
                if (key.isBlank()) {
                    throw new IllegalArgumentException("key must not be blank");
                }
            })
            .build();

    @Test
    void aHitCompletesAtOnceOnTheCallersThreadWithoutTheExecutor() {
        backend.write("guild-1", "channel-1");
        store.get("guild-1");

        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", ManualExecutor.NEVER);

        assertThat(read).isCompletedWithValue(Optional.of("channel-1"));
        assertThat(store.stats().hits()).isEqualTo(1);
        assertThat(faulty.calls(Call.READ)).isEqualTo(1);
    }

    @Test
    void aMissReadsOnTheExecutorAndCachesWhatItRead() {
        backend.write("guild-1", "channel-1");

        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", executor);

        assertThat(read).isNotDone();
        assertThat(faulty.calls(Call.READ)).isZero();
        executor.runAll();
        assertThat(read).isCompletedWithValue(Optional.of("channel-1"));
        assertThat(store.getAsync("guild-1", ManualExecutor.NEVER)).isCompletedWithValue(Optional.of("channel-1"));
        assertThat(faulty.calls(Call.READ)).isEqualTo(1);
        assertThat(store.stats().misses()).isEqualTo(1);
    }

    @Test
    void absenceIsCachedLikeAValue() {
        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", executor);
        executor.runAll();

        assertThat(read).isCompletedWithValue(Optional.empty());
        assertThat(store.getAsync("guild-1", ManualExecutor.NEVER)).isCompletedWithValue(Optional.empty());
    }

    @Test
    void aFailedReadFailsTheFutureAndIsNotCached() {
        backend.write("guild-1", "channel-1");
        faulty.failNext(Call.READ, StoreException.Reason.UNAVAILABLE);

        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", executor);
        executor.runAll();

        assertThatThrownBy(read::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(StoreException.class);
        assertThat(store.get("guild-1")).contains("channel-1");
        assertThat(faulty.calls(Call.READ)).isEqualTo(2);
    }

    @Test
    void aReadTheExecutorRefusesFailsTheFutureAndCachesNothing() {
        backend.write("guild-1", "channel-1");

        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", task -> {
            throw new RejectedExecutionException("pool is shut down");
        });

        assertThatThrownBy(read::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(faulty.calls(Call.READ)).isZero();
        assertThat(store.get("guild-1")).contains("channel-1");
    }

    @Test
    void aKeyTheCheckRefusesIsRefusedAtOnceAndNothingIsRead() {
        assertThatThrownBy(() -> store.getAsync(" ", executor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not be blank");
        assertThat(executor.isIdle()).isTrue();
        assertThatThrownBy(() -> store.getAsync("guild-1", nullExecutor()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("executor must not be null");
    }

    @Test
    void aStoreClosedBeforeTheReadRunsFailsTheFuture() {
        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", executor);
        store.close();
        executor.runAll();

        assertThatThrownBy(read::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the store is closed");
        assertThat(faulty.calls(Call.READ)).isZero();
        assertThatThrownBy(() -> store.getAsync("guild-1", executor)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWriteBetweenTheMissAndItsReadIsSeenByTheRead() {
        backend.write("guild-1", "channel-1");
        CompletableFuture<Optional<String>> read = store.getAsync("guild-1", executor);

        store.put("guild-1", "channel-2");
        executor.runAll();

        assertThat(read).isCompletedWithValue(Optional.of("channel-2"));
    }

    @Test
    void manyKeysCompleteAtOnceWhenAllAreCachedAndOtherwiseReadOnTheExecutor() {
        backend.write("guild-1", "channel-1");
        backend.write("guild-2", "channel-2");
        store.get("guild-1");
        store.get("guild-3");

        assertThat(store.getAllAsync(List.of("guild-1", "guild-3"), ManualExecutor.NEVER))
                .isCompletedWithValue(Map.of("guild-1", "channel-1"));

        CompletableFuture<Map<String, String>> read = store.getAllAsync(List.of("guild-1", "guild-2"), executor);
        assertThat(read).isNotDone();
        executor.runAll();
        assertThat(read).isCompletedWithValue(Map.of("guild-1", "channel-1", "guild-2", "channel-2"));
    }

    @SuppressWarnings("NullAway")
    private static Executor nullExecutor() {
        return null;
    }
}
