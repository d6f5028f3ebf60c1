package dev.configstore.examples.cli;

import dev.configstore.guild.Resolved;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore logging get|set|clear}. */
@Command(
        name = "logging",
        mixinStandardHelpOptions = true,
        description = "Reads or changes the channel a guild's log messages go to.",
        footer = {
            "",
            "Examples:",
            "  configstore logging get 123456789012345678",
            "  configstore logging set 123456789012345678 987654321098765432",
            "  configstore logging clear 123456789012345678"
        },
        subcommands = picocli.CommandLine.HelpCommand.class)
final class LoggingCommand {

    @ParentCommand
    Root root;

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Prints the logging channel that applies to a guild, and where it comes from.",
            footer = {"", "Example:", "  configstore logging get 123456789012345678"})
    int get(@Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild) {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = root.openForReading()) {
            print(guild, store.loggingStore().resolveLoggingChannel(guild));
        }
        return Cli.OK;
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Stores a guild's logging channel.",
            footer = {"", "Example:", "  configstore logging set 123456789012345678 987654321098765432"})
    int set(
            @Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild,
            @Parameters(paramLabel = "CHANNEL", description = "The channel's id.") String channel) {
        // Checked before opening: a bad argument must not create or migrate the file.
        Snowflakes.requireValid(guild, "guildId");
        Snowflakes.requireValid(channel, "channelId");
        try (ConfigStore store = root.open()) {
            store.loggingStore().setLoggingChannelId(guild, channel);
            print(guild, store.loggingStore().resolveLoggingChannel(guild));
        }
        return Cli.OK;
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Removes a guild's stored logging channel; the environment's default applies again.",
            footer = {"", "Example:", "  configstore logging clear 123456789012345678"})
    int clear(@Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild) {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = root.open()) {
            store.loggingStore().clearLoggingChannelId(guild);
            print(guild, store.loggingStore().resolveLoggingChannel(guild));
        }
        return Cli.OK;
    }

    private void print(String guild, Resolved<String> channel) {
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("guild_id", guild);
            json.put("logging_channel_id", GuildView.setting(channel.value().orElse(null), channel.source()));
            root.printJson(json);
        } else {
            new Table("GUILD", "LOGGING CHANNEL", "SOURCE")
                    .row(guild, GuildView.shown(channel.value()), GuildView.source(channel.source()))
                    .print(root.out);
        }
    }
}
