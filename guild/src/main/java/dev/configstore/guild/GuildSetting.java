package dev.configstore.guild;

import dev.configstore.settings.Setting;

/**
 * The settings stored per guild, each of which can be changed on its own: the columns of table
 * {@code guild_config}, each bound to one of the {@link BuiltInSettings declared settings}.
 */
public enum GuildSetting {
    /** The channel the bot logs to: a snowflake, as a {@code String}. */
    LOGGING_CHANNEL_ID(String.class, "logging_channel_id"),
    /** The channel flagged messages are reported to: a snowflake, as a {@code String}. */
    FLAGS_CHANNEL_ID(String.class, "flags_channel_id"),
    /** How many days a member must have been silent before a first message is flagged: an {@code Integer}. */
    SILENT_FIRST_MSG_DAYS(Integer.class, "silent_first_msg_days");

    private final Class<?> valueType;
    private final String column;

    GuildSetting(Class<?> valueType, String column) {
        this.valueType = valueType;
        this.column = column;
    }

    /**
     * Returns the type of this setting's values.
     *
     * @return {@code String.class} or {@code Integer.class}
     */
    public Class<?> valueType() {
        return valueType;
    }

    /**
     * Returns the column of table {@code guild_config} this setting is stored in.
     *
     * @return the column's name, such as {@code logging_channel_id}
     */
    public String column() {
        return column;
    }

    /**
     * Returns the declaration this setting's values are read and checked by.
     *
     * @return one of {@link BuiltInSettings#all()}, whose key is {@link #column()}
     */
    public Setting<?> setting() {
        // A switch rather than a field: the declarations and these constants initialise apart.
        return switch (this) {
            case LOGGING_CHANNEL_ID -> BuiltInSettings.LOGGING_CHANNEL;
            case FLAGS_CHANNEL_ID -> BuiltInSettings.FLAGS_CHANNEL;
            case SILENT_FIRST_MSG_DAYS -> BuiltInSettings.SILENT_FIRST_MSG_DAYS;
        };
    }
}
