package dev.configstore.spi;

/**
 * Receives changes made to a backend's storage by someone other than the store itself.
 *
 * <p>Both methods must only be called after the change is committed, so that a read which
 * starts after the call sees the change.
 *
 * @param <K> the key type
 */
public interface ChangeListener<K> {

    /**
     * The value of {@code key} may have changed.
     *
     * @param key the key that changed
     */
    void keyChanged(K key);

    /**
     * Any key may have changed, and the backend cannot say which: for example, because change
     * notifications were lost while a connection was down.
     */
    void allChanged();
}
