package dev.configstore.examples.bot;

import static dev.configstore.settings.Rule.length;
import static dev.configstore.settings.Rule.oneOf;
import static dev.configstore.settings.Rule.size;
import static dev.configstore.settings.Rule.unique;
import static dev.configstore.settings.Scope.CHANNEL;
import static dev.configstore.settings.Scope.GUILD;
import static dev.configstore.settings.Setting.bool;
import static dev.configstore.settings.Setting.list;
import static dev.configstore.settings.Setting.snowflake;
import static dev.configstore.settings.Setting.text;

import dev.configstore.StoreException;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.LoggingStore;
import dev.configstore.guild.Resolved;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.Actor;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.settings.Codec;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the example bot decides, without Discord: whether a message is flagged and where it is
 * reported, where log messages go, and what the {@code /config} command does. {@link ConfigBot}
 * only translates Discord events into these calls, so this is what the tests exercise.
 *
 * <p>Beside the three settings the {@code guild} facades keep (logging channel, flagged-report
 * channel, silent days), the bot declares five of its own below; that declaration is all the code
 * they take. {@code /config list}, {@code show}, {@code set} and {@code reset} work for every
 * declared setting from its declaration alone: its codec reads what the user typed, its rules
 * refuse bad values, its scopes say whether a channel may override it.
 */
public final class BotSettings {

    // declarations:start
    static final Setting<String> PREFIX = text("prefix", length(1, 5))
            .defaultValue("!")
            .environment("BOT_PREFIX")
            .build();
    static final Setting<String> LANGUAGE =
            text("language", oneOf("en", "de", "fr")).defaultValue("en").build();
    static final Setting<String> WELCOME_CHANNEL = snowflake("welcome_channel")
            .description("Where to greet new members")
            .build();
    static final Setting<List<String>> AUTO_ROLES = list("auto_roles", Codec.snowflake(), size(0, 10), unique())
            .description("Roles every new member gets")
            .build();
    static final Setting<Boolean> MUSIC =
            bool("music").defaultValue(false).scopes(GUILD, CHANNEL).build();
    // declarations:end

    /** Discord shows at most this many autocomplete choices. */
    static final int MAX_CHOICES = 25;

    private final LoggingStore logging;
    private final FlaggerStore flagger;
    private final Settings settings;
    private final MemberActivity activity;
    private final Function<HistoryQuery, List<AuditEntry>> history;

    /** How many changes {@code /config history} shows. */
    private static final int HISTORY_LINES = 10;

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
     * @param settings the bot's declared settings, made over {@link #schema}
     * @param activity when members last posted
     */
    public BotSettings(LoggingStore logging, FlaggerStore flagger, Settings settings, MemberActivity activity) {
        this(logging, flagger, settings, activity, query -> List.of());
    }

    /**
     * Creates the bot's settings logic with the store's audit trail, for {@code /config history}.
     *
     * @param logging where the guilds' logging channels are kept
     * @param flagger where the guilds' flagging setups are kept
     * @param settings the bot's declared settings, made over {@link #schema}
     * @param activity when members last posted
     * @param history reads the audit trail, such as {@code store::history}
     */
    public BotSettings(
            LoggingStore logging,
            FlaggerStore flagger,
            Settings settings,
            MemberActivity activity,
            Function<HistoryQuery, List<AuditEntry>> history) {
        this.logging = logging;
        this.flagger = flagger;
        this.settings = settings;
        this.activity = activity;
        this.history = history;
    }

    /**
     * Puts the bot's own settings together and checks them against the environment, as the bot
     * does once at start.
     *
     * @param environment the environment variables, such as {@code System.getenv()}
     * @return the schema
     * @throws IllegalArgumentException if an environment value breaks its setting's rules, such as
     *     a {@code BOT_PREFIX} of more than five characters; the message names the variable, the
     *     rule and the value
     */
    public static SettingsSchema schema(Map<String, String> environment) {
        return SettingsSchema.of(environment, PREFIX, LANGUAGE, WELCOME_CHANNEL, AUTO_ROLES, MUSIC);
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
     * <p>The subcommands: {@code list} (every setting, with its value and where it comes from),
     * {@code show} (one setting in full, or without {@code setting} the same as {@code list}),
     * {@code set} and {@code reset} (any declared setting, for the server or, with {@code
     * channel}, one channel where the setting allows it), and {@code logging}, {@code flags} and
     * {@code silent-days} for the three built-in settings (without a value, each clears its
     * setting).
     *
     * @param guildId the guild the command was typed in
     * @param subcommand the subcommand's name
     * @param options the subcommand's options by name, each as the text Discord sends: {@code
     *     setting} (a setting's key), {@code value} (text the setting's codec reads), {@code
     *     channel} (a channel id) and {@code days}
     * @return the reply
     */
    public String configCommand(String guildId, String subcommand, Map<String, String> options) {
        @Nullable String channel = options.get("channel");
        if ("history".equals(subcommand)) {
            return history(guildId, options.get("setting"));
        }
        try {
            switch (subcommand) {
                case "list" -> {
                    return listAll(guildId, channel);
                }
                case "show" -> {
                    String key = options.get("setting");
                    return key == null ? listAll(guildId, channel) : showSetting(guildId, key, channel);
                }
                case "set", "reset" -> {
                    return change(guildId, subcommand, options);
                }
                case "logging" -> {
                    if (channel == null) {
                        logging.clearLoggingChannelId(guildId);
                    } else {
                        logging.setLoggingChannelId(guildId, channel);
                    }
                }
                case "flags" -> {
                    if (channel == null) {
                        flagger.clearFlagsChannelId(guildId);
                    } else {
                        flagger.setFlagsChannelId(guildId, channel);
                    }
                }
                case "silent-days" -> {
                    String days = options.get("days");
                    if (days == null) {
                        flagger.clearSilentFirstMsgDays(guildId);
                    } else {
                        flagger.setSilentFirstMsgDays(guildId, parseDays(days));
                    }
                }
                default -> {
                    return "Unknown subcommand \"" + subcommand + "\". Try /config list.";
                }
            }
            return "Saved.\n" + show(guildId);
        } catch (IllegalArgumentException e) {
            return (readOnly(subcommand) ? "Cannot show that: " : "Not saved: ") + e.getMessage();
        } catch (StoreException e) {
            return readOnly(subcommand)
                    ? "The settings could not be read right now; try again shortly. (" + e.reason() + ")"
                    : "Not saved, the settings could not be stored right now; nothing was changed. (" + e.reason()
                            + ")";
        }
    }

    /**
     * Answers {@code /config} as {@link #configCommand(String, String, Map)} does, with every change
     * recorded in the audit trail as made by the Discord user who typed the command.
     *
     * @param guildId the guild the command was typed in
     * @param userId the id of the user who typed it
     * @param subcommand the subcommand's name
     * @param options the subcommand's options by name
     * @return the reply
     */
    public String configCommand(String guildId, String userId, String subcommand, Map<String, String> options) {
        return Actor.call("discord:" + userId, () -> configCommand(guildId, subcommand, options));
    }

    /** The last changes of the guild's settings (or of one), the newest first, as Discord shows them. */
    private String history(String guildId, @Nullable String key) {
        HistoryQuery query = HistoryQuery.guild(guildId).limit(HISTORY_LINES);
        if (key != null) {
            query = query.key(key);
        }
        List<AuditEntry> entries;
        try {
            entries = history.apply(query);
        } catch (StoreException e) {
            return "The history could not be read right now; try again shortly. (" + e.reason() + ")";
        }
        if (entries.isEmpty()) {
            return key == null ? "No changes recorded for this server." : "No changes recorded for " + key + ".";
        }
        StringJoiner lines = new StringJoiner("\n", "Last changes, newest first:\n", "");
        for (AuditEntry entry : entries) {
            String who = entry.actor().startsWith("discord:")
                    ? "<@" + entry.actor().substring("discord:".length()) + ">"
                    : "`" + entry.actor() + "`";
            String where = entry.scope() == AuditEntry.Scope.CHANNEL ? " in <#" + entry.channelId() + ">" : "";
            lines.add("<t:" + entry.at().getEpochSecond() + ":R> " + who + ": " + entry.key() + where + " "
                    + shown(entry.oldValue()) + " → " + shown(entry.newValue()));
        }
        return lines.toString();
    }

    private static String shown(@Nullable String value) {
        return value == null ? "(none)" : "`" + value.replace("`", "'") + "`";
    }

    private static boolean readOnly(String subcommand) {
        return "list".equals(subcommand) || "show".equals(subcommand);
    }

    /**
     * Returns the keys of the declared settings that start with what the user has typed so far,
     * ignoring case, in the order they are declared: the choices {@code /config} offers for its
     * {@code setting} option.
     *
     * @param typed what the user has typed; empty for every setting
     * @return at most 25 keys, as many as Discord shows
     */
    public List<String> settingNames(String typed) {
        String prefix = typed.strip().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (Setting<?> setting : settings.schema().settings()) {
            if (names.size() < MAX_CHOICES && setting.key().startsWith(prefix)) {
                names.add(setting.key());
            }
        }
        return names;
    }

    /** Every setting of the guild, the three built-in ones first, each with where it comes from. */
    private String listAll(String guildId, @Nullable String channel) {
        StringJoiner lines = new StringJoiner("\n");
        lines.add(show(guildId));
        if (channel != null) {
            Snowflakes.requireValid(channel, "channel");
            lines.add("In <#" + channel + ">:");
        }
        for (Setting<?> setting : settings.schema().settings()) {
            lines.add(line(setting, resolve(setting, guildId, channel), channel));
        }
        return lines.toString();
    }

    private String showSetting(String guildId, String key, @Nullable String channel) {
        Setting<?> setting = declared(key);
        if (channel != null) {
            Snowflakes.requireValid(channel, "channel");
        }
        return describe(setting, resolve(setting, guildId, channel), channel);
    }

    private String change(String guildId, String subcommand, Map<String, String> options) {
        String key = options.get("setting");
        if (key == null) {
            return "Not saved: name the setting, for example /config " + subcommand + " setting:prefix.";
        }
        Setting<?> setting = declared(key);
        @Nullable String channel = options.get("channel");
        ScopeId where;
        if (channel != null) {
            if (!setting.allows(Scope.CHANNEL)) {
                return "Not saved: " + key + " is one value for the whole server; it cannot be set per channel."
                        + " Leave out the channel to " + subcommand + " it for the server.";
            }
            where = ScopeId.channel(guildId, channel);
        } else {
            if (!setting.allows(Scope.GUILD)) {
                return "Not saved: " + key + " cannot be set for the whole server; name a channel.";
            }
            where = ScopeId.guild(guildId);
        }
        if ("reset".equals(subcommand)) {
            settings.reset(setting, where);
        } else {
            String value = options.get("value");
            if (value == null) {
                return "Not saved: give the value, for example /config set setting:" + key + " value:...; to go"
                        + " back to the default use /config reset.";
            }
            set(setting, where, value);
        }
        return "Saved.\n" + line(setting, resolve(setting, guildId, channel), channel);
    }

    private <T> void set(Setting<T> setting, ScopeId where, String text) {
        settings.set(setting, where, setting.decode(text));
    }

    private Setting<?> declared(String key) {
        return settings.schema()
                .setting(key.strip())
                .orElseThrow(() -> new IllegalArgumentException(
                        "there is no setting \"" + key + "\". /config list shows every setting."));
    }

    private Resolution<?> resolve(Setting<?> setting, String guildId, @Nullable String channel) {
        return channel == null ? settings.resolve(setting, guildId) : settings.resolve(setting, guildId, channel);
    }

    /** One line: the key, the value and where it comes from, and a warning if a value was skipped. */
    private static <T> String line(Setting<T> setting, Resolution<?> resolution, @Nullable String channel) {
        StringBuilder line = new StringBuilder(setting.key()).append(": ");
        line.append(valueText(setting, resolution))
                .append(" (")
                .append(origin(setting, resolution, channel))
                .append(')');
        if (resolution.hasSkipped()) {
            line.append(" - ignoring an invalid stored value, see /config show setting:")
                    .append(setting.key());
        }
        return line.toString();
    }

    /** Everything about one setting: value, provenance, skipped values and the declaration. */
    private static <T> String describe(Setting<T> setting, Resolution<?> resolution, @Nullable String channel) {
        StringJoiner lines = new StringJoiner("\n");
        lines.add(setting.key() + ": " + valueText(setting, resolution) + " (" + origin(setting, resolution, channel)
                + ")");
        for (Resolution.Skipped skipped : resolution.skipped()) {
            lines.add("Ignored the value `" + skipped.text() + "` stored " + scopeName(skipped.scope()) + ": "
                    + skipped.reason() + ". Set a valid value or reset it.");
        }
        if (!setting.description().isEmpty()) {
            lines.add("What it is: " + setting.description());
        }
        lines.add("Type: " + setting.codec().type());
        lines.add("Rules: " + (setting.ruleTexts().isEmpty() ? "none" : String.join(", ", setting.ruleTexts())));
        List<String> scopes = new ArrayList<>();
        for (Scope scope : setting.scopes()) {
            scopes.add(scopeName(scope));
        }
        lines.add("Can be set: " + String.join(", ", scopes));
        String fallback = setting.defaultValue()
                .map(value -> "`" + setting.encode(value) + "`")
                .orElse("none");
        lines.add("Default: " + fallback
                + setting.environmentVariable()
                        .map(name -> ", or " + name + " if the bot sets it")
                        .orElse(""));
        return lines.toString();
    }

    @SuppressWarnings("unchecked") // a resolution of a setting holds that setting's type
    private static <T> String valueText(Setting<T> setting, Resolution<?> resolution) {
        Optional<T> value = (Optional<T>) resolution.value();
        return value.map(v -> "`" + setting.codec().encode(v) + "`").orElse("not set");
    }

    private static String origin(Setting<?> setting, Resolution<?> resolution, @Nullable String channel) {
        return switch (resolution.origin()) {
            case CHANNEL -> "set for <#" + channel + ">";
            case GUILD -> "set for this server";
            case GLOBAL -> "set for the whole bot";
            case ENVIRONMENT -> "bot default, " + setting.environmentVariable().orElse("environment");
            case DEFAULT -> "built-in default";
            case NONE -> "no default";
        };
    }

    private static String scopeName(Scope scope) {
        return switch (scope) {
            case GLOBAL -> "for the whole bot (by its operator)";
            case GUILD -> "for this server";
            case CHANNEL -> "per channel";
        };
    }

    /**
     * Describes the guild's three built-in settings and where each comes from, the first lines of
     * {@code /config list}.
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
