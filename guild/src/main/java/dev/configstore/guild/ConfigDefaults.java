package dev.configstore.guild;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The bot-wide defaults a guild falls back to when it has no value stored, read once from the
 * environment (or a map) and checked when created, so that a bad value stops the bot at start
 * instead of surfacing on some later message.
 *
 * <p>Variables: {@value #LOGGING_CHANNEL} and {@value #FLAGGED_REPORT_CHANNEL_ID} (snowflakes),
 * {@value #SILENT_FIRST_MSG_DAYS} (a whole number from {@value FlaggerStore#MIN_SILENT_DAYS} to
 * {@value FlaggerStore#MAX_SILENT_DAYS}). A variable that is unset or set to the empty string has
 * no value.
 */
public final class ConfigDefaults {

    /** The variable naming the default logging channel. */
    public static final String LOGGING_CHANNEL = "LOGGING_CHANNEL";

    /** The variable naming the default channel for flagged messages. */
    public static final String FLAGGED_REPORT_CHANNEL_ID = "FLAGGED_REPORT_CHANNEL_ID";

    /** The variable holding the default silent-days threshold. */
    public static final String SILENT_FIRST_MSG_DAYS = "SILENT_FIRST_MSG_DAYS";

    private static final ConfigDefaults NONE = new ConfigDefaults(Map.of());

    private final Optional<String> loggingChannelId;
    private final Optional<String> flaggedReportChannelId;
    private final OptionalInt silentFirstMsgDays;

    private ConfigDefaults(Map<String, String> variables) {
        this.loggingChannelId = Optional.ofNullable(snowflake(variables, LOGGING_CHANNEL));
        this.flaggedReportChannelId = Optional.ofNullable(snowflake(variables, FLAGGED_REPORT_CHANNEL_ID));
        this.silentFirstMsgDays = days(variables);
    }

    /**
     * Reads the defaults from this process's environment variables.
     *
     * @return the defaults
     * @throws IllegalArgumentException if a variable is set to a bad value; the message names it
     */
    public static ConfigDefaults fromEnvironment() {
        return of(System.getenv());
    }

    /**
     * Reads the defaults from a map of variable names to values; other entries are ignored.
     *
     * @param variables the variables, such as {@code System.getenv()}
     * @return the defaults
     * @throws IllegalArgumentException if {@code variables} is null or a variable is set to a bad
     *     value; the message names the variable and the value
     */
    public static ConfigDefaults of(Map<String, String> variables) {
        if (variables == null) {
            throw new IllegalArgumentException("variables must not be null");
        }
        return new ConfigDefaults(variables);
    }

    /**
     * Returns defaults with no variable set: guilds fall back to the built-in defaults.
     *
     * @return empty defaults
     */
    public static ConfigDefaults none() {
        return NONE;
    }

    /**
     * Returns the value of {@value #LOGGING_CHANNEL}.
     *
     * @return the default logging channel, if set
     */
    public Optional<String> loggingChannelId() {
        return loggingChannelId;
    }

    /**
     * Returns the value of {@value #FLAGGED_REPORT_CHANNEL_ID}.
     *
     * @return the default channel for flagged messages, if set
     */
    public Optional<String> flaggedReportChannelId() {
        return flaggedReportChannelId;
    }

    /**
     * Returns the value of {@value #SILENT_FIRST_MSG_DAYS}.
     *
     * @return the default silent-days threshold, if set
     */
    public OptionalInt silentFirstMsgDays() {
        return silentFirstMsgDays;
    }

    /**
     * Returns the variables that are set, checked, as text: what the {@link BuiltInSettings}
     * declarations read as their environment.
     */
    Map<String, String> variables() {
        Map<String, String> variables = new java.util.HashMap<>();
        loggingChannelId.ifPresent(channel -> variables.put(LOGGING_CHANNEL, channel));
        flaggedReportChannelId.ifPresent(channel -> variables.put(FLAGGED_REPORT_CHANNEL_ID, channel));
        silentFirstMsgDays.ifPresent(days -> variables.put(SILENT_FIRST_MSG_DAYS, Integer.toString(days)));
        return Map.copyOf(variables);
    }

    private static @Nullable String snowflake(Map<String, String> variables, String name) {
        String value = value(variables, name);
        return value == null ? null : Snowflakes.requireValid(value, "Environment variable " + name);
    }

    private static OptionalInt days(Map<String, String> variables) {
        String value = value(variables, SILENT_FIRST_MSG_DAYS);
        if (value == null) {
            return OptionalInt.empty();
        }
        int days = -1;
        // ASCII digits only, as FlaggerStore.parseSilentDays: Integer.parseInt alone would also
        // take a sign and the digits of other scripts.
        if (FlaggerStore.isAsciiNumber(value)) {
            try {
                days = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                days = -1;
            }
        }
        if (!FlaggerStore.isValidSilentDays(days)) {
            throw new IllegalArgumentException("Environment variable " + SILENT_FIRST_MSG_DAYS
                    + " must be a whole number of days between " + FlaggerStore.MIN_SILENT_DAYS + " and "
                    + FlaggerStore.MAX_SILENT_DAYS + ", got \"" + value + "\". Fix or unset it, then restart.");
        }
        return OptionalInt.of(days);
    }

    private static @Nullable String value(Map<String, String> variables, String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ConfigDefaults that
                && loggingChannelId.equals(that.loggingChannelId)
                && flaggedReportChannelId.equals(that.flaggedReportChannelId)
                && silentFirstMsgDays.equals(that.silentFirstMsgDays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loggingChannelId, flaggedReportChannelId, silentFirstMsgDays);
    }

    @Override
    public String toString() {
        return "ConfigDefaults[" + LOGGING_CHANNEL + "=" + loggingChannelId.orElse("unset") + ", "
                + FLAGGED_REPORT_CHANNEL_ID + "=" + flaggedReportChannelId.orElse("unset") + ", "
                + SILENT_FIRST_MSG_DAYS + "="
                + (silentFirstMsgDays.isPresent() ? Integer.toString(silentFirstMsgDays.getAsInt()) : "unset") + "]";
    }
}
