package dev.configstore.guild;

import dev.configstore.settings.GuildSnapshot;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the facades read from one guild's row: the values a snapshot of the {@link
 * BuiltInSettings} resolved from it, in the forms the facades return. Made once per cached row
 * (and kept with it, see {@link GuildSettings#resolved}), so a read that hits the cache allocates
 * nothing. The snapshot itself is kept only once {@link GuildConfig#snapshot} asks for it: the
 * facades need only what it resolved, and a cached guild then costs a few dozen bytes more
 * rather than several hundred.
 */
final class GuildEntry {

    /** The facades' rows it was made for: their declarations and environment. */
    final GuildRows owner;

    /** The guild it was made for; {@code ""} for a guild with nothing stored. */
    final String guildId;

    /**
     * The row's snapshot, once asked for; made again from the row by whichever reader finds it
     * missing (every one is equal, and immutable with final fields, so it is published without a
     * lock). Stays null for a guild with nothing stored.
     */
    @Nullable
    GuildSnapshot snapshot;

    /** The logging channel with its source. */
    final Resolved<String> loggingChannel;

    /** The logging channel alone: {@code loggingChannel.value()}, one read nearer for a hit. */
    final Optional<String> loggingChannelId;

    /** The flagger's setup with the source of each field. */
    final FlaggerConfig flagger;

    GuildEntry(GuildRows owner, String guildId, Resolved<String> loggingChannel, FlaggerConfig flagger) {
        this.owner = owner;
        this.guildId = guildId;
        this.loggingChannel = loggingChannel;
        this.loggingChannelId = loggingChannel.value();
        this.flagger = flagger;
    }
}
