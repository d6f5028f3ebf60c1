package dev.configstore.settings;

import dev.configstore.guild.Snowflakes;

/**
 * Where a value is stored: the whole bot, one guild, or one channel of a guild. Made by {@link
 * #global()}, {@link #guild(String)} or {@link #channel(String, String)}, which check the ids.
 *
 * @param scope the scope
 * @param guildId the guild's id (a snowflake), or {@code ""} for the whole bot
 * @param channelId the channel's id (a snowflake), or {@code ""} unless {@code scope} is {@link
 *     Scope#CHANNEL}
 */
public record ScopeId(Scope scope, String guildId, String channelId) {

    private static final ScopeId GLOBAL = new ScopeId(Scope.GLOBAL, "", "");

    /**
     * Checks that the ids fit the scope.
     *
     * @param scope the scope
     * @param guildId the guild's id, or {@code ""} for {@link Scope#GLOBAL}
     * @param channelId the channel's id, or {@code ""} unless {@link Scope#CHANNEL}
     * @throws IllegalArgumentException if an id is missing, present where the scope has none, or
     *     not a snowflake
     */
    public ScopeId {
        if (scope == null) {
            throw new IllegalArgumentException("scope must not be null");
        }
        if (scope == Scope.GLOBAL) {
            requireNone(guildId, "guildId", scope);
        } else {
            Snowflakes.requireValid(guildId, "guildId");
        }
        if (scope == Scope.CHANNEL) {
            Snowflakes.requireValid(channelId, "channelId");
        } else {
            requireNone(channelId, "channelId", scope);
        }
    }

    /**
     * The whole bot.
     *
     * @return the global scope
     */
    public static ScopeId global() {
        return GLOBAL;
    }

    /**
     * One guild.
     *
     * @param guildId the guild's id, a snowflake
     * @return the guild's scope
     * @throws IllegalArgumentException if the id is not a snowflake
     */
    public static ScopeId guild(String guildId) {
        return new ScopeId(Scope.GUILD, guildId, "");
    }

    /**
     * One channel of a guild.
     *
     * @param guildId the guild's id, a snowflake
     * @param channelId the channel's id, a snowflake
     * @return the channel's scope
     * @throws IllegalArgumentException if an id is not a snowflake
     */
    public static ScopeId channel(String guildId, String channelId) {
        return new ScopeId(Scope.CHANNEL, guildId, channelId);
    }

    private static void requireNone(String id, String argument, Scope scope) {
        if (!"".equals(id)) {
            throw new IllegalArgumentException(
                    argument + " must be \"\" at scope " + scope + ", got " + (id == null ? "null" : "\"" + id + "\""));
        }
    }

    @Override
    public String toString() {
        return StoredLayer.describe(scope, guildId, channelId);
    }
}
