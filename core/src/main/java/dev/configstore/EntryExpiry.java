package dev.configstore;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Keeps each entry for a fixed time after it was cached, measured from the entry's own
 * timestamp. Caffeine's {@code expireAfterWrite} would restart the clock whenever a compute
 * returns the existing entry unchanged (which the store does when it refuses a stale install),
 * and so could keep an entry past its time-to-live.
 */
final class EntryExpiry<K, V> implements Expiry<K, CacheEntry<V>> {

    private final long retentionNanos;

    EntryExpiry(long retentionNanos) {
        this.retentionNanos = retentionNanos;
    }

    @Override
    public long expireAfterCreate(K key, CacheEntry<V> entry, long currentTime) {
        return remaining(entry, currentTime);
    }

    @Override
    public long expireAfterUpdate(K key, CacheEntry<V> entry, long currentTime, long currentDuration) {
        return remaining(entry, currentTime);
    }

    @Override
    public long expireAfterRead(K key, CacheEntry<V> entry, long currentTime, long currentDuration) {
        return currentDuration;
    }

    private long remaining(CacheEntry<V> entry, long currentTime) {
        return Math.max(0, retentionNanos - entry.ageNanos(currentTime));
    }
}
