package dev.configstore.guild;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The settings stored for one guild, as a backend holds them; a setting not stored is empty.
 * Immutable, so a store can hand the cached instance to every caller.
 *
 * <p>Values are taken as given: validation (snowflakes, day ranges) belongs to the facades that
 * write them, so that a value written by another tool is still read back faithfully.
 *
 * @param loggingChannelId the stored logging channel, if any
 * @param flagsChannelId the stored channel for flagged messages, if any
 * @param silentFirstMsgDays the stored silent-days threshold, if any
 */
public record GuildSettings(
        Optional<String> loggingChannelId, Optional<String> flagsChannelId, OptionalInt silentFirstMsgDays) {

    /** A guild with nothing stored. */
    public static final GuildSettings EMPTY =
            new GuildSettings(Optional.empty(), Optional.empty(), OptionalInt.empty());

    /**
     * Checks that no component is null.
     *
     * @param loggingChannelId the stored logging channel, if any
     * @param flagsChannelId the stored channel for flagged messages, if any
     * @param silentFirstMsgDays the stored silent-days threshold, if any
     */
    public GuildSettings {
        Objects.requireNonNull(loggingChannelId, "loggingChannelId");
        Objects.requireNonNull(flagsChannelId, "flagsChannelId");
        Objects.requireNonNull(silentFirstMsgDays, "silentFirstMsgDays");
    }

    /**
     * Returns whether no setting is stored.
     *
     * @return true if every setting is empty
     */
    public boolean isEmpty() {
        return loggingChannelId.isEmpty() && flagsChannelId.isEmpty() && silentFirstMsgDays.isEmpty();
    }

    /**
     * Returns the stored value of one setting.
     *
     * @param setting the setting
     * @return its value, of the setting's {@link GuildSetting#valueType()}, or null if not stored
     */
    public @Nullable Object get(GuildSetting setting) {
        return switch (setting) {
            case LOGGING_CHANNEL_ID -> loggingChannelId.orElse(null);
            case FLAGS_CHANNEL_ID -> flagsChannelId.orElse(null);
            case SILENT_FIRST_MSG_DAYS -> silentFirstMsgDays.isPresent() ? silentFirstMsgDays.getAsInt() : null;
        };
    }

    /**
     * Returns these settings with one setting changed.
     *
     * @param setting the setting to change
     * @param value its new value, of the setting's {@link GuildSetting#valueType()}, or null to
     *     clear it
     * @return the changed settings
     * @throws IllegalArgumentException if {@code value} is not of the setting's type
     */
    public GuildSettings with(GuildSetting setting, @Nullable Object value) {
        if (value != null && !setting.valueType().isInstance(value)) {
            throw new IllegalArgumentException(
                    setting + " takes a " + setting.valueType().getSimpleName() + ", got a "
                            + value.getClass().getSimpleName() + ": " + value);
        }
        return switch (setting) {
            case LOGGING_CHANNEL_ID ->
                new GuildSettings(Optional.ofNullable((String) value), flagsChannelId, silentFirstMsgDays);
            case FLAGS_CHANNEL_ID ->
                new GuildSettings(loggingChannelId, Optional.ofNullable((String) value), silentFirstMsgDays);
            case SILENT_FIRST_MSG_DAYS ->
                new GuildSettings(
                        loggingChannelId,
                        flagsChannelId,
                        value == null ? OptionalInt.empty() : OptionalInt.of((Integer) value));
        };
    }
}
