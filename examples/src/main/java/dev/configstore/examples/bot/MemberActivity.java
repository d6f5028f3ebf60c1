package dev.configstore.examples.bot;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.Snowflakes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When each member last posted in each guild, kept durably so that a silence is measured across
 * restarts of the bot, and per guild so that posting in one guild never ends a silence in
 * another. Called on every message: reads come from the cache, and a member's time is written at
 * most once per {@link #PRECISION} however much they post, so a silence is measured at most that
 * much too long.
 */
public final class MemberActivity {

    /** How stale a recorded time may be before a new message records it again. */
    public static final Duration PRECISION = Duration.ofHours(1);

    private final CachedKeyValueStore<String, String> lastMessages;

    /**
     * Creates the record over a store of its own, such as {@code
     * sqliteConfigStore.keyValueStore("last-message")}.
     *
     * @param lastMessages where each member's last message time is kept, in epoch seconds, by
     *     {@code guild:member}
     */
    public MemberActivity(CachedKeyValueStore<String, String> lastMessages) {
        this.lastMessages = lastMessages;
    }

    /**
     * Records a message and returns how long its author had been silent in that guild before it:
     * since their last message there, or since they joined if that came later or no message is
     * known.
     *
     * @param guildId the guild the message was posted in
     * @param memberId its author
     * @param postedAt when it was posted
     * @param joinedAt when its author joined the guild
     * @return the silence before this message; zero for a message posted out of order
     * @throws IllegalArgumentException if an id is not a snowflake
     * @throws dev.configstore.StoreException if the record could not be read or written
     */
    public Duration messagePosted(String guildId, String memberId, Instant postedAt, Instant joinedAt) {
        String key = Snowflakes.requireValid(guildId, "guildId") + ":" + Snowflakes.requireValid(memberId, "memberId");
        Optional<Instant> previous =
                lastMessages.get(key).map(seconds -> Instant.ofEpochSecond(Long.parseLong(seconds)));
        if (previous.isEmpty() || !postedAt.isBefore(previous.get().plus(PRECISION))) {
            lastMessages.put(key, Long.toString(postedAt.getEpochSecond()));
        }
        Instant silentSince = previous.filter(last -> last.isAfter(joinedAt)).orElse(joinedAt);
        Duration silence = Duration.between(silentSince, postedAt);
        return silence.isNegative() ? Duration.ZERO : silence;
    }
}
