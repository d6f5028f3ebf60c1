package dev.configstore.examples.cli;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Codec;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The declared settings as the tool sees them: from the database's record of declarations ({@code
 * ConfigStore.declaredSettings()}), with no application code. Values are shown and typed as the
 * text their codec stores.
 */
final class Declared {

    private Declared() {}

    /** The declared setting with {@code key}, or a message naming the settings that are declared. */
    @SuppressWarnings("unchecked")
    static Setting<Object> setting(Settings settings, String key) {
        return (Setting<Object>) settings.schema().setting(key).orElseThrow(() -> {
            List<String> keys = keys(settings);
            return new IllegalArgumentException("no setting \"" + key + "\" is declared in this database"
                    + (keys.isEmpty()
                            ? " (no application has recorded its declarations here; start the bot once)"
                            : "; declared: " + String.join(", ", keys)));
        });
    }

    static List<String> keys(Settings settings) {
        List<String> keys = new ArrayList<>();
        settings.schema().settings().forEach(setting -> keys.add(setting.key()));
        return keys;
    }

    /** The scope a command names: {@code --global}, a guild, or {@code --channel} of a guild. */
    static ScopeId where(@Nullable String guild, @Nullable String channel, boolean global) {
        if (global) {
            return ScopeId.global();
        }
        String id = Snowflakes.requireValid(guild, "guildId");
        if (channel == null) {
            return ScopeId.guild(id);
        }
        return ScopeId.channel(id, Snowflakes.requireValid(channel, "channelId"));
    }

    /** Resolves a setting where a command names it. */
    static Resolution<Object> resolve(Settings settings, Setting<Object> setting, ScopeId where) {
        return switch (where.scope()) {
            case GLOBAL -> settings.resolveGlobal(setting);
            case GUILD -> settings.resolve(setting, where.guildId());
            case CHANNEL -> settings.resolve(setting, where.guildId(), where.channelId());
        };
    }

    /** A value as the text its codec stores. */
    @SuppressWarnings("unchecked")
    static @Nullable String text(Setting<?> setting, Resolution<?> resolution) {
        return resolution
                .value()
                .map(value -> ((Codec<Object>) setting.codec()).encode(value))
                .orElse(null);
    }

    static String origin(Resolution<?> resolution) {
        return resolution.origin().name().toLowerCase(Locale.ROOT);
    }

    /** How a scope is named in output: {@code global}, {@code guild G} or {@code channel C of guild G}. */
    static String describe(ScopeId where) {
        return switch (where.scope()) {
            case GLOBAL -> "the whole bot";
            case GUILD -> "guild " + where.guildId();
            case CHANNEL -> "channel " + where.channelId() + " of guild " + where.guildId();
        };
    }

    /** The table row of a resolved setting; a setting only the application may change is marked. */
    static String[] row(Setting<?> setting, Resolution<?> resolution) {
        String text = text(setting, resolution);
        String source = origin(resolution);
        if (!resolution.skipped().isEmpty()) {
            source += " (" + resolution.skipped().size() + " skipped)";
        }
        return new String[] {
            setting.key() + (setting.applicationOnlyRules().isEmpty() ? "" : " *"),
            text == null ? "(none)" : text,
            source
        };
    }

    /** Footnotes for rows {@link #row} marked, and for skipped stored values. */
    static List<String> notes(Map<Setting<?>, Resolution<?>> resolved) {
        List<String> notes = new ArrayList<>();
        resolved.forEach((setting, resolution) -> {
            resolution.skipped().forEach(skipped -> notes.add("skipped: " + skipped.reason()));
        });
        boolean marked = resolved.keySet().stream()
                .anyMatch(setting -> !setting.applicationOnlyRules().isEmpty());
        if (marked) {
            notes.add("* has a rule only the application can check; change it from the application");
        }
        return notes;
    }

    /** A resolved setting as JSON. */
    static Map<String, Object> json(Setting<?> setting, Resolution<?> resolution) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("value", text(setting, resolution));
        json.put("source", origin(resolution));
        json.put("type", setting.codec().type());
        if (!setting.applicationOnlyRules().isEmpty()) {
            json.put("application_only_rules", setting.applicationOnlyRules());
        }
        if (!resolution.skipped().isEmpty()) {
            List<String> skipped = new ArrayList<>();
            resolution.skipped().forEach(s -> skipped.add(s.reason()));
            json.put("skipped", skipped);
        }
        return json;
    }

    /** A stored value as JSON, as export writes and import reads it. */
    static Map<String, Object> json(StoredValue value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scope", value.where().scope().name().toLowerCase(Locale.ROOT));
        json.put(
                "guild_id",
                value.where().guildId().isEmpty() ? null : value.where().guildId());
        json.put(
                "channel_id",
                value.where().channelId().isEmpty() ? null : value.where().channelId());
        json.put("key", value.key());
        json.put("value", value.text());
        return json;
    }
}
