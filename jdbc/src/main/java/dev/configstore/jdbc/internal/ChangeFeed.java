package dev.configstore.jdbc.internal;

import dev.configstore.ChangeFeedStats;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;

/** What the backends and the store need of a database's change feed. */
public interface ChangeFeed extends AutoCloseable {

    /**
     * Calls {@code listener} for every change of the table's rows of one namespace made by
     * others, and for every gap.
     *
     * @param table the table
     * @param namespace the namespace ({@code ""} for {@code guild_config})
     * @param listener what to call
     * @return a handle that stops the calls
     */
    ChangeSubscription subscribe(String table, String namespace, ChangeListener<String> listener);

    /**
     * Notes a change this process made and already applied to its caches, so that the feed skips
     * it when it reads it from the change log.
     *
     * @param table the table
     * @param namespace the namespace
     * @param key the key
     * @param version the version the change wrote
     */
    void recordOwnChange(String table, String namespace, String key, long version);

    /**
     * Returns what the feed has done.
     *
     * @return a snapshot of its counters
     */
    ChangeFeedStats stats();

    /** Stops the feed; calling it again does nothing. */
    @Override
    void close();
}
