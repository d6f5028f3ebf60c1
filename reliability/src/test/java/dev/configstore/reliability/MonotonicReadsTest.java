package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.testkit.FaultyBackend;
import dev.configstore.testkit.InMemoryBackend;
import dev.configstore.testkit.Pause;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The interleaving behind the {@code NON_MONOTONIC_READ} violations the history checker found on
 * PostgreSQL (see docs/reliability.md), forced with a pause: a load that began before an
 * invalidation reads a value another process committed after a later load had already cached the
 * value before it. Its own install is refused, rightly, but its caller gets the newer value while
 * the cache keeps the older one until the change feed reports the change, so the next read of the
 * same process went back in time. The store now stops loads in flight from installing and drops
 * the older entry when it refuses such an install.
 */
class MonotonicReadsTest {

    @Test
    void aReadNeverReturnsAValueOlderThanOneAnEarlierReadOfTheProcessReturned() throws Exception {
        InMemoryBackend<String, String> database = InMemoryBackend.create();
        FaultyBackend<String, String> backend = FaultyBackend.wrap(database);
        database.write("k", "old");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (CachedKeyValueStore<String, String> store =
                CachedKeyValueStore.builder(backend).build()) {
            Pause slowLoad = backend.pauseNext(FaultyBackend.Call.READ, FaultyBackend.Phase.BEFORE);
            Future<Optional<String>> first = reader.submit(() -> store.get("k"));
            slowLoad.awaitArrival();
            // An invalidation while that load is held: the change feed reporting an earlier change.
            store.invalidate("k");
            // A second load starts after it, reads "old" and caches it.
            assertThat(store.get("k")).contains("old");
            // Another process commits "new"; its notification is still on its way.
            database.write("k", "new");
            slowLoad.release();
            Optional<String> firstRead = first.get(Pause.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            Optional<String> laterRead = CompletableFuture.supplyAsync(() -> store.get("k"), reader)
                    .get(Pause.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(firstRead).contains("new");
            assertThat(laterRead)
                    .as("a read that began after a read returned \"new\"")
                    .contains("new");
        } finally {
            reader.shutdownNow();
        }
    }
}
