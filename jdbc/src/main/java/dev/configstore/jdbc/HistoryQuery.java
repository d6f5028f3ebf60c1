package dev.configstore.jdbc;

import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which changes of a store's audit trail to read ({@link ConfigStore#history}): those of one guild
 * (its own settings and those of its channels), of the whole bot, or of one key-value namespace;
 * optionally of one key and within a time range; the newest first, at most {@link #limit()} of
 * them (100 unless set).
 *
 * <pre>{@code
 * List<AuditEntry> changes = store.history(HistoryQuery.guild(guildId)
 *         .key("logging_channel_id")
 *         .since(Instant.now().minus(Duration.ofDays(7))));
 * }</pre>
 *
 * <p>Queries are immutable: each method returns a new one.
 */
public final class HistoryQuery {

    /** What the query reads. */
    public enum Target {
        /** One guild's settings and those of its channels. */
        GUILD,
        /** Settings for the whole bot. */
        GLOBAL,
        /** One key-value namespace. */
        NAMESPACE
    }

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;

    private final Target target;
    private final String id;
    private final @Nullable String key;
    private final @Nullable Instant since;
    private final @Nullable Instant until;
    private final int limit;

    private HistoryQuery(
            Target target,
            String id,
            @Nullable String key,
            @Nullable Instant since,
            @Nullable Instant until,
            int limit) {
        this.target = target;
        this.id = id;
        this.key = key;
        this.since = since;
        this.until = until;
        this.limit = limit;
    }

    /**
     * The changes of one guild: its settings (built-in and declared) and those of its channels.
     *
     * @param guildId the guild's id
     * @return the query
     * @throws IllegalArgumentException if {@code guildId} is null or blank
     */
    public static HistoryQuery guild(String guildId) {
        if (guildId == null || guildId.isBlank()) {
            throw new IllegalArgumentException("guildId must not be null or blank");
        }
        return new HistoryQuery(Target.GUILD, guildId, null, null, null, DEFAULT_LIMIT);
    }

    /**
     * The changes of settings for the whole bot.
     *
     * @return the query
     */
    public static HistoryQuery global() {
        return new HistoryQuery(Target.GLOBAL, "", null, null, null, DEFAULT_LIMIT);
    }

    /**
     * The changes of one key-value namespace.
     *
     * @param namespace the namespace, as given to {@link ConfigStore#keyValueStore}
     * @return the query
     * @throws IllegalArgumentException if it is not a valid namespace
     */
    public static HistoryQuery namespace(String namespace) {
        return new HistoryQuery(
                Target.NAMESPACE, JdbcKeyValueBackend.requireNamespace(namespace), null, null, null, DEFAULT_LIMIT);
    }

    /**
     * Only the changes of one key.
     *
     * @param key a setting's key (for the built-in settings, the column's name, such as {@code
     *     logging_channel_id}) or a key-value key
     * @return a new query
     * @throws IllegalArgumentException if {@code key} is null or empty
     */
    public HistoryQuery key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be null or empty");
        }
        return new HistoryQuery(target, id, key, since, until, limit);
    }

    /**
     * Only the changes made at or after {@code time}.
     *
     * @param time the earliest time
     * @return a new query
     * @throws IllegalArgumentException if {@code time} is null or after {@link #until()}
     */
    public HistoryQuery since(Instant time) {
        if (time == null) {
            throw new IllegalArgumentException("since must not be null");
        }
        if (until != null && time.isAfter(until)) {
            throw new IllegalArgumentException("since (" + time + ") must not be after until (" + until + ")");
        }
        return new HistoryQuery(target, id, key, time, until, limit);
    }

    /**
     * Only the changes made before {@code time}.
     *
     * @param time the time the changes are before
     * @return a new query
     * @throws IllegalArgumentException if {@code time} is null or before {@link #since()}
     */
    public HistoryQuery until(Instant time) {
        if (time == null) {
            throw new IllegalArgumentException("until must not be null");
        }
        if (since != null && time.isBefore(since)) {
            throw new IllegalArgumentException("until (" + time + ") must not be before since (" + since + ")");
        }
        return new HistoryQuery(target, id, key, since, time, limit);
    }

    /**
     * Returns at most {@code count} changes, the newest.
     *
     * @param count from 1 to 10,000
     * @return a new query
     * @throws IllegalArgumentException if {@code count} is out of range
     */
    public HistoryQuery limit(int count) {
        if (count < 1 || count > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + count);
        }
        return new HistoryQuery(target, id, key, since, until, count);
    }

    /**
     * Returns what the query reads.
     *
     * @return the target
     */
    public Target target() {
        return target;
    }

    /**
     * Returns the guild's id or the namespace the query reads.
     *
     * @return the id, or {@code ""} for {@link Target#GLOBAL}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the one key the query reads.
     *
     * @return the key, or empty for every key
     */
    public Optional<String> keyFilter() {
        return Optional.ofNullable(key);
    }

    /**
     * Returns the earliest time of the changes read.
     *
     * @return the time, or empty for no limit
     */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /**
     * Returns the time the changes read are before.
     *
     * @return the time, or empty for no limit
     */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    /**
     * Returns how many changes are read at most.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof HistoryQuery that
                && target == that.target
                && id.equals(that.id)
                && Objects.equals(key, that.key)
                && Objects.equals(since, that.since)
                && Objects.equals(until, that.until)
                && limit == that.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, id, key, since, until, limit);
    }

    @Override
    public String toString() {
        return "HistoryQuery[" + target + (id.isEmpty() ? "" : " " + id) + (key == null ? "" : ", key " + key)
                + (since == null ? "" : ", since " + since) + (until == null ? "" : ", until " + until)
                + ", limit " + limit + "]";
    }
}
