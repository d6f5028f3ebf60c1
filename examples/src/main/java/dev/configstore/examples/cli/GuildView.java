package dev.configstore.examples.cli;

import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.Resolved;
import dev.configstore.guild.Source;
import dev.configstore.jdbc.ConfigStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A guild's resolved settings, with where each came from, as the tool prints them. */
record GuildView(String guildId, Resolved<String> logging, FlaggerConfig flagger) {

    static GuildView read(ConfigStore store, String guildId) {
        return new GuildView(
                guildId,
                store.loggingStore().resolveLoggingChannel(guildId),
                store.flaggerStore().getFlaggerConfig(guildId));
    }

    static String source(Source source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    static String shown(Optional<String> channel) {
        return channel.orElse("(none)");
    }

    Table table() {
        return new Table("SETTING", "VALUE", "SOURCE")
                .row("logging channel", shown(logging.value()), source(logging.source()))
                .row("flagged-report channel", shown(flagger.channelId()), source(flagger.channelSource()))
                .row("silent days", Integer.toString(flagger.silentDays()), source(flagger.silentDaysSource()));
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("guild_id", guildId);
        json.put("logging_channel_id", setting(logging.value().orElse(null), logging.source()));
        json.put("flags_channel_id", setting(flagger.channelId().orElse(null), flagger.channelSource()));
        json.put("silent_first_msg_days", setting(flagger.silentDays(), flagger.silentDaysSource()));
        return json;
    }

    static Map<String, Object> setting(@Nullable Object value, Source source) {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("value", value);
        setting.put("source", source(source));
        return setting;
    }
}
