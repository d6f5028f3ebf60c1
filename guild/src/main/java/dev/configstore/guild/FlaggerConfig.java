package dev.configstore.guild;

import java.util.Objects;
import java.util.Optional;

/**
 * How a guild's flagging of first messages is set up, resolved field by field: the value stored
 * for the guild, else the bot's environment default, else the built-in default.
 *
 * @param channelId where flagged messages are reported, or empty if nowhere
 * @param silentDays how many days a member must have been silent before a first message is flagged
 * @param channelSource where {@code channelId} came from
 * @param silentDaysSource where {@code silentDays} came from
 */
public record FlaggerConfig(Optional<String> channelId, int silentDays, Source channelSource, Source silentDaysSource) {

    /**
     * Checks that no component is null.
     *
     * @param channelId where flagged messages are reported, or empty
     * @param silentDays the silent-days threshold
     * @param channelSource where {@code channelId} came from
     * @param silentDaysSource where {@code silentDays} came from
     */
    public FlaggerConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(channelSource, "channelSource");
        Objects.requireNonNull(silentDaysSource, "silentDaysSource");
    }
}
