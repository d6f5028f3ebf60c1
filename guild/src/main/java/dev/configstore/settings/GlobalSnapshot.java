package dev.configstore.settings;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings stored for the whole bot at one moment, resolved global → environment → default;
 * and the base every {@link GuildSnapshot} is made from.
 *
 * <p>A snapshot is immutable and thread-safe. Each setting is resolved at most once per snapshot
 * and remembered, so a repeated {@link #resolve} or {@link #get} returns the same object and
 * allocates nothing. Reads never throw for what is stored: an invalid stored value is skipped and
 * reported in the {@link Resolution}.
 */
public final class GlobalSnapshot {

    private final SettingsSchema schema;
    private final StoredLayer layer;

    GlobalSnapshot(SettingsSchema schema, StoredLayer layer) {
        this.schema = schema;
        this.layer = layer;
    }

    /**
     * Returns the schema this snapshot was made by.
     *
     * @return the schema
     */
    public SettingsSchema schema() {
        return schema;
    }

    /**
     * Resolves a setting for the whole bot.
     *
     * @param setting a setting of the schema
     * @param <T> the value type
     * @return the value with its provenance
     * @throws IllegalArgumentException if the setting is not in the schema
     */
    @SuppressWarnings("unchecked")
    public <T> Resolution<T> resolve(Setting<T> setting) {
        int index = schema.index(setting);
        Resolution<?> known = layer.memo(index);
        if (known != null) {
            return (Resolution<T>) known;
        }
        return (Resolution<T>) layer.remember(index, StoredLayer.resolve(schema, index, layer));
    }

    /**
     * Returns a setting's value for the whole bot.
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
     * Makes a guild's snapshot from the values stored for it and its channels, over this one.
     * Keys that no setting of the schema has are ignored.
     *
     * @param guildId the guild's id, a snowflake
     * @param guildValues the texts stored for the guild, by setting key
     * @param channelValues the texts stored for each channel of the guild: by channel id (a
     *     snowflake), then by setting key
     * @return the snapshot
     * @throws IllegalArgumentException if an id is not a snowflake, or a map is or holds null
     */
    public GuildSnapshot guild(
            String guildId, Map<String, String> guildValues, Map<String, ? extends Map<String, String>> channelValues) {
        String guild = StoredLayer.requireId(guildId, "guildId");
        if (channelValues == null) {
            throw new IllegalArgumentException(
                    "the values stored for the channels of guild " + guild + " must not be null (pass an empty map)");
        }
        Map<String, StoredLayer> channels = new HashMap<>();
        for (Map.Entry<String, ? extends Map<String, String>> entry : channelValues.entrySet()) {
            String channel = StoredLayer.requireId(entry.getKey(), "channelId");
            StoredLayer stored = StoredLayer.of(schema, Scope.CHANNEL, guild, channel, entry.getValue());
            channels.put(channel, stored);
        }
        return new GuildSnapshot(this, guild, StoredLayer.of(schema, Scope.GUILD, guild, "", guildValues), channels);
    }

    /**
     * Makes the snapshot of a guild that has nothing stored for it or its channels.
     *
     * @param guildId the guild's id, a snowflake
     * @return the snapshot
     * @throws IllegalArgumentException if the id is not a snowflake
     */
    public GuildSnapshot guild(String guildId) {
        return guild(guildId, Map.of(), Map.of());
    }

    StoredLayer layer() {
        return layer;
    }
}
