package dev.configstore.guild;

import dev.configstore.StoreException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Each guild's logging channel: where the bot posts its log messages for that guild.
 *
 * <p>Resolution, as declared by {@link BuiltInSettings#LOGGING_CHANNEL}: the channel stored for the
 * guild, else {@value ConfigDefaults#LOGGING_CHANNEL} from the environment, else none. A stored
 * channel always wins, unless it is not a snowflake (written by another tool): such a value is
 * never served; it is skipped (counted and logged once, see {@link GuildConfig#snapshot}) and the
 * read falls through to the environment. Reads are served from the cache and allocate nothing
 * when they hit it;
 * changes are durable when they return and are seen by every later read. Ids are checked with
 * {@link Snowflakes}: a bad id fails with an {@link IllegalArgumentException} before anything is
 * written. A failed read throws {@link StoreException}; it never falls back to a default.
 *
 * <p>Obtained from {@link GuildConfig#loggingStore()}; safe for use by many threads.
 */
public final class LoggingStore {

    private final GuildRows rows;

    LoggingStore(GuildRows rows) {
        this.rows = rows;
    }

    /**
     * {@link #getLoggingChannelId(String)} without blocking the caller on a miss, for an event
     * loop: on a cache hit the future is complete at once, made on the caller's thread with
     * nothing else allocated; on a miss the guild's row is read on {@code executor}. The future
     * fails with what the blocking read would throw.
     *
     * @param guildId the guild's snowflake
     * @param executor where a miss reads the database (a pool for blocking work, never the event
     *     loop)
     * @return the channel's snowflake, or empty if the guild logs nowhere
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake (checked on a miss,
     *     as by the blocking read) or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    public CompletableFuture<Optional<String>> getLoggingChannelIdAsync(String guildId, Executor executor) {
        return rows.entryAsync(guildId, executor, entry -> entry.loggingChannelId);
    }

    /**
     * Returns the logging channel that applies to a guild.
     *
     * @param guildId the guild's snowflake
     * @return the channel's snowflake, or empty if the guild logs nowhere
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws StoreException if the stored settings could not be read
     */
    public Optional<String> getLoggingChannelId(String guildId) {
        return rows.entry(guildId).loggingChannelId;
    }

    /**
     * Returns the logging channel that applies to a guild.
     *
     * @param guildId the guild's snowflake
     * @return the channel's snowflake, or empty if the guild logs nowhere
     * @throws IllegalArgumentException if {@code guildId} is negative
     * @throws StoreException if the stored settings could not be read
     */
    public Optional<String> getLoggingChannelId(long guildId) {
        return getLoggingChannelId(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Returns the logging channel that applies to a guild and where it came from, for commands
     * that explain a guild's configuration.
     *
     * @param guildId the guild's snowflake
     * @return the channel and its source: {@link Source#DATABASE} if stored for the guild, {@link
     *     Source#ENVIRONMENT} if from {@value ConfigDefaults#LOGGING_CHANNEL}, else {@link
     *     Source#DEFAULT} with no channel
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws StoreException if the stored settings could not be read
     */
    public Resolved<String> resolveLoggingChannel(String guildId) {
        return rows.entry(guildId).loggingChannel;
    }

    /**
     * Returns the logging channel that applies to a guild and where it came from.
     *
     * @param guildId the guild's snowflake
     * @return the channel and its source
     * @throws IllegalArgumentException if {@code guildId} is negative
     * @throws StoreException if the stored settings could not be read
     */
    public Resolved<String> resolveLoggingChannel(long guildId) {
        return resolveLoggingChannel(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Stores a guild's logging channel, leaving its other settings as they are.
     *
     * @param guildId the guild's snowflake
     * @param channelId the channel's snowflake
     * @throws IllegalArgumentException if either id is not a snowflake; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setLoggingChannelId(String guildId, String channelId) {
        String guild = Snowflakes.requireValid(guildId, "guildId");
        String channel = Snowflakes.requireValid(channelId, "channelId");
        rows.write(guild, GuildSetting.LOGGING_CHANNEL_ID, channel);
    }

    /**
     * Stores a guild's logging channel, leaving its other settings as they are.
     *
     * @param guildId the guild's snowflake
     * @param channelId the channel's snowflake
     * @throws IllegalArgumentException if either id is negative; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setLoggingChannelId(long guildId, long channelId) {
        String guild = Snowflakes.requireValid(guildId, "guildId");
        setLoggingChannelId(guild, Snowflakes.requireValid(channelId, "channelId"));
    }

    /**
     * Removes a guild's stored logging channel, so that the environment default (if any) applies
     * again; its other settings stay.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearLoggingChannelId(String guildId) {
        rows.write(Snowflakes.requireValid(guildId, "guildId"), GuildSetting.LOGGING_CHANNEL_ID, null);
    }

    /**
     * Removes a guild's stored logging channel.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is negative; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearLoggingChannelId(long guildId) {
        clearLoggingChannelId(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Drops this process's cached settings of a guild (for example, when the bot leaves it): the
     * facades' and, in a database's store, those of every declared setting it handed out ({@link
     * GuildConfig.Builder#onForgetGuild}). The stored settings are kept, and are read again if the
     * guild comes back.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     */
    public void forgetGuild(String guildId) {
        rows.forget(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Drops this process's cached settings of a guild; the stored settings are kept.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is negative
     */
    public void forgetGuild(long guildId) {
        forgetGuild(Snowflakes.requireValid(guildId, "guildId"));
    }
}
