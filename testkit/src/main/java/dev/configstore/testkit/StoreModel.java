package dev.configstore.testkit;

import dev.configstore.StoreException;
import dev.configstore.WritePolicy;
import dev.configstore.testkit.FaultyBackend.Call;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * The reference the property tests hold the store to: what the backend holds, what the cache
 * holds and since when, which faults are scripted, and what the statistics must read. Keys and
 * values are the fixture's indexes.
 */
final class StoreModel {

    /** What the model expects a cached entry to be. */
    record Entry(Optional<Integer> value, long cachedAtSeconds) {}

    /** A scripted fault: either a failure with a reason, or a change applied and then failed. */
    record Fault(StoreException.@Nullable Reason reason) {
        boolean appliesChange() {
            return reason == null;
        }
    }

    final Map<Integer, Integer> backend = new HashMap<>();
    final Map<Integer, Entry> cache = new HashMap<>();
    final Map<Call, Queue<Fault>> faults = new EnumMap<>(Call.class);
    final WritePolicy policy;
    final long ttlSeconds;
    final long staleSeconds;
    long nowSeconds;

    long hits;
    long misses;
    long loads;
    long loadFailures;
    long writes;
    long writeFailures;
    long staleServes;

    StoreModel(WritePolicy policy, long ttlSeconds, long staleSeconds) {
        this.policy = policy;
        this.ttlSeconds = ttlSeconds;
        this.staleSeconds = staleSeconds;
        for (Call call : Call.values()) {
            faults.put(call, new ArrayDeque<>());
        }
    }

    /** The entry the cache still holds for {@code key}, dropping it if it has run out. */
    @Nullable
    Entry retained(int key) {
        Entry entry = cache.get(key);
        if (entry != null && nowSeconds - entry.cachedAtSeconds() >= ttlSeconds + staleSeconds) {
            cache.remove(key);
            return null;
        }
        return entry;
    }

    boolean fresh(Entry entry) {
        return nowSeconds - entry.cachedAtSeconds() < ttlSeconds;
    }

    Queue<Fault> faults(Call call) {
        return Objects.requireNonNull(faults.get(call));
    }

    @Nullable
    Fault nextFault(Call call) {
        return faults(call).poll();
    }

    void afterWrite(int key, Optional<Integer> value) {
        if (policy == WritePolicy.WRITE_THROUGH) {
            cache.put(key, new Entry(value, nowSeconds));
        } else {
            cache.remove(key);
        }
    }

    void setBackend(int key, Optional<Integer> value) {
        if (value.isPresent()) {
            backend.put(key, value.get());
        } else {
            backend.remove(key);
        }
    }
}
