package dev.configstore.jdbc.internal;

import java.util.Objects;

/**
 * One entry of a backend's change log: a row that changed, and where the change stands in the
 * log's order.
 *
 * @param sequence the entry's position in the log; entries are numbered without holes as they
 *     are written, so a hole means entries were removed before they were read
 * @param table the table that changed
 * @param namespace the namespace within the table, or {@code ""} for tables without one
 * @param key the key whose value changed
 * @param version the version the change wrote, or {@code 0} if unknown (a delete, or a writer
 *     that does not maintain versions)
 * @param changedAtNanos when the change was made, as the log records it, on this process's
 *     {@link System#nanoTime()} scale (so the feed's delay is a difference of two such values);
 *     {@link #UNKNOWN_TIME} if the log does not say
 */
public record LoggedChange(
        long sequence, String table, String namespace, String key, long version, long changedAtNanos) {

    /** {@link #changedAtNanos()} of an entry whose time is unknown. */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    /**
     * Checks that no component is null.
     *
     * @param sequence the entry's position in the log
     * @param table the table that changed
     * @param namespace the namespace, or {@code ""}
     * @param key the key whose value changed
     * @param version the version written, or {@code 0}
     * @param changedAtNanos when the change was made, on the {@link System#nanoTime()} scale, or
     *     {@link #UNKNOWN_TIME}
     */
    public LoggedChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
    }

    /**
     * An entry whose time is unknown.
     *
     * @param sequence the entry's position in the log
     * @param table the table that changed
     * @param namespace the namespace, or {@code ""}
     * @param key the key whose value changed
     * @param version the version written, or {@code 0}
     */
    public LoggedChange(long sequence, String table, String namespace, String key, long version) {
        this(sequence, table, namespace, key, version, UNKNOWN_TIME);
    }

    /**
     * Converts how old an entry was when it was read into {@link #changedAtNanos()}.
     *
     * @param readAtNanos when it was read, as {@link System#nanoTime()}
     * @param ageMicros how long before that the change was made, in microseconds, by the
     *     database's clock; negative ages (clocks that disagree) count as zero
     * @return the time of the change on the {@link System#nanoTime()} scale
     */
    public static long changedAt(long readAtNanos, long ageMicros) {
        // Capped far beyond any real age, so that a wrong clock cannot overflow the difference.
        return readAtNanos - Math.min(Math.max(0, ageMicros), Long.MAX_VALUE / 4_000L) * 1_000L;
    }
}
