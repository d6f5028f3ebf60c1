package dev.configstore.testkit;

import dev.configstore.spi.Backend;

/**
 * What the shared backend tests need from a backend module: fresh, empty backends, and distinct
 * keys and values of the backend's types.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface BackendFixture<K, V> {

    /**
     * Creates an empty backend that no other test uses. The tests close it afterwards if it is
     * {@link AutoCloseable}.
     *
     * @return a new, empty backend
     * @throws Exception if the backend cannot be created
     */
    Backend<K, V> createBackend() throws Exception;

    /**
     * Returns the {@code i}-th key; different {@code i} give different keys.
     *
     * @param i a number from 0 to 999
     * @return a key
     */
    K key(int i);

    /**
     * Returns the {@code i}-th value; different {@code i} give different values.
     *
     * @param i a number from 0 to 999
     * @return a value
     */
    V value(int i);

    /**
     * Closes a backend made by {@link #createBackend()}, if it is {@link AutoCloseable}.
     *
     * @param backend the backend
     * @throws Exception if closing fails
     */
    default void dispose(Backend<K, V> backend) throws Exception {
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
