package dev.configstore.examples.cli;

import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code configstore flags get|set-channel|clear-channel|set-silent-days|clear-silent-days}. */
@Command(
        name = "flags",
        mixinStandardHelpOptions = true,
        description = "Reads or changes how a guild flags first messages from long-silent members.",
        footer = {
            "",
            "Examples:",
            "  configstore flags get 123456789012345678",
            "  configstore flags set-channel 123456789012345678 987654321098765432",
            "  configstore flags set-silent-days 123456789012345678 30"
        },
        subcommands = picocli.CommandLine.HelpCommand.class)
final class FlagsCommand {

    @ParentCommand
    Root root;

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Prints a guild's flagging setup, and where each value comes from.",
            footer = {"", "Example:", "  configstore flags get 123456789012345678"})
    int get(@Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild) {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = root.openForReading()) {
            print(store, guild);
        }
        return Cli.OK;
    }

    @Command(
            name = "set-channel",
            mixinStandardHelpOptions = true,
            description = "Stores the channel a guild's flagged messages are reported to.",
            footer = {"", "Example:", "  configstore flags set-channel 123456789012345678 987654321098765432"})
    int setChannel(
            @Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild,
            @Parameters(paramLabel = "CHANNEL", description = "The channel's id.") String channel) {
        Snowflakes.requireValid(guild, "guildId");
        Snowflakes.requireValid(channel, "channelId");
        return change(guild, store -> store.flaggerStore().setFlagsChannelId(guild, channel));
    }

    @Command(
            name = "clear-channel",
            mixinStandardHelpOptions = true,
            description = "Removes a guild's stored channel for flagged messages.",
            footer = {"", "Example:", "  configstore flags clear-channel 123456789012345678"})
    int clearChannel(@Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild) {
        return change(guild, store -> store.flaggerStore().clearFlagsChannelId(guild));
    }

    @Command(
            name = "set-silent-days",
            mixinStandardHelpOptions = true,
            description = "Stores how many days (7 to 365) a member must have been silent before a first message"
                    + " is flagged.",
            footer = {"", "Example:", "  configstore flags set-silent-days 123456789012345678 30"})
    int setSilentDays(
            @Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild,
            @Parameters(paramLabel = "DAYS", description = "From 7 to 365.", converter = DaysText.class)
                    String daysText) {
        Snowflakes.requireValid(guild, "guildId");
        int days = FlaggerStore.parseSilentDays(daysText);
        return change(guild, store -> store.flaggerStore().setSilentFirstMsgDays(guild, days));
    }

    /**
     * Takes DAYS as typed: what is not written in the digits 0-9 alone is a usage error, as a
     * malformed argument is, instead of being read as a number ({@code +30}, {@code ٣٠}); the range
     * is checked once the guild id is.
     */
    static final class DaysText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("[0-9]+")) {
                throw new TypeConversionException(
                        "'" + value + "' is not a whole number of days (the digits 0-9 only, no sign or spaces)");
            }
            return value;
        }
    }

    @Command(
            name = "clear-silent-days",
            mixinStandardHelpOptions = true,
            description = "Removes a guild's stored silent-days threshold; the default applies again.",
            footer = {"", "Example:", "  configstore flags clear-silent-days 123456789012345678"})
    int clearSilentDays(@Parameters(paramLabel = "GUILD", description = "The guild's id.") String guild) {
        return change(guild, store -> store.flaggerStore().clearSilentFirstMsgDays(guild));
    }

    /**
     * Checks the guild id, then opens the database, makes the change and prints the result. The
     * checks come before opening, so that a bad argument neither creates nor migrates the file;
     * callers check their other arguments first, after the guild id, as the facade would.
     */
    private int change(String guild, Consumer<ConfigStore> change) {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = root.open()) {
            change.accept(store);
            print(store, guild);
        }
        return Cli.OK;
    }

    private void print(ConfigStore store, String guild) {
        FlaggerConfig config = store.flaggerStore().getFlaggerConfig(guild);
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("guild_id", guild);
            json.put("flags_channel_id", GuildView.setting(config.channelId().orElse(null), config.channelSource()));
            json.put("silent_first_msg_days", GuildView.setting(config.silentDays(), config.silentDaysSource()));
            root.printJson(json);
        } else {
            new Table("GUILD", "FLAGS CHANNEL", "SOURCE", "SILENT DAYS", "SOURCE")
                    .row(
                            guild,
                            GuildView.shown(config.channelId()),
                            GuildView.source(config.channelSource()),
                            Integer.toString(config.silentDays()),
                            GuildView.source(config.silentDaysSource()))
                    .print(root.out);
        }
    }
}
