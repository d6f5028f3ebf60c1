package dev.configstore.examples.bot;

import dev.configstore.StoreException;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.LoggingStore;
import dev.configstore.guild.Resolved;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the example bot decides, without Discord: whether a message is flagged and where it is
 * reported, where log messages go, and what the {@code /config} command does. {@link ConfigBot}
 * only translates Discord events into these calls, so this is what the tests exercise.
 */
public final class BotSettings {

    private final LoggingStore logging;
    private final FlaggerStore flagger;
    private final MemberActivity activity;

    /**
     * A message to report: where, and after how long a silence.
     *
     * @param reportChannelId the guild's flagged-report channel
     * @param silentDays how many whole days its author had been silent
     */
    public record FlaggedMessage(String reportChannelId, long silentDays) {}

    /**
     * Creates the bot's settings logic.
     *
     * @param logging where the guilds' logging channels are kept
     * @param flagger where the guilds' flagging setups are kept
     * @param activity when members last posted
     */
    public BotSettings(LoggingStore logging, FlaggerStore flagger, MemberActivity activity) {
        this.logging = logging;
        this.flagger = flagger;
        this.activity = activity;
    }

    /**
     * Handles a message: records that its author posted, and decides whether it ends a silence
     * long enough to be flagged and where to report it. Called on every message: served from the
     * cache, and written at most once per {@link MemberActivity#PRECISION} per member.
     *
     * @param guildId the guild the message was posted in
     * @param memberId its author
     * @param postedAt when it was posted
     * @param joinedAt when its author joined the guild
     * @return the report to post, or empty if the message is not flagged or the guild has no
     *     report channel
     * @throws StoreException if the settings or the activity could not be read or written
     */
    public Optional<FlaggedMessage> messagePosted(String guildId, String memberId, Instant postedAt, Instant joinedAt) {
        Duration silence = activity.messagePosted(guildId, memberId, postedAt, joinedAt);
        return flagReportChannel(guildId, silence).map(channel -> new FlaggedMessage(channel, silence.toDays()));
    }

    /**
     * Decides, on a message, whether it is the first message of a member silent long enough to be
     * flagged, and where to report it. Called on every message: served from the cache.
     *
     * @param guildId the guild the message was posted in
     * @param silentFor how long the member had been silent before this message, or null if this is
     *     not their first message after a silence
     * @return the channel to report the message to, or empty if it is not flagged or the guild has
     *     no report channel
     */
    public Optional<String> flagReportChannel(String guildId, @Nullable Duration silentFor) {
        if (silentFor == null) {
            return Optional.empty();
        }
        FlaggerConfig config = flagger.getFlaggerConfig(guildId);
        return silentFor.toDays() >= config.silentDays() ? config.channelId() : Optional.empty();
    }

    /**
     * Returns where the bot posts log messages for a guild.
     *
     * @param guildId the guild
     * @return the logging channel, or empty
     */
    public Optional<String> loggingChannel(String guildId) {
        return logging.getLoggingChannelId(guildId);
    }

    /**
     * Runs one {@code /config} command and returns the reply for the user who typed it. Bad input
     * is answered with the rule it breaks; a storage failure with what happened. Neither changes
     * anything.
     *
     * @param guildId the guild the command was typed in
     * @param subcommand {@code show}, {@code logging}, {@code flags} or {@code silent-days}
     * @param value the subcommand's argument: a channel id, a number of days, or null for {@code
     *     show} or to clear a setting
     * @return the reply
     */
    public String configCommand(String guildId, String subcommand, @Nullable String value) {
        try {
            switch (subcommand) {
                case "show" -> {
                    return show(guildId);
                }
                case "logging" -> {
                    if (value == null) {
                        logging.clearLoggingChannelId(guildId);
                    } else {
                        logging.setLoggingChannelId(guildId, value);
                    }
                }
                case "flags" -> {
                    if (value == null) {
                        flagger.clearFlagsChannelId(guildId);
                    } else {
                        flagger.setFlagsChannelId(guildId, value);
                    }
                }
                case "silent-days" -> {
                    if (value == null) {
                        flagger.clearSilentFirstMsgDays(guildId);
                    } else {
                        flagger.setSilentFirstMsgDays(guildId, parseDays(value));
                    }
                }
                default -> {
                    return "Unknown setting \"" + subcommand + "\". Try /config show.";
                }
            }
            return "Saved.\n" + show(guildId);
        } catch (IllegalArgumentException e) {
            return "Not saved: " + e.getMessage();
        } catch (StoreException e) {
            return "Not saved, the settings could not be stored right now; nothing was changed. (" + e.reason() + ")";
        }
    }

    /**
     * Describes a guild's settings and where each comes from, for {@code /config show}.
     *
     * @param guildId the guild
     * @return three lines, one per setting
     */
    public String show(String guildId) {
        Resolved<String> channel = logging.resolveLoggingChannel(guildId);
        FlaggerConfig flagging = flagger.getFlaggerConfig(guildId);
        return "Logging channel: " + mention(channel.value()) + " ("
                + from(channel.source().name()) + ")\n"
                + "Flagged-report channel: " + mention(flagging.channelId()) + " ("
                + from(flagging.channelSource().name()) + ")\n"
                + "Silent days: " + flagging.silentDays() + " ("
                + from(flagging.silentDaysSource().name()) + ")";
    }

    /**
     * Forgets what the bot cached about a guild it left; the guild's settings stay stored.
     *
     * @param guildId the guild
     */
    public void guildLeft(String guildId) {
        logging.forgetGuild(guildId);
    }

    private static int parseDays(String value) {
        return FlaggerStore.parseSilentDays(value.trim());
    }

    private static String mention(Optional<String> channel) {
        return channel.map(id -> "<#" + id + ">").orElse("none");
    }

    private static String from(String source) {
        return switch (source) {
            case "DATABASE" -> "set for this server";
            case "ENVIRONMENT" -> "bot default";
            default -> "built-in default";
        };
    }
}
