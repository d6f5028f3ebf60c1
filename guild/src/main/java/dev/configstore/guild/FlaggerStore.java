package dev.configstore.guild;

import dev.configstore.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Each guild's setup for flagging first messages: the channel flagged messages are reported to,
 * and how long a member must have been silent before a first message is flagged.
 *
 * <p>Resolution, field by field: the value stored for the guild, else the environment default
 * ({@value ConfigDefaults#FLAGGED_REPORT_CHANNEL_ID}, {@value ConfigDefaults#SILENT_FIRST_MSG_DAYS}),
 * else the built-in default (no channel, {@value #DEFAULT_SILENT_DAYS} days), as declared by {@link
 * BuiltInSettings#FLAGS_CHANNEL} and {@link BuiltInSettings#SILENT_FIRST_MSG_DAYS}. A stored value
 * always wins, even one equal to a default, unless it breaks the declaration's rules (silent days 3
 * written with {@code psql}, a channel that is not a snowflake): such a value is never served; it is
 * skipped (counted and logged once, see {@link GuildConfig#snapshot}) and the field falls through
 * to the environment or the default. Reads are served from the cache and allocate nothing when they
 * hit it, returning the same {@link FlaggerConfig} until the guild's row changes; changes are durable
 * when they return and are seen by every later read. Bad input fails with an {@link
 * IllegalArgumentException} before anything is written. A failed read throws {@link
 * StoreException}; it never falls back to a default.
 *
 * <p>Obtained from {@link GuildConfig#flaggerStore()}; safe for use by many threads.
 */
public final class FlaggerStore {

    /** The smallest silent-days threshold that can be set. */
    public static final int MIN_SILENT_DAYS = 7;

    /** The largest silent-days threshold that can be set. */
    public static final int MAX_SILENT_DAYS = 365;

    /** The silent-days threshold when neither the guild nor the environment sets one. */
    public static final int DEFAULT_SILENT_DAYS = 7;

    private final GuildRows rows;

    FlaggerStore(GuildRows rows) {
        this.rows = rows;
    }

    static boolean isValidSilentDays(int days) {
        return days >= MIN_SILENT_DAYS && days <= MAX_SILENT_DAYS;
    }

    /**
     * Returns {@code days} if it is a silent-days threshold that can be set: the check {@link
     * #setSilentFirstMsgDays(String, int)} makes, for input checked before anything is opened.
     *
     * @param days the threshold to check
     * @return {@code days}, unchanged
     * @throws IllegalArgumentException if it is not from {@value #MIN_SILENT_DAYS} to {@value
     *     #MAX_SILENT_DAYS} ("Silent days threshold must be between 7 and 365 days, got 6")
     */
    public static int requireValidSilentDays(int days) {
        if (!isValidSilentDays(days)) {
            throw new IllegalArgumentException("Silent days threshold must be between " + MIN_SILENT_DAYS + " and "
                    + MAX_SILENT_DAYS + " days, got " + days);
        }
        return days;
    }

    /**
     * Reads a silent-days threshold typed by a person (a command's argument, a variable, a chat
     * command), accepting what ids accept: ASCII decimal digits only, so that {@code +30}, {@code
     * " 30"} or digits of other scripts such as {@code "٣٠"} are refused rather than read as 30.
     * Leading zeros are allowed.
     *
     * @param text the threshold as typed
     * @return the threshold, from {@value #MIN_SILENT_DAYS} to {@value #MAX_SILENT_DAYS}
     * @throws IllegalArgumentException if {@code text} is null, empty or holds anything but the
     *     digits 0-9 ("Silent days must be a whole number written with the digits 0-9 only …"), or
     *     the number is out of range ("Silent days threshold must be between 7 and 365 days …")
     */
    public static int parseSilentDays(@Nullable String text) {
        if (text == null || !isAsciiNumber(text)) {
            throw new IllegalArgumentException("Silent days must be a whole number written with the digits 0-9 only"
                    + " (no sign, spaces or other digits), got " + (text == null ? "null" : "\"" + text + "\""));
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 3) {
            throw new IllegalArgumentException("Silent days threshold must be between " + MIN_SILENT_DAYS + " and "
                    + MAX_SILENT_DAYS + " days, got " + digits);
        }
        return requireValidSilentDays(Integer.parseInt(digits));
    }

    /** Whether {@code text} is one or more ASCII decimal digits and nothing else. */
    static boolean isAsciiNumber(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns how flagging is set up for a guild, and where each value came from.
     *
     * @param guildId the guild's snowflake
     * @return the resolved configuration
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws StoreException if the stored settings could not be read
     */
    public FlaggerConfig getFlaggerConfig(String guildId) {
        return rows.entry(guildId).flagger;
    }

    /**
     * {@link #getFlaggerConfig(String)} without blocking the caller on a miss, for an event loop:
     * on a cache hit the future is complete at once, made on the caller's thread with nothing
     * else allocated; on a miss the guild's row is read on {@code executor}. The future fails with
     * what the blocking read would throw.
     *
     * @param guildId the guild's snowflake
     * @param executor where a miss reads the database (a pool for blocking work, never the event
     *     loop)
     * @return the guild's flagging setup
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake (checked on a miss)
     *     or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    public CompletableFuture<FlaggerConfig> getFlaggerConfigAsync(String guildId, Executor executor) {
        return rows.entryAsync(guildId, executor, entry -> entry.flagger);
    }

    /**
     * Returns how flagging is set up for a guild, and where each value came from.
     *
     * @param guildId the guild's snowflake
     * @return the resolved configuration
     * @throws IllegalArgumentException if {@code guildId} is negative
     * @throws StoreException if the stored settings could not be read
     */
    public FlaggerConfig getFlaggerConfig(long guildId) {
        return getFlaggerConfig(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Stores the channel a guild's flagged messages are reported to, leaving its other settings as
     * they are.
     *
     * @param guildId the guild's snowflake
     * @param channelId the channel's snowflake
     * @throws IllegalArgumentException if either id is not a snowflake; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setFlagsChannelId(String guildId, String channelId) {
        String guild = Snowflakes.requireValid(guildId, "guildId");
        String channel = Snowflakes.requireValid(channelId, "channelId");
        rows.write(guild, GuildSetting.FLAGS_CHANNEL_ID, channel);
    }

    /**
     * Stores the channel a guild's flagged messages are reported to.
     *
     * @param guildId the guild's snowflake
     * @param channelId the channel's snowflake
     * @throws IllegalArgumentException if either id is negative; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setFlagsChannelId(long guildId, long channelId) {
        String guild = Snowflakes.requireValid(guildId, "guildId");
        setFlagsChannelId(guild, Snowflakes.requireValid(channelId, "channelId"));
    }

    /**
     * Removes a guild's stored channel for flagged messages, so that the environment default (if
     * any) applies again; its other settings stay.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearFlagsChannelId(String guildId) {
        rows.write(Snowflakes.requireValid(guildId, "guildId"), GuildSetting.FLAGS_CHANNEL_ID, null);
    }

    /**
     * Removes a guild's stored channel for flagged messages.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is negative; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearFlagsChannelId(long guildId) {
        clearFlagsChannelId(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Stores a guild's silent-days threshold, leaving its other settings as they are.
     *
     * @param guildId the guild's snowflake
     * @param days from {@value #MIN_SILENT_DAYS} to {@value #MAX_SILENT_DAYS}
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake or {@code days} is out
     *     of range ("Silent days threshold must be between 7 and 365 days"); nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setSilentFirstMsgDays(String guildId, int days) {
        String guild = Snowflakes.requireValid(guildId, "guildId");
        rows.write(guild, GuildSetting.SILENT_FIRST_MSG_DAYS, requireValidSilentDays(days));
    }

    /**
     * Stores a guild's silent-days threshold.
     *
     * @param guildId the guild's snowflake
     * @param days from {@value #MIN_SILENT_DAYS} to {@value #MAX_SILENT_DAYS}
     * @throws IllegalArgumentException if {@code guildId} is negative or {@code days} is out of
     *     range; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void setSilentFirstMsgDays(long guildId, int days) {
        setSilentFirstMsgDays(Snowflakes.requireValid(guildId, "guildId"), days);
    }

    /**
     * Removes a guild's stored silent-days threshold, so that the environment default (or {@value
     * #DEFAULT_SILENT_DAYS}) applies again; its other settings stay.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearSilentFirstMsgDays(String guildId) {
        rows.write(Snowflakes.requireValid(guildId, "guildId"), GuildSetting.SILENT_FIRST_MSG_DAYS, null);
    }

    /**
     * Removes a guild's stored silent-days threshold.
     *
     * @param guildId the guild's snowflake
     * @throws IllegalArgumentException if {@code guildId} is negative; nothing is written
     * @throws StoreException if the change could not be stored; nothing was changed
     */
    public void clearSilentFirstMsgDays(long guildId) {
        clearSilentFirstMsgDays(Snowflakes.requireValid(guildId, "guildId"));
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
