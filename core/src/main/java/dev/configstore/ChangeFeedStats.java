package dev.configstore;

/**
 * What a change feed has done since it started: how a store learns of changes made by other
 * processes. Counters only grow.
 *
 * @param changesRead entries read from the change log
 * @param ownChangesSkipped entries for changes this process made itself, already applied to
 *     its caches when the write returned
 * @param externalChangesApplied entries for changes made elsewhere, applied by dropping the
 *     cached value of the key
 * @param gaps times entries were missing (removed from the log before they were read, or the
 *     database was replaced), so every cache was dropped instead
 * @param errors polls or notifications that failed; the feed keeps going, and cached values
 *     still expire after their time-to-live
 * @param reconnects times the feed opened its own connection again after losing the previous
 *     one (a failed read closes it); its first connection is not counted
 * @param cacheClears cache clears applied: asked through the store's {@code clearCaches}, by
 *     this process or by another one on the same database (each clear is counted once, in
 *     {@code changesRead} too when it was read from the log)
 */
public record ChangeFeedStats(
        long changesRead,
        long ownChangesSkipped,
        long externalChangesApplied,
        long gaps,
        long errors,
        long reconnects,
        long cacheClears) {

    /**
     * Counters of a feed that applied no cache clear.
     *
     * @param changesRead entries read from the change log
     * @param ownChangesSkipped entries for changes this process made itself
     * @param externalChangesApplied entries for changes made elsewhere, applied
     * @param gaps times entries were missing, so every cache was dropped instead
     * @param errors polls or notifications that failed
     * @param reconnects times the feed opened its own connection again
     */
    public ChangeFeedStats(
            long changesRead,
            long ownChangesSkipped,
            long externalChangesApplied,
            long gaps,
            long errors,
            long reconnects) {
        this(changesRead, ownChangesSkipped, externalChangesApplied, gaps, errors, reconnects, 0);
    }

    /**
     * Counters of a feed that has not reconnected.
     *
     * @param changesRead entries read from the change log
     * @param ownChangesSkipped entries for changes this process made itself
     * @param externalChangesApplied entries for changes made elsewhere, applied
     * @param gaps times entries were missing, so every cache was dropped instead
     * @param errors polls or notifications that failed
     */
    public ChangeFeedStats(
            long changesRead, long ownChangesSkipped, long externalChangesApplied, long gaps, long errors) {
        this(changesRead, ownChangesSkipped, externalChangesApplied, gaps, errors, 0, 0);
    }
}
