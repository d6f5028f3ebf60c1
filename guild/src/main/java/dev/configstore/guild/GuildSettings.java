package dev.configstore.guild;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The settings stored for one guild, as a backend holds them; a setting not stored is empty.
 * Immutable, so a store can hand the cached instance to every caller. Two instances are equal when
 * their three values are.
 *
 * <p>Values are taken as given: validation (snowflakes, day ranges) belongs to the facades that
 * write them, so that a value written by another tool is still read back faithfully. The facades
 * read a guild's row through the {@link BuiltInSettings declared settings}, which skip a stored
 * value that breaks their rules.
 */
public final class GuildSettings {

    /** A guild with nothing stored. */
    public static final GuildSettings EMPTY =
            new GuildSettings(Optional.empty(), Optional.empty(), OptionalInt.empty());

    private final Optional<String> loggingChannelId;
    private final Optional<String> flagsChannelId;
    private final OptionalInt silentFirstMsgDays;
    private final @Nullable String unreadableSilentDays;

    /**
     * What the facades resolved from this row, made on the first read of a cached row and kept
     * with it, so that a later read of the same row allocates nothing. Derived from the three
     * values alone (and the reader's declarations and guild, which it records); not part of the
     * value. Racing readers may each make one; every one is equal and immutable (final fields
     * only), so publishing it without a lock is safe.
     */
    @Nullable
    GuildEntry resolved;

    /**
     * Makes a guild's stored settings.
     *
     * @param loggingChannelId the stored logging channel, if any
     * @param flagsChannelId the stored channel for flagged messages, if any
     * @param silentFirstMsgDays the stored silent-days threshold, if any
     * @throws NullPointerException if a component is null
     */
    public GuildSettings(
            Optional<String> loggingChannelId, Optional<String> flagsChannelId, OptionalInt silentFirstMsgDays) {
        this(loggingChannelId, flagsChannelId, silentFirstMsgDays, null);
    }

    private GuildSettings(
            Optional<String> loggingChannelId,
            Optional<String> flagsChannelId,
            OptionalInt silentFirstMsgDays,
            @Nullable String unreadableSilentDays) {
        this.loggingChannelId = Objects.requireNonNull(loggingChannelId, "loggingChannelId");
        this.flagsChannelId = Objects.requireNonNull(flagsChannelId, "flagsChannelId");
        this.silentFirstMsgDays = Objects.requireNonNull(silentFirstMsgDays, "silentFirstMsgDays");
        this.unreadableSilentDays = unreadableSilentDays;
    }

    /**
     * Returns these settings with a silent-days value that is stored but is not a whole number
     * (text, a fraction, a number too large for an {@code int}), as a table written by another
     * tool may hold: a backend reads it as it is instead of failing. It is kept as text, {@link
     * #silentFirstMsgDays()} is empty, and the facades skip it (counted and logged once) as they
     * skip any stored value that breaks a rule. Written back whole ({@link
     * GuildSettingsBackend#write}), such settings store no silent days.
     *
     * @param storedText the stored value, as text
     * @return the settings with it
     * @throws NullPointerException if {@code storedText} is null
     */
    public GuildSettings withUnreadableSilentDays(String storedText) {
        return new GuildSettings(
                loggingChannelId,
                flagsChannelId,
                OptionalInt.empty(),
                Objects.requireNonNull(storedText, "storedText"));
    }

    /**
     * Returns the stored silent-days value that is not a whole number, if the backend found one.
     *
     * @return its text, if stored; empty when {@link #silentFirstMsgDays()} holds the value or none
     *     is stored
     */
    public Optional<String> unreadableSilentDays() {
        return Optional.ofNullable(unreadableSilentDays);
    }

    /**
     * Returns the stored logging channel.
     *
     * @return the channel, if stored
     */
    public Optional<String> loggingChannelId() {
        return loggingChannelId;
    }

    /**
     * Returns the stored channel for flagged messages.
     *
     * @return the channel, if stored
     */
    public Optional<String> flagsChannelId() {
        return flagsChannelId;
    }

    /**
     * Returns the stored silent-days threshold.
     *
     * @return the threshold, if stored
     */
    public OptionalInt silentFirstMsgDays() {
        return silentFirstMsgDays;
    }

    /**
     * Returns whether no setting is stored.
     *
     * @return true if every setting is empty, and no {@link #unreadableSilentDays()} is stored
     */
    public boolean isEmpty() {
        return loggingChannelId.isEmpty()
                && flagsChannelId.isEmpty()
                && silentFirstMsgDays.isEmpty()
                && unreadableSilentDays == null;
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
     * Returns these settings with one setting changed. Changing the silent days replaces an
     * {@link #unreadableSilentDays()} value too.
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
                new GuildSettings(
                        Optional.ofNullable((String) value), flagsChannelId, silentFirstMsgDays, unreadableSilentDays);
            case FLAGS_CHANNEL_ID ->
                new GuildSettings(
                        loggingChannelId,
                        Optional.ofNullable((String) value),
                        silentFirstMsgDays,
                        unreadableSilentDays);
            case SILENT_FIRST_MSG_DAYS ->
                new GuildSettings(
                        loggingChannelId,
                        flagsChannelId,
                        value == null ? OptionalInt.empty() : OptionalInt.of((Integer) value));
        };
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof GuildSettings that
                && loggingChannelId.equals(that.loggingChannelId)
                && flagsChannelId.equals(that.flagsChannelId)
                && silentFirstMsgDays.equals(that.silentFirstMsgDays)
                && Objects.equals(unreadableSilentDays, that.unreadableSilentDays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loggingChannelId, flagsChannelId, silentFirstMsgDays, unreadableSilentDays);
    }

    @Override
    public String toString() {
        return "GuildSettings[loggingChannelId=" + loggingChannelId + ", flagsChannelId=" + flagsChannelId
                + ", silentFirstMsgDays=" + silentFirstMsgDays
                + (unreadableSilentDays == null ? "" : ", unreadableSilentDays=" + unreadableSilentDays) + "]";
    }
}
