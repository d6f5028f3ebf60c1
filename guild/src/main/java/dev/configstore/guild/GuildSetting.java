package dev.configstore.guild;

/** The settings stored per guild, each of which can be changed on its own. */
public enum GuildSetting {
    /** The channel the bot logs to: a snowflake, as a {@code String}. */
    LOGGING_CHANNEL_ID(String.class),
    /** The channel flagged messages are reported to: a snowflake, as a {@code String}. */
    FLAGS_CHANNEL_ID(String.class),
    /** How many days a member must have been silent before a first message is flagged: an {@code Integer}. */
    SILENT_FIRST_MSG_DAYS(Integer.class);

    private final Class<?> valueType;

    GuildSetting(Class<?> valueType) {
        this.valueType = valueType;
    }

    /**
     * Returns the type of this setting's values.
     *
     * @return {@code String.class} or {@code Integer.class}
     */
    public Class<?> valueType() {
        return valueType;
    }
}
