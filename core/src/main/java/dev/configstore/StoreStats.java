package dev.configstore;

/**
 * A snapshot of what a store has done since it was built. Counters only grow; subtract two
 * snapshots to see what happened between them.
 *
 * @param hits {@code get} calls answered from the cache
 * @param misses {@code get} calls that had to wait for a backend read (their own or a concurrent
 *     one for the same key)
 * @param loads backend reads that succeeded
 * @param loadFailures backend reads that failed; their results were not cached
 * @param invalidations cached entries dropped for a key: by writes, by {@code invalidate}, by
 *     external changes (whether or not the key was cached at the time)
 * @param writes changes made durable through the store, counting each key of a transaction
 * @param writeFailures writes and transactions that failed
 * @param staleInstallsRefused loaded or written values not cached because the key was changed or
 *     invalidated while they were in flight
 * @param staleServes reads answered with an expired value because the backend read failed and
 *     serving stale values on error is enabled
 * @param externalChangesApplied changes made by others that the backend reported and the store
 *     applied to its cache
 * @param externalFullInvalidations times the backend reported that anything may have changed, so
 *     the whole cache was dropped
 */
public record StoreStats(
        long hits,
        long misses,
        long loads,
        long loadFailures,
        long invalidations,
        long writes,
        long writeFailures,
        long staleInstallsRefused,
        long staleServes,
        long externalChangesApplied,
        long externalFullInvalidations) {

    /**
     * Returns the share of {@code get} calls answered from the cache, or 1 if there were none.
     *
     * @return hits divided by hits plus misses
     */
    public double hitRate() {
        long requests = hits + misses;
        return requests == 0 ? 1.0 : (double) hits / requests;
    }
}
