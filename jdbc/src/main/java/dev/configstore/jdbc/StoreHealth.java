package dev.configstore.jdbc;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A store's health at one moment, for a liveness or readiness probe: an overall {@link Status}
 * and the checks it was decided from, each with its own status and a reason an operator can read.
 * Made by {@link ConfigStore#health()}; immutable.
 *
 * <p>The checks, by {@linkplain Check#name() name}:
 *
 * <ul>
 *   <li>{@value #DATABASE}: the database answers a cheap query within the probe's timeout;
 *       {@link Status#DOWN} if it does not.
 *   <li>{@value #SCHEMA}: the schema version recorded in the database is the one this configstore
 *       writes; {@link Status#DOWN} if it is another or cannot be read.
 *   <li>{@value #CHANGE_FEED}: the change feed's thread runs, its last read succeeded, and it read
 *       the change log successfully within its lag bound (three times its poll interval, at least
 *       one second); {@link Status#DEGRADED} if not. A store built without a feed reports it
 *       {@link Status#UP} with reason {@code off}.
 *   <li>{@value #POOL}: no thread is waiting for a pooled connection; {@link Status#DEGRADED} if
 *       some are.
 * </ul>
 *
 * <p>The overall status is the worst of the checks' statuses: {@link Status#DOWN} if the database
 * cannot be reached or its schema is not current, else {@link Status#DEGRADED} if the feed or the
 * pool is, else {@link Status#UP}.
 *
 * @param status the worst status of the checks
 * @param checks the checks, in the order above
 * @param checkedAt when the probe ran
 */
public record StoreHealth(Status status, List<Check> checks, Instant checkedAt) {

    /** The name of the check that the database answers. */
    public static final String DATABASE = "database";

    /** The name of the check that the schema is current. */
    public static final String SCHEMA = "schema";

    /** The name of the check that the change feed follows the change log. */
    public static final String CHANGE_FEED = "changeFeed";

    /** The name of the check that the connection pool has connections to hand out. */
    public static final String POOL = "pool";

    /** How healthy a store, or one of its checks, is; declared from best to worst. */
    public enum Status {
        /** Working as it should. */
        UP,
        /**
         * Serving reads and writes, but with a part that does not work as it should: changes made
         * by other processes may be seen late (up to the caches' expiry), or callers wait for
         * connections. Not a reason to restart the process.
         */
        DEGRADED,
        /** Cannot serve what is not cached: the database does not answer or its schema is wrong. */
        DOWN;

        /**
         * Returns the worse of this status and another.
         *
         * @param other the other status
         * @return the worse of both
         */
        public Status worse(Status other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /**
     * One check of a store's health.
     *
     * @param name what was checked: {@link #DATABASE}, {@link #SCHEMA}, {@link #CHANGE_FEED} or
     *     {@link #POOL}
     * @param status what the check found
     * @param reason why, in words an operator can act on
     * @param details the numbers behind it, by name (such as {@code pendingThreads} or {@code
     *     lagMillis}); values are numbers, booleans or text
     */
    public record Check(String name, Status status, String reason, Map<String, Object> details) {

        /**
         * Makes a check; the details are copied, keeping their order.
         *
         * @param name what was checked
         * @param status what the check found
         * @param reason why
         * @param details the numbers behind it
         * @throws NullPointerException if an argument, or a detail's name or value, is null
         */
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
            details.forEach((key, value) -> Objects.requireNonNull(value, key));
        }
    }

    /**
     * Makes a store's health; the checks are copied.
     *
     * @param status the worst status of the checks
     * @param checks the checks
     * @param checkedAt when the probe ran
     * @throws NullPointerException if an argument is null
     */
    public StoreHealth {
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /**
     * Makes a store's health from its checks, its status being the worst of theirs.
     *
     * @param checks the checks
     * @param checkedAt when the probe ran
     * @return the health
     */
    public static StoreHealth of(List<Check> checks, Instant checkedAt) {
        Status worst = Status.UP;
        for (Check check : checks) {
            worst = worst.worse(check.status());
        }
        return new StoreHealth(worst, checks, checkedAt);
    }

    /**
     * Returns one check by its name.
     *
     * @param name the check's name, such as {@link #CHANGE_FEED}
     * @return the check, or empty if there is none of that name
     */
    public Optional<Check> check(String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst();
    }
}
