package dev.configstore.guild;

import dev.configstore.settings.GuildSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * What the facades read from one guild's row: the row as a snapshot of the {@link
 * BuiltInSettings} and the values resolved from it, in the forms the facades return. Made once
 * per cached row (and kept with it, see {@link GuildSettings#resolved}), so a read that hits the
 * cache allocates nothing. Immutable.
 */
final class GuildEntry {

    /** The facades' rows it was made for: their declarations and environment. */
    final GuildRows owner;

    /** The guild it was made for; {@code ""} for a guild with nothing stored. */
    final String guildId;

    /** The guild's snapshot; null for a guild with nothing stored, whose reads are the fallbacks. */
    final @Nullable GuildSnapshot snapshot;

    /** The logging channel with its source. */
    final Resolved<String> loggingChannel;

    /** The flagger's setup with the source of each field. */
    final FlaggerConfig flagger;

    GuildEntry(
            GuildRows owner,
            String guildId,
            @Nullable GuildSnapshot snapshot,
            Resolved<String> loggingChannel,
            FlaggerConfig flagger) {
        this.owner = owner;
        this.guildId = guildId;
        this.snapshot = snapshot;
        this.loggingChannel = loggingChannel;
        this.flagger = flagger;
    }
}
