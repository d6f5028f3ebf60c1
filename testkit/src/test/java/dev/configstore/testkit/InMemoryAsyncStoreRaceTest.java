package dev.configstore.testkit;

import dev.configstore.CachedKeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Every race of the suite, with the racing reader reading through {@code getAsync}. */
class InMemoryAsyncStoreRaceTest extends StoreRaceTests<String, String> implements InMemoryFixture {

    /**
     * The misses' reads run here, a pool of this test's own that is stopped after each test, so
     * that no thread of it outlives the test (the linearizability checker, which may run next in
     * this JVM, watches every thread).
     */
    private final ExecutorService loads = Executors.newCachedThreadPool();

    @AfterEach
    void stopLoads() throws InterruptedException {
        loads.shutdownNow();
        if (!loads.awaitTermination(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("a read of the async race test did not end within " + Pause.TIMEOUT);
        }
    }

    @Override
    protected Optional<String> read(CachedKeyValueStore<String, String> store, String key) {
        try {
            return store.getAsync(key, loads).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
