package dev.configstore.settings;

/** A {@link SettingListener} registered by {@link Settings#onChange}; closing it stops its calls. */
public interface SettingSubscription extends AutoCloseable {

    /**
     * Stops the listener's calls: it is not called for any change reported afterwards (a call
     * already under way may finish). Calling it again does nothing.
     */
    @Override
    void close();
}
