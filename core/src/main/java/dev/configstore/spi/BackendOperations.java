package dev.configstore.spi;

import dev.configstore.StoreException;
import java.util.Optional;

/**
 * Reading and changing one key at a time: what a {@link Backend} offers both on its own and inside
 * a transaction.
 *
 * <p><b>Versions.</b> Every successful {@link #write} and {@link #delete} returns a version, and
 * {@link #read} returns the version of the change that wrote the value it finds. For any one key,
 * versions strictly increase in commit order, across writes and deletes alike, and across every
 * process that writes the same storage. A backend may use one counter for all keys. Version
 * {@code 0} is never returned.
 *
 * <p><b>Failures.</b> A backend throws {@link StoreException} when, and only when, the operation
 * certainly did not take effect (nothing was written). If it cannot tell whether a change was
 * applied (for example, the connection broke while committing), it throws any other {@link
 * RuntimeException}; the store then treats the key as changed and drops its cached value. A key
 * or value the backend cannot store exactly is refused with {@link IllegalArgumentException}
 * (naming the argument and the rule) before anything is read or written; the store passes it to
 * its caller unchanged and leaves its cache as it was.
 *
 * @param <K> the key type; keys must implement {@code equals} and {@code hashCode}
 * @param <V> the value type; values must be immutable
 */
public interface BackendOperations<K, V> {

    /**
     * Reads the current value of a key.
     *
     * @param key the key
     * @return the value and its version, or empty if the key has no value
     * @throws StoreException if the value could not be read
     * @throws IllegalArgumentException if the backend cannot store such a key; nothing was read
     */
    Optional<Versioned<V>> read(K key);

    /**
     * Durably sets the value of a key: when this returns (outside a transaction), the change has
     * been committed.
     *
     * @param key the key
     * @param value the new value
     * @return the version of this change, larger than any earlier version of the key
     * @throws StoreException if the change certainly did not take effect
     * @throws IllegalArgumentException if the backend cannot store such a key or value; nothing
     *     was written
     */
    long write(K key, V value);

    /**
     * Durably removes the value of a key, if it has one.
     *
     * @param key the key
     * @return the version of this change, larger than any earlier version of the key
     * @throws StoreException if the change certainly did not take effect
     * @throws IllegalArgumentException if the backend cannot store such a key; nothing was
     *     written
     */
    long delete(K key);
}
