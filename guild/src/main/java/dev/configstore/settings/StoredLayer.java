package dev.configstore.settings;

import dev.configstore.guild.Snowflakes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * What is stored at one scope (the whole bot, one guild, or one channel of a guild), by setting
 * index, with each text decoded at most once and each resolution read at this level memoised.
 * Memo slots are filled lazily and at most once (compare-and-set), so a repeated read finds the
 * same object and allocates nothing.
 */
final class StoredLayer {

    private final SettingsSchema schema;
    private final Scope scope;
    private final String guildId;
    private final String channelId;
    private final String[] texts;
    private final AtomicReferenceArray<StoredValue> decoded;
    private final AtomicReferenceArray<Resolution<?>> resolved;

    private StoredLayer(SettingsSchema schema, Scope scope, String guildId, String channelId, String[] texts) {
        this.schema = schema;
        this.scope = scope;
        this.guildId = guildId;
        this.channelId = channelId;
        this.texts = texts;
        this.decoded = new AtomicReferenceArray<>(texts.length);
        this.resolved = new AtomicReferenceArray<>(texts.length);
    }

    /**
     * Makes a layer from stored texts by key. Keys the schema does not declare are ignored: they
     * may belong to another application or to a setting no longer declared.
     */
    static StoredLayer of(
            SettingsSchema schema, Scope scope, String guildId, String channelId, Map<String, String> stored) {
        String where = describe(scope, guildId, channelId);
        if (stored == null) {
            throw new IllegalArgumentException(
                    "the values stored for " + where + " must not be null (pass an empty map)");
        }
        String[] texts = new String[schema.settings().size()];
        for (Map.Entry<String, String> entry : stored.entrySet()) {
            Optional<Setting<?>> setting = schema.setting(entry.getKey());
            if (setting.isEmpty()) {
                continue;
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("the value of setting \"" + entry.getKey() + "\" stored for " + where
                        + " is null; pass only values that are stored");
            }
            texts[schema.index(setting.get())] = entry.getValue();
        }
        return new StoredLayer(schema, scope, guildId, channelId, texts);
    }

    static String describe(Scope scope, String guildId, String channelId) {
        return switch (scope) {
            case GLOBAL -> "the whole bot";
            case GUILD -> "guild " + guildId;
            case CHANNEL -> "channel " + channelId + " of guild " + guildId;
        };
    }

    static String requireId(@Nullable String id, String argument) {
        return Snowflakes.requireValid(id, argument);
    }

    Scope scope() {
        return scope;
    }

    /**
     * Returns the memoised resolutions at this level, by index: a snapshot keeps this to find a
     * resolved value with as few reads as it can.
     */
    AtomicReferenceArray<Resolution<?>> memos() {
        return resolved;
    }

    /** Returns the memoised resolution at this level, or null if not resolved yet. */
    @Nullable
    Resolution<?> memo(int index) {
        return resolved.get(index);
    }

    /** Memoises {@code resolution} unless another thread was first; returns the one kept. */
    Resolution<?> remember(int index, Resolution<?> resolution) {
        if (resolved.compareAndSet(index, null, resolution)) {
            return resolution;
        }
        Resolution<?> first = resolved.get(index);
        return first == null ? resolution : first;
    }

    /** Returns the decoded stored value of the setting at {@code index}, or null if none is stored. */
    @Nullable
    StoredValue value(int index) {
        StoredValue value = decoded.get(index);
        if (value != null) {
            return value;
        }
        String text = texts[index];
        if (text == null) {
            return null;
        }
        StoredValue fresh = decode(schema.settings().get(index), text);
        if (decoded.compareAndSet(index, null, fresh)) {
            return fresh;
        }
        StoredValue first = decoded.get(index);
        return first == null ? fresh : first;
    }

    private StoredValue decode(Setting<?> setting, String text) {
        String where = describe(scope, guildId, channelId);
        String reason;
        if (!setting.allows(scope)) {
            reason = "Setting \"" + setting.key() + "\" may not be stored for " + scopeName(scope) + " (it allows "
                    + allowed(setting) + "); the value " + Rules.show(text) + " stored for " + where + " is not used";
        } else {
            try {
                return new StoredValue(Optional.of(setting.decode(text)), null);
            } catch (RuntimeException e) {
                // Skipped, never thrown: a hand-written or outdated stored value must not break reads.
                reason = e instanceof IllegalArgumentException && e.getMessage() != null
                        ? e.getMessage()
                        : "Setting \"" + setting.key() + "\": reading " + Rules.show(text) + " failed: " + e;
            }
        }
        schema.reportSkipped(setting, scope, where, guildId, channelId, text, reason);
        return new StoredValue(Optional.empty(), new Resolution.Skipped(scope, text, reason));
    }

    private static String scopeName(Scope scope) {
        return switch (scope) {
            case GLOBAL -> "the whole bot";
            case GUILD -> "a guild";
            case CHANNEL -> "a channel";
        };
    }

    private static String allowed(Setting<?> setting) {
        List<String> names = new ArrayList<>();
        for (Scope scope : setting.scopes()) {
            names.add(scopeName(scope));
        }
        return String.join(", ", names);
    }

    /**
     * Resolves the setting at {@code index} through the given layers, nearest first, then the
     * environment and the default.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Resolution<?> resolve(SettingsSchema schema, int index, StoredLayer... layers) {
        List<Resolution.Skipped> skipped = null;
        for (StoredLayer layer : layers) {
            StoredValue value = layer.value(index);
            if (value == null) {
                continue;
            }
            Resolution.Skipped skip = value.skipped;
            if (skip == null) {
                return new Resolution(value.value, Origin.of(layer.scope), skipped == null ? List.of() : skipped);
            }
            if (skipped == null) {
                skipped = new ArrayList<>(2);
            }
            skipped.add(skip);
        }
        Resolution<?> fallback = schema.fallback(index);
        return skipped == null ? fallback : new Resolution(fallback.value(), fallback.origin(), skipped);
    }

    /** A stored text, decoded: a value, or the reason it was skipped. */
    static final class StoredValue {
        final Optional<?> value;
        final Resolution.@Nullable Skipped skipped;

        StoredValue(Optional<?> value, Resolution.@Nullable Skipped skipped) {
            this.value = value;
            this.skipped = skipped;
        }
    }
}
