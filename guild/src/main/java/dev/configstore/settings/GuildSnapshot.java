package dev.configstore.settings;

import dev.configstore.guild.Snowflakes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A guild's settings at one moment, all scopes under it: resolved for a channel channel → guild →
 * global → environment → default, and for the guild itself guild → global → environment →
 * default, falling through a layer only when it has no value or its value is skipped as invalid.
 *
 * <p>A snapshot is immutable and thread-safe, and meant to be one cache entry. Each (setting,
 * channel) is resolved at most once per snapshot and remembered: a repeated {@link #resolve} or
 * {@link #get} returns the same object and allocates nothing. A channel with nothing stored reads
 * the guild's resolution. Reads never throw for what is stored: an invalid stored value is
 * skipped, reported in the {@link Resolution}, and counted and logged by the {@link
 * SettingsSchema}.
 */
public final class GuildSnapshot {

    private final GlobalSnapshot global;
    private final String guildId;
    private final StoredLayer guild;
    private final Map<String, StoredLayer> channels;
    // Read on every hit: kept here rather than reached through the global snapshot and the layer.
    private final SettingsSchema schema;
    private final AtomicReferenceArray<Resolution<?>> guildMemos;

    GuildSnapshot(GlobalSnapshot global, String guildId, StoredLayer guild, Map<String, StoredLayer> channels) {
        this.global = global;
        this.guildId = guildId;
        this.guild = guild;
        this.channels = Map.copyOf(channels);
        this.schema = global.schema();
        this.guildMemos = guild.memos();
    }

    /**
     * Returns the guild's id.
     *
     * @return the id
     */
    public String guildId() {
        return guildId;
    }

    /**
     * Returns the bot-wide snapshot this one was made over.
     *
     * @return the global snapshot
     */
    public GlobalSnapshot global() {
        return global;
    }

    /**
     * Resolves a setting for the guild.
     *
     * @param setting a setting of the schema
     * @param <T> the value type
     * @return the value with its provenance
     * @throws IllegalArgumentException if the setting is not in the schema
     */
    @SuppressWarnings("unchecked")
    public <T> Resolution<T> resolve(Setting<T> setting) {
        int index = schema.index(setting);
        Resolution<?> known = guildMemos.get(index);
        if (known != null) {
            return (Resolution<T>) known;
        }
        return (Resolution<T>) guild.remember(index, StoredLayer.resolve(schema, index, guild, global.layer()));
    }

    /**
     * Resolves a setting for a channel of the guild.
     *
     * @param setting a setting of the schema
     * @param channelId the channel's id, a snowflake
     * @param <T> the value type
     * @return the value with its provenance
     * @throws IllegalArgumentException if the setting is not in the schema or the id is not a
     *     snowflake
     */
    @SuppressWarnings("unchecked")
    public <T> Resolution<T> resolve(Setting<T> setting, String channelId) {
        StoredLayer channel = channelId == null ? null : channels.get(channelId);
        if (channel == null) {
            if (!Snowflakes.isValid(channelId)) {
                Snowflakes.requireValid(channelId, "channelId");
            }
            return resolve(setting);
        }
        int index = schema.index(setting);
        Resolution<?> known = channel.memo(index);
        if (known != null) {
            return (Resolution<T>) known;
        }
        return (Resolution<T>)
                channel.remember(index, StoredLayer.resolve(schema, index, channel, guild, global.layer()));
    }

    /**
     * Returns a setting's value for the guild.
     *
     * @param setting a setting of the schema
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema
     */
    public <T> Optional<T> get(Setting<T> setting) {
        return resolve(setting).value();
    }

    /**
     * Returns a setting's value for a channel of the guild.
     *
     * @param setting a setting of the schema
     * @param channelId the channel's id, a snowflake
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema or the id is not a
     *     snowflake
     */
    public <T> Optional<T> get(Setting<T> setting, String channelId) {
        return resolve(setting, channelId).value();
    }
}
