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
 */
public record LoggedChange(long sequence, String table, String namespace, String key, long version) {

    /**
     * Checks that no component is null.
     *
     * @param sequence the entry's position in the log
     * @param table the table that changed
     * @param namespace the namespace, or {@code ""}
     * @param key the key whose value changed
     * @param version the version written, or {@code 0}
     */
    public LoggedChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
    }
}
