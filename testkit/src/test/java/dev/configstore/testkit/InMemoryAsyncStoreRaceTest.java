package dev.configstore.testkit;

import dev.configstore.CachedKeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;

/** Every race of the suite, with the racing reader reading through {@code getAsync}. */
class InMemoryAsyncStoreRaceTest extends StoreRaceTests<String, String> implements InMemoryFixture {

    @Override
    protected Optional<String> read(CachedKeyValueStore<String, String> store, String key) {
        try {
            return store.getAsync(key, ForkJoinPool.commonPool()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
