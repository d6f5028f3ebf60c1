package dev.configstore.testkit;

import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe, versioned, transactional backend that keeps everything in memory: the reference
 * backend for tests. One counter versions every change, so versions increase per key across
 * writes and deletes.
 *
 * <p>Transactions hold the backend's lock while their work runs, so they are serializable and
 * other calls wait for them. Changes made through {@link #writeExternally} and {@link
 * #deleteExternally} stand for another process writing the same storage: they are reported to
 * subscribed stores, unless the backend was created {@link #withoutChangeFeed() without a change
 * feed}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InMemoryBackend<K, V> implements Backend<K, V> {

    private final Object lock = new Object();
    private final Map<K, Versioned<V>> data = new HashMap<>();
    private final boolean reportsExternalChanges;
    private final CopyOnWriteArrayList<ChangeListener<K>> listeners = new CopyOnWriteArrayList<>();
    private long lastVersion;

    private InMemoryBackend(boolean reportsExternalChanges) {
        this.reportsExternalChanges = reportsExternalChanges;
    }

    /**
     * Creates an empty backend that reports external changes to subscribed stores.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new backend
     */
    public static <K, V> InMemoryBackend<K, V> create() {
        return new InMemoryBackend<>(true);
    }

    /**
     * Creates an empty backend that never reports external changes, like storage without a
     * change feed: stores over it see other writers only when their entries expire.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new backend
     */
    public static <K, V> InMemoryBackend<K, V> withoutChangeFeed() {
        return new InMemoryBackend<>(false);
    }

    @Override
    public Optional<Versioned<V>> read(K key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return Optional.ofNullable(data.get(key));
        }
    }

    @Override
    public long write(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            long version = ++lastVersion;
            data.put(key, new Versioned<>(value, version));
            return version;
        }
    }

    @Override
    public long delete(K key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            data.remove(key);
            return ++lastVersion;
        }
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<K, V>, ? extends T> work) {
        synchronized (lock) {
            TransactionOperations operations = new TransactionOperations();
            try {
                T result = work.apply(operations);
                operations.active = false;
                return result;
            } catch (RuntimeException | Error e) {
                operations.rollBack();
                throw e;
            }
        }
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<K> listener) {
        Objects.requireNonNull(listener, "listener");
        if (!reportsExternalChanges) {
            return ChangeSubscription.NONE;
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Sets a value as another process would, then reports the change to subscribed stores.
     *
     * @param key the key
     * @param value the new value
     * @return the version of the change
     */
    public long writeExternally(K key, V value) {
        long version = write(key, value);
        listeners.forEach(listener -> listener.keyChanged(key));
        return version;
    }

    /**
     * Removes a value as another process would, then reports the change to subscribed stores.
     *
     * @param key the key
     * @return the version of the change
     */
    public long deleteExternally(K key) {
        long version = delete(key);
        listeners.forEach(listener -> listener.keyChanged(key));
        return version;
    }

    /** Tells subscribed stores that any key may have changed, as after lost notifications. */
    public void reportAllChanged() {
        listeners.forEach(ChangeListener::allChanged);
    }

    /**
     * Returns a copy of every key and value.
     *
     * @return the current contents
     */
    public Map<K, V> snapshot() {
        synchronized (lock) {
            Map<K, V> copy = new LinkedHashMap<>();
            data.forEach((key, versioned) -> copy.put(key, versioned.value()));
            return copy;
        }
    }

    /**
     * Returns the current value of a key, without versions.
     *
     * @param key the key
     * @return the value, or empty
     */
    public Optional<V> valueOf(K key) {
        return read(key).map(Versioned::value);
    }

    /** The operations of one transaction; runs under the backend's lock and can undo itself. */
    private final class TransactionOperations implements BackendOperations<K, V> {
        private final Map<K, @Nullable Versioned<V>> before = new HashMap<>();
        boolean active = true;

        @Override
        public Optional<Versioned<V>> read(K key) {
            requireActive();
            return InMemoryBackend.this.read(key);
        }

        @Override
        public long write(K key, V value) {
            requireActive();
            remember(key);
            return InMemoryBackend.this.write(key, value);
        }

        @Override
        public long delete(K key) {
            requireActive();
            remember(key);
            return InMemoryBackend.this.delete(key);
        }

        private void remember(K key) {
            if (!before.containsKey(key)) {
                before.put(key, data.get(key));
            }
        }

        void rollBack() {
            active = false;
            before.forEach((key, previous) -> {
                if (previous == null) {
                    data.remove(key);
                } else {
                    data.put(key, previous);
                }
            });
        }

        private void requireActive() {
            if (!active) {
                throw new IllegalStateException("the transaction has ended; use its operations only inside its work");
            }
        }
    }
}
