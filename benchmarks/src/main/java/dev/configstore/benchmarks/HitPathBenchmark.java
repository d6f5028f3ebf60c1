package dev.configstore.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.testkit.InMemoryBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A read of a warm cache: 1,000 keys, all cached, read in a Zipf-distributed order. The store's
 * {@code get} against raw Caffeine with the same expiry and size, and a plain {@link
 * ConcurrentHashMap} as the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HitPathBenchmark {

    static final int KEYS = 1_000;

    private final String[] keys = new String[KEYS];
    private final ZipfKeys zipf = new ZipfKeys(KEYS, 42);
    private CachedKeyValueStore<String, String> store;
    private Cache<String, String> caffeine;
    private Cache<String, String> caffeineWithStats;
    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();

    /** Fills every cache with the same 1,000 entries. */
    @Setup
    public void fill() {
        InMemoryBackend<String, String> backend = InMemoryBackend.create();
        store = CachedKeyValueStore.builder(backend)
                .expireAfterWrite(Duration.ofHours(1))
                .maximumSize(10_000)
                .build();
        caffeine = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofHours(1))
                .maximumSize(10_000)
                .build();
        caffeineWithStats = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofHours(1))
                .maximumSize(10_000)
                .recordStats()
                .build();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = Long.toString(100_000_000_000_000_000L + i);
            String value = Long.toString(900_000_000_000_000_000L + i);
            backend.write(keys[i], value);
            caffeine.put(keys[i], value);
            caffeineWithStats.put(keys[i], value);
            map.put(keys[i], value);
            store.get(keys[i]);
        }
    }

    private String next(KeyCursor cursor) {
        return keys[zipf.at(cursor.position++)];
    }

    /** The store's cache hit. */
    @Benchmark
    public Optional<String> store(KeyCursor cursor) {
        return store.get(next(cursor));
    }

    /**
     * The store's asynchronous read on a hit: a future completed on the caller's thread, beside
     * {@link #store}'s blocking read. The executor is never used on a hit.
     */
    @Benchmark
    public CompletableFuture<Optional<String>> storeAsync(KeyCursor cursor) {
        return store.getAsync(next(cursor), ForkJoinPool.commonPool());
    }

    /** Raw Caffeine with the same expiry and size settings. */
    @Benchmark
    public @Nullable String caffeine(KeyCursor cursor) {
        return caffeine.getIfPresent(next(cursor));
    }

    /**
     * Raw Caffeine that also counts hits and misses, as the store does: the baseline with the same
     * features.
     */
    @Benchmark
    public @Nullable String caffeineWithStats(KeyCursor cursor) {
        return caffeineWithStats.getIfPresent(next(cursor));
    }

    /** A plain map: no expiry, no bound, no statistics. */
    @Benchmark
    public @Nullable String concurrentHashMap(KeyCursor cursor) {
        return map.get(next(cursor));
    }
}
