package dev.configstore.testkit.store;

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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two ways the original hand-written bot cache served stale settings, replayed against it
 * ({@link InvalidateBeforeWriteCache}) and against the store. Each scenario must show the stale
 * value with the hand-written cache, so that the same scenario passing with the store means
 * something.
 */
class OriginalBugRegressionTest {

    private static final Duration TTL = Duration.ofSeconds(60);

    private final ExecutorService threads = Executors.newSingleThreadExecutor();
    private final FakeTicker ticker = new FakeTicker();
    private final InMemoryBackend<String, String> backend = InMemoryBackend.create();
    private final FaultyBackend<String, String> faulty = FaultyBackend.wrap(backend);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private CachedKeyValueStore<String, String> store() {
        return CachedKeyValueStore.builder(faulty)
                .expireAfterWrite(TTL)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** Invalidate, [a read re-caches the old value], write: the old value stays for the TTL. */
    private void racingReadDuringWrite(Runnable put, Runnable concurrentGet) throws Exception {
        Pause writeHeld = faulty.pauseNext(Call.WRITE, Phase.BEFORE);
        Future<?> writer = threads.submit(put);
        writeHeld.awaitArrival();
        concurrentGet.run();
        writeHeld.release();
        writer.get(Pause.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void withTheHandWrittenCacheARacingReadLeavesTheOldValueCachedAfterTheWrite() throws Exception {
        backend.write("guild-1", "old-channel");
        InvalidateBeforeWriteCache<String, String> cache = new InvalidateBeforeWriteCache<>(faulty, ticker);

        racingReadDuringWrite(() -> cache.put("guild-1", "new-channel"), () -> cache.get("guild-1"));

        assertThat(backend.valueOf("guild-1")).contains("new-channel");
        assertThat(cache.get("guild-1")).as("stale").contains("old-channel");
        ticker.advance(TTL.minusSeconds(1));
        assertThat(cache.get("guild-1")).as("still stale just before the TTL").contains("old-channel");
    }

    @Test
    void withTheStoreARacingReadNeverLeavesTheOldValueCached() throws Exception {
        backend.write("guild-1", "old-channel");
        CachedKeyValueStore<String, String> store = store();

        racingReadDuringWrite(() -> store.put("guild-1", "new-channel"), () -> store.get("guild-1"));

        assertThat(store.get("guild-1")).contains("new-channel");
    }

    /**
     * The database is busy: the write fails, and so does the read that follows it. The hand-written
     * cache had already dropped its entry and now caches the fallback; once the database is back it
     * keeps answering "no channel" for the whole TTL although the old channel is still stored.
     */
    @Test
    void withTheHandWrittenCacheAFailedWriteLeavesAWrongValueCachedForTheTtl() {
        backend.write("guild-1", "old-channel");
        InvalidateBeforeWriteCache<String, String> cache = new InvalidateBeforeWriteCache<>(faulty, ticker);
        assertThat(cache.get("guild-1")).contains("old-channel");
        faulty.failAlways(Call.WRITE, StoreException.Reason.BUSY).failAlways(Call.READ, StoreException.Reason.BUSY);

        assertThatThrownBy(() -> cache.put("guild-1", "new-channel")).isInstanceOf(StoreException.class);
        cache.get("guild-1");
        faulty.heal();

        assertThat(backend.valueOf("guild-1")).contains("old-channel");
        ticker.advance(TTL.minusSeconds(1));
        assertThat(cache.get("guild-1")).as("wrong for the whole TTL").isEqualTo(Optional.empty());
    }

    @Test
    void withTheStoreAFailedWriteKeepsServingTheStoredValueAndAFailedReadIsNotCached() {
        backend.write("guild-1", "old-channel");
        CachedKeyValueStore<String, String> store = store();
        assertThat(store.get("guild-1")).contains("old-channel");
        faulty.failAlways(Call.WRITE, StoreException.Reason.BUSY).failAlways(Call.READ, StoreException.Reason.BUSY);

        assertThatThrownBy(() -> store.put("guild-1", "new-channel")).isInstanceOf(StoreException.class);
        assertThat(store.get("guild-1"))
                .as("still cached: the write changed nothing")
                .contains("old-channel");
        store.invalidate("guild-1");
        assertThatThrownBy(() -> store.get("guild-1")).isInstanceOf(StoreException.class);
        faulty.heal();

        assertThat(store.get("guild-1")).as("the failed read was not cached").contains("old-channel");
    }
}
