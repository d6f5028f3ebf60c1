package dev.configstore.jdbc.internal;

import dev.configstore.ChangeFeedStats;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.util.function.LongConsumer;

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
     * Reports, for every change made elsewhere that the feed applies from now on and whose log
     * entry says when it was made, the time from that change to the invalidation of the caches.
     *
     * @param listener called with the delay in nanoseconds, on the feed's thread
     * @return a handle that stops the calls
     */
    ChangeSubscription watchDelays(LongConsumer listener);

    /**
     * Notes a cache clear this process asked for and already applied to its caches: counts and
     * logs it, and skips its log entry when the feed reads it.
     *
     * @param request the clear
     */
    void clearedHere(CacheClears.Request request);

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
