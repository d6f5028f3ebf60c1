package dev.configstore.spi;

import dev.configstore.StoreException;
import java.util.function.Function;

/**
 * The durable source of truth behind a {@link dev.configstore.CachedKeyValueStore}.
 *
 * <p>Implementations must be safe for use by many threads at once. They know nothing of caching:
 * the store decides when to read, and invalidates its cache only after a change has been made
 * durable here. See {@link BackendOperations} for the rules on versions and on failures.
 *
 * @param <K> the key type; keys must implement {@code equals} and {@code hashCode}
 * @param <V> the value type; values must be immutable
 */
public interface Backend<K, V> extends BackendOperations<K, V> {

    /**
     * Runs {@code work} in one transaction: either every change it makes through the given
     * operations is committed, or none is. Reads through the given operations see the
     * transaction's own changes. If {@code work} throws, the transaction is rolled back and the
     * exception is rethrown unchanged.
     *
     * <p>Only the operations passed to {@code work} belong to the transaction; they must not be
     * used after {@code work} returns.
     *
     * @param work what to do in the transaction
     * @param <T> what {@code work} returns
     * @return what {@code work} returned, once the transaction has committed
     * @throws StoreException if the transaction could not be started or certainly did not commit
     */
    <T> T inTransaction(Function<? super BackendOperations<K, V>, ? extends T> work);

    /**
     * Starts telling {@code listener} about changes made to this backend's storage by anyone other
     * than the caller's own store: other processes, other tools, other stores on the same storage.
     * A backend that cannot observe such changes keeps the default, which reports nothing; stores
     * over it then see external changes only when their cached entries expire.
     *
     * @param listener called, from any thread, after each external change has been committed
     * @return a handle that stops the notifications
     */
    default ChangeSubscription subscribe(ChangeListener<K> listener) {
        return ChangeSubscription.NONE;
    }
}
