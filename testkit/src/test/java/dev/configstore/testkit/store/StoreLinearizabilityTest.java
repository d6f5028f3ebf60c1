package dev.configstore.testkit.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.WritePolicy;
import dev.configstore.testkit.InMemoryBackend;
import java.lang.reflect.Method;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model-checks the store over {@link InMemoryBackend}: it explores thread interleavings
 * of concurrent operations and fails unless every outcome matches some sequential execution of a
 * plain map. The same check run on {@link InvalidateBeforeWriteCache} must fail, which shows
 * that it finds this kind of bug.
 */
class StoreLinearizabilityTest {

    /**
     * Random scenarios, plus the scenario of the original bug: one thread writes a key and reads
     * it back while another reads it.
     */
    private static ModelCheckingOptions options(Class<?> operations, int iterations) {
        return new ModelCheckingOptions()
                .iterations(iterations)
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 200))
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .minimizeFailedScenario(Boolean.getBoolean("lincheck.minimize"))
                .addCustomScenario(writeWhileReading(operations))
                .sequentialSpecification(SequentialMap.class);
    }

    private static int iterations() {
        return Integer.getInteger("lincheck.iterations", 5);
    }

    @Test
    void theStoreIsLinearizableUnderInvalidate() {
        LinChecker.check(InvalidatingStoreOperations.class, options(InvalidatingStoreOperations.class, iterations()));
    }

    @Test
    void theStoreIsLinearizableUnderWriteThrough() {
        LinChecker.check(WriteThroughStoreOperations.class, options(WriteThroughStoreOperations.class, iterations()));
    }

    @Test
    void theSameCheckFindsTheInvalidateBeforeWriteBug() {
        assertThatThrownBy(() -> LinChecker.check(BrokenCacheOperations.class, options(BrokenCacheOperations.class, 0)))
                .isInstanceOf(LincheckAssertionError.class);
    }

    /** Before: put(1, 1). Thread 1: put(1, 2), get(1). Thread 2: get(1). */
    private static ExecutionScenario writeWhileReading(Class<?> operations) {
        try {
            Method put = operations.getMethod("put", int.class, int.class);
            Method get = operations.getMethod("get", int.class);
            return new ExecutionScenario(
                    List.of(actor(put, 1, 1)),
                    List.of(List.of(actor(put, 1, 2), actor(get, 1)), List.of(actor(get, 1))),
                    List.of(),
                    null);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Actor actor(Method method, Object... arguments) {
        return new Actor(method, List.of(arguments), false, false, false, false, false);
    }

    /** What every implementation must be equivalent to: a map, with invalidation doing nothing. */
    public static class SequentialMap {
        private final java.util.Map<Integer, Integer> map = new java.util.HashMap<>();

        public @Nullable Integer get(int key) {
            return map.get(key);
        }

        public void put(int key, int value) {
            map.put(key, value);
        }

        public void remove(int key) {
            map.remove(key);
        }

        public void invalidate(int key) {}

        public void invalidateAll() {}
    }

    @Param(name = "key", gen = IntGen.class, conf = "1:2")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    abstract static class StoreOperations {
        private final CachedKeyValueStore<Integer, Integer> store;

        StoreOperations(WritePolicy policy) {
            store = CachedKeyValueStore.builder(InMemoryBackend.<Integer, Integer>create())
                    .writePolicy(policy)
                    .ticker(() -> 0L)
                    .executor(Runnable::run)
                    .build();
        }

        @Operation
        public @Nullable Integer get(@Param(name = "key") int key) {
            return store.get(key).orElse(null);
        }

        @Operation
        public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
            store.put(key, value);
        }

        @Operation
        public void remove(@Param(name = "key") int key) {
            store.remove(key);
        }

        @Operation
        public void invalidate(@Param(name = "key") int key) {
            store.invalidate(key);
        }

        @Operation
        public void invalidateAll() {
            store.invalidateAll();
        }
    }

    public static class InvalidatingStoreOperations extends StoreOperations {
        public InvalidatingStoreOperations() {
            super(WritePolicy.INVALIDATE);
        }
    }

    public static class WriteThroughStoreOperations extends StoreOperations {
        public WriteThroughStoreOperations() {
            super(WritePolicy.WRITE_THROUGH);
        }
    }

    @Param(name = "key", gen = IntGen.class, conf = "1:1")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class BrokenCacheOperations {
        private final InvalidateBeforeWriteCache<Integer, Integer> cache =
                new InvalidateBeforeWriteCache<>(InMemoryBackend.create(), () -> 0L);

        @Operation
        public @Nullable Integer get(@Param(name = "key") int key) {
            return cache.get(key).orElse(null);
        }

        @Operation
        public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
            cache.put(key, value);
        }

        @Operation
        public void remove(@Param(name = "key") int key) {
            cache.remove(key);
        }
    }
}
