package dev.configstore.examples.bot;

import dev.configstore.guild.Snowflakes;

/**
 * What the bot posts when a member joins: a setting whose value is a record, stored as JSON by
 * {@link JsonCodec}.
 *
 * @param channelId the channel to post in, a snowflake
 * @param text the message, 1 to 2,000 characters ({@code {member}} is replaced by a mention)
 * @param mention whether to mention the member
 */
public record WelcomeMessage(String channelId, String text, boolean mention) {

    /**
     * Checks the fields.
     *
     * @param channelId the channel to post in, a snowflake
     * @param text the message, 1 to 2,000 characters
     * @param mention whether to mention the member
     * @throws IllegalArgumentException if the channel is not a snowflake or the text is empty or
     *     longer than Discord allows
     */
    public WelcomeMessage {
        Snowflakes.requireValid(channelId, "channelId");
        if (text == null || text.isEmpty() || text.length() > 2_000) {
            throw new IllegalArgumentException("text must be 1 to 2,000 characters, got "
                    + (text == null ? "null" : text.length() + " characters"));
        }
    }
}
