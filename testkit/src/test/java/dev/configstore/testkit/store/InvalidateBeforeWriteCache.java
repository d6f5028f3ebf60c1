package dev.configstore.testkit.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.configstore.StoreException;
import dev.configstore.Ticker;
import dev.configstore.spi.Backend;
import dev.configstore.spi.Versioned;
import java.time.Duration;
import java.util.Optional;

/**
 * The cache a bot typically writes by hand, kept here to prove that the tests catch its bugs:
 * it drops the cached entry <em>before</em> writing, and on a read error it caches a fallback
 * (absence) as if it were the stored value.
 */
final class InvalidateBeforeWriteCache<K, V> {

    private final Backend<K, V> backend;
    private final Cache<K, Optional<V>> cache;

    InvalidateBeforeWriteCache(Backend<K, V> backend, Ticker ticker) {
        this.backend = backend;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(60))
                .maximumSize(1_000)
                .ticker(ticker::read)
                .executor(Runnable::run)
                .build();
    }

    Optional<V> get(K key) {
        Optional<V> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<V> loaded;
        try {
            loaded = backend.read(key).map(Versioned::value);
        } catch (StoreException e) {
            loaded = Optional.empty(); // "use the default": cached for the whole TTL
        }
        cache.put(key, loaded);
        return loaded;
    }

    void put(K key, V value) {
        cache.invalidate(key);
        backend.write(key, value);
    }

    void remove(K key) {
        cache.invalidate(key);
        backend.delete(key);
    }
}
