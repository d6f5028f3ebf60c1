package dev.configstore.jdbc;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ConfigStore#clearCaches(CacheClear, String)} drops from the caches of every process
 * on a database: everything, one guild's entries, or one key-value namespace.
 *
 * <p>Clearing never changes stored values: the next read of a dropped entry reads the database.
 */
public final class CacheClear {

    /** What a clear covers. */
    public enum Scope {
        /** Every cache of every store: guild settings, declared settings, every key-value namespace. */
        ALL,
        /** One guild's entries wherever a guild is a cache key: the guild facades and declared settings. */
        GUILD,
        /** Every key of one key-value namespace. */
        NAMESPACE
    }

    private static final CacheClear ALL = new CacheClear(Scope.ALL, "");

    private final Scope scope;
    private final String target;

    private CacheClear(Scope scope, String target) {
        this.scope = scope;
        this.target = target;
    }

    /**
     * Every cache of every store on the database.
     *
     * @return the clear
     */
    public static CacheClear all() {
        return ALL;
    }

    /**
     * One guild's entries: its cached guild settings (the facades) and its declared settings
     * (every scope under it). Key-value namespaces are not keyed by guild and keep their entries.
     *
     * @param guildId the guild's id, a Discord snowflake
     * @return the clear
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     */
    public static CacheClear guild(String guildId) {
        return new CacheClear(Scope.GUILD, Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Every key of one key-value namespace, whether or not a process has used it yet.
     *
     * @param namespace the namespace, as for {@link ConfigStore#keyValueStore(String)}
     * @return the clear
     * @throws IllegalArgumentException if {@code namespace} is not a valid namespace name
     */
    public static CacheClear namespace(String namespace) {
        return new CacheClear(Scope.NAMESPACE, JdbcKeyValueBackend.requireNamespace(namespace));
    }

    /**
     * Returns what the clear covers.
     *
     * @return the scope
     */
    public Scope scope() {
        return scope;
    }

    /**
     * Returns the guild's id or the namespace cleared.
     *
     * @return the guild id for {@link Scope#GUILD}, the namespace for {@link Scope#NAMESPACE},
     *     {@code ""} for {@link Scope#ALL}
     */
    public String target() {
        return target;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CacheClear that && scope == that.scope && target.equals(that.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, target);
    }

    /**
     * Describes the clear, as log lines say it.
     *
     * @return {@code every cache}, {@code guild 123…} or {@code key-value namespace x}
     */
    @Override
    public String toString() {
        return switch (scope) {
            case ALL -> "every cache";
            case GUILD -> "guild " + target;
            case NAMESPACE -> "key-value namespace " + target;
        };
    }
}
