package dev.configstore.jdbc;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One change in a store's audit trail: who changed which value, when, from what to what.
 *
 * @param at when the change was made, by the store's clock
 * @param actor who made it: the {@link Actor} set on the writing thread, or the store's default
 * @param scope where the value lives
 * @param guildId the guild, or {@code ""} for {@link Scope#GLOBAL} and {@link Scope#NAMESPACE}
 * @param channelId the channel, or {@code ""} unless the scope is {@link Scope#CHANNEL}
 * @param namespace the key-value namespace, or {@code ""} unless the scope is {@link
 *     Scope#NAMESPACE}
 * @param key the setting's key (the column's name for the built-in settings, such as {@code
 *     logging_channel_id}) or the key-value key
 * @param oldValue the stored text before the change, or null if there was none
 * @param newValue the stored text after the change, or null if it was reset or removed
 */
public record AuditEntry(
        Instant at,
        String actor,
        Scope scope,
        String guildId,
        String channelId,
        String namespace,
        String key,
        @Nullable String oldValue,
        @Nullable String newValue) {

    /** Where a changed value lives. */
    public enum Scope {
        /** A setting for the whole bot. */
        GLOBAL,
        /** A setting of a guild, including the built-in settings of {@code guild_config}. */
        GUILD,
        /** A setting of one channel of a guild. */
        CHANNEL,
        /** A key of a key-value namespace ({@link ConfigStore#keyValueStore}). */
        NAMESPACE
    }

    /**
     * Returns the value before the change.
     *
     * @return the stored text, or empty if there was none
     */
    public Optional<String> before() {
        return Optional.ofNullable(oldValue);
    }

    /**
     * Returns the value after the change.
     *
     * @return the stored text, or empty if the change reset or removed it
     */
    public Optional<String> after() {
        return Optional.ofNullable(newValue);
    }
}
