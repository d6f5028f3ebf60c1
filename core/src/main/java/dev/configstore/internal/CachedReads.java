package dev.configstore.internal;

import dev.configstore.CachedKeyValueStore;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a store has cached without reading its backend: what configstore's own asynchronous
 * reads (of declared settings and the guild facades) use to answer a hit at once, on the caller's
 * thread, with nothing allocated. Not API: the store installs its reader here when its class is
 * initialised.
 */
public final class CachedReads {

    /** Reads a store's cache; implemented by the store itself. */
    public interface Reader {
        /**
         * Returns the value the store has cached for a key and may serve, counted as a hit, or null
         * if it has none (counted as nothing: the caller reads through the store next).
         *
         * @param store the store
         * @param key the key
         * @param <K> the key type
         * @param <V> the value type
         * @return the cached value (empty: cached absence), or null if not cached
         */
        @SuppressWarnings("NullableOptional") // null: not cached; empty: cached absence
        <K, V> @Nullable Optional<V> cached(CachedKeyValueStore<K, V> store, K key);
    }

    private static volatile @Nullable Reader reader;

    private CachedReads() {}

    /**
     * Installs the store's reader; called once, by the store's class initialisation.
     *
     * @param installed the reader
     * @throws IllegalStateException if a reader is installed already
     */
    public static synchronized void install(Reader installed) {
        if (reader != null) {
            throw new IllegalStateException("the store's cache reader is installed already");
        }
        reader = installed;
    }

    /**
     * Returns the value a store has cached for a key, or null if it has none.
     *
     * @param store the store; its class is initialised, so its reader is installed
     * @param key the key
     * @param <K> the key type
     * @param <V> the value type
     * @return the cached value, or null if not cached
     */
    @SuppressWarnings("NullableOptional") // null: not cached; empty: cached absence
    public static <K, V> @Nullable Optional<V> cached(CachedKeyValueStore<K, V> store, K key) {
        Reader installed = reader;
        if (installed == null) {
            throw new IllegalStateException("the store's cache reader is not installed");
        }
        return installed.cached(store, key);
    }
}
