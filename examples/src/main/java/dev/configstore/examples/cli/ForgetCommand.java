package dev.configstore.examples.cli;

import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoredSettings;
import dev.configstore.jdbc.StoredValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore forget GUILD --yes}. */
@Command(
        name = "forget",
        mixinStandardHelpOptions = true,
        header = "Removes every stored value of a guild, in one transaction.",
        description = "Removes every value stored for a guild, at every scope: its logging channel, flagged-report"
                + " channel and silent days, and every declared setting stored for the guild or one of its"
                + " channels, in one transaction, then lists what it removed. The guild's settings then come from"
                + " the global values, the environment and the defaults. Without --yes it only lists what it would"
                + " remove, and exits with 1.",
        footer = {
            "",
            "Examples:",
            "  configstore forget 123456789012345678",
            "  configstore forget 123456789012345678 --yes"
        })
final class ForgetCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Parameters(paramLabel = "GUILD", description = "The guild's id.")
    String guild = "";

    @Option(names = "--yes", description = "Remove them; without it, only list what would be removed.")
    boolean yes;

    @Override
    public Integer call() {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = yes ? root.open() : root.openForReading()) {
            GuildSettings columns;
            List<StoredValue> values;
            if (yes) {
                StoredSettings.Forgotten forgotten = store.storedSettings().forget(guild);
                columns = forgotten.columns();
                values = forgotten.values();
            } else {
                columns = ListCommand.settings(store, guild);
                values = store.storedSettings().guild(guild);
            }
            List<String> removed = describe(columns, values);
            if (root.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("guild_id", guild);
                json.put("removed", yes);
                json.put("values", removed);
                root.printJson(json);
            } else if (removed.isEmpty()) {
                root.out.println("Guild " + guild + " has no stored values; nothing to remove.");
            } else {
                root.out.println((yes ? "Removed " : "Would remove ") + removed.size()
                        + (removed.size() == 1 ? " value" : " values") + " of guild " + guild + ":");
                removed.forEach(line -> root.out.println("  " + line));
                if (!yes) {
                    root.out.println("Nothing was removed; run again with --yes to remove them.");
                }
            }
            return yes || removed.isEmpty() ? Cli.OK : Cli.USAGE;
        }
    }

    private static List<String> describe(GuildSettings columns, List<StoredValue> values) {
        List<String> lines = new ArrayList<>();
        columns.loggingChannelId().ifPresent(id -> lines.add("logging channel " + id));
        columns.flagsChannelId().ifPresent(id -> lines.add("flagged-report channel " + id));
        if (columns.silentFirstMsgDays().isPresent()) {
            lines.add("silent days " + columns.silentFirstMsgDays().getAsInt());
        }
        for (StoredValue value : values) {
            lines.add(value.key() + " = " + value.text() + " ("
                    + (value.where().channelId().isEmpty()
                            ? "guild"
                            : "channel " + value.where().channelId()) + ")");
        }
        return lines;
    }
}
