package dev.configstore.settings;

/**
 * Told of every change of the values stored for one setting, by {@link Settings#onChange}.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface SettingListener<T> {

    /**
     * Called once for each change, after it was committed, on the settings' listener thread (see
     * {@link Settings#onChange}). What it throws is logged and does not stop other listeners.
     *
     * @param change the scope, with the value stored there before and now
     */
    void changed(SettingChange<T> change);
}
