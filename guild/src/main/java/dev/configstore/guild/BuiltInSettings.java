package dev.configstore.guild;

import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.Setting;
import java.util.List;

/**
 * The three settings the guild facades serve, declared as every declared setting is: a type,
 * rules, an environment variable, a default, and the one scope they may be stored at, the guild.
 * Each is bound to a column of table {@code guild_config} ({@link GuildSetting#column()}), which
 * is where they have always been stored, so the original bot's database and those made by
 * configstore 0.1 keep working unchanged. Their keys are the columns' names.
 *
 * <p>{@link LoggingStore} and {@link FlaggerStore} read a guild's row through these declarations:
 * stored value, then environment ({@link ConfigDefaults}), then default, each with where it came
 * from. A stored value that breaks a declaration's rules (silent days 3 written with {@code psql},
 * a logging channel that is not a snowflake) is never served: it is skipped, counted and logged
 * once, and the read falls through to the environment or the default. {@link
 * GuildConfig#snapshot(String)} shows what was skipped and why.
 */
public final class BuiltInSettings {

    /**
     * The channel the bot logs to: a snowflake, from column {@code logging_channel_id}, else
     * {@value ConfigDefaults#LOGGING_CHANNEL}, else none.
     */
    public static final Setting<String> LOGGING_CHANNEL = Setting.snowflake("logging_channel_id")
            .environment(ConfigDefaults.LOGGING_CHANNEL)
            .scopes(Scope.GUILD)
            .description("The channel the bot posts its log messages to.")
            .build();

    /**
     * The channel flagged first messages are reported to: a snowflake, from column {@code
     * flags_channel_id}, else {@value ConfigDefaults#FLAGGED_REPORT_CHANNEL_ID}, else none.
     */
    public static final Setting<String> FLAGS_CHANNEL = Setting.snowflake("flags_channel_id")
            .environment(ConfigDefaults.FLAGGED_REPORT_CHANNEL_ID)
            .scopes(Scope.GUILD)
            .description("The channel flagged first messages are reported to.")
            .build();

    /**
     * How many days a member must have been silent before a first message is flagged: from
     * {@value FlaggerStore#MIN_SILENT_DAYS} to {@value FlaggerStore#MAX_SILENT_DAYS} ("Silent days
     * threshold must be between 7 and 365 days"), from column {@code silent_first_msg_days}, else
     * {@value ConfigDefaults#SILENT_FIRST_MSG_DAYS}, else {@value FlaggerStore#DEFAULT_SILENT_DAYS}.
     */
    public static final Setting<Integer> SILENT_FIRST_MSG_DAYS = Setting.integer(
                    "silent_first_msg_days", Rule.range(FlaggerStore.MIN_SILENT_DAYS, FlaggerStore.MAX_SILENT_DAYS))
            .defaultValue(FlaggerStore.DEFAULT_SILENT_DAYS)
            .environment(ConfigDefaults.SILENT_FIRST_MSG_DAYS)
            .scopes(Scope.GUILD)
            .description("How many days a member must have been silent before a first message is flagged."
                    + " Silent days threshold must be between 7 and 365 days.")
            .build();

    private static final List<Setting<?>> ALL = List.of(LOGGING_CHANNEL, FLAGS_CHANNEL, SILENT_FIRST_MSG_DAYS);

    private BuiltInSettings() {}

    /**
     * Returns the three settings, in the order of {@link GuildSetting}'s constants.
     *
     * @return the settings, unmodifiable
     */
    public static List<Setting<?>> all() {
        return ALL;
    }
}
