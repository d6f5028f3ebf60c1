package dev.configstore.examples.cli;

import dev.configstore.guild.GuildSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** A guild's stored settings (not resolved), as {@code list} and {@code export} print them. */
final class StoredRow {

    private StoredRow() {}

    static Map<String, Object> json(String guildId, GuildSettings settings) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("guild_id", guildId);
        row.put("logging_channel_id", settings.loggingChannelId().orElse(null));
        row.put("flags_channel_id", settings.flagsChannelId().orElse(null));
        row.put(
                "silent_first_msg_days",
                settings.silentFirstMsgDays().isPresent()
                        ? settings.silentFirstMsgDays().getAsInt()
                        : null);
        return row;
    }

    static String[] cells(String guildId, GuildSettings settings) {
        return new String[] {
            guildId,
            settings.loggingChannelId().orElse("-"),
            settings.flagsChannelId().orElse("-"),
            settings.silentFirstMsgDays().isPresent()
                    ? Integer.toString(settings.silentFirstMsgDays().getAsInt())
                    : "-"
        };
    }
}
