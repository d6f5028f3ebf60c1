package dev.configstore;

import dev.configstore.spi.Versioned;
import java.util.Optional;

/**
 * What the cache holds for a key: the value (or its absence) as the backend last reported it,
 * the version of the change that wrote it, and when it was cached. Immutable; the {@code
 * Optional} is built once so that a cache hit allocates nothing.
 */
final class CacheEntry<V> {

    /** Version of an entry whose version the backend did not report (an absent key). */
    static final long UNKNOWN_VERSION = 0;

    final Optional<V> value;
    final long version;
    final long cachedAtNanos;

    private CacheEntry(Optional<V> value, long version, long cachedAtNanos) {
        this.value = value;
        this.version = version;
        this.cachedAtNanos = cachedAtNanos;
    }

    static <V> CacheEntry<V> read(Optional<Versioned<V>> read, long nowNanos) {
        return read.map(found -> new CacheEntry<>(Optional.of(found.value()), found.version(), nowNanos))
                .orElseGet(() -> new CacheEntry<>(Optional.empty(), UNKNOWN_VERSION, nowNanos));
    }

    static <V> CacheEntry<V> written(Optional<V> value, long version, long nowNanos) {
        return new CacheEntry<>(value, version, nowNanos);
    }

    long ageNanos(long nowNanos) {
        return nowNanos - cachedAtNanos;
    }

    @Override
    public String toString() {
        return "CacheEntry[value=" + value + ", version=" + version + "]";
    }
}
