package dev.configstore;

import java.util.Optional;

/**
 * The changes of one backend transaction, handed to the work passed to {@link
 * CachedKeyValueStore#inTransaction}. Reads go to the backend and see the transaction's own
 * writes; nothing is cached and nothing is invalidated until the transaction has committed.
 *
 * <p>A transaction must only be used by the thread running the work, and not after the work
 * returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Transaction<K, V> {

    /**
     * Reads a key inside the transaction, bypassing the cache.
     *
     * @param key the key
     * @return its value in this transaction, or empty
     * @throws StoreException if the backend read failed
     */
    Optional<V> get(K key);

    /**
     * Sets a key's value as part of the transaction.
     *
     * @param key the key
     * @param value the new value
     * @throws StoreException if the backend write failed
     */
    void put(K key, V value);

    /**
     * Removes a key's value as part of the transaction.
     *
     * @param key the key
     * @throws StoreException if the backend write failed
     */
    void remove(K key);
}
