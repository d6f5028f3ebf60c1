package dev.configstore.examples.cli;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore show GUILD}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Prints every setting of a guild and where it comes from.",
        description = "Prints every setting of a guild and where it comes from: the database, the environment"
                + " (LOGGING_CHANNEL, FLAGGED_REPORT_CHANNEL_ID, SILENT_FIRST_MSG_DAYS) or the built-in default.",
        footer = {"", "Example:", "  SILENT_FIRST_MSG_DAYS=30 configstore show 123456789012345678"})
final class ShowCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Root root;

    @Parameters(paramLabel = "GUILD", description = "The guild's id.")
    String guild = "";

    @Override
    public Integer call() {
        Snowflakes.requireValid(guild, "guildId");
        try (ConfigStore store = root.openForReading()) {
            GuildView view = GuildView.read(store, guild);
            if (root.json) {
                root.printJson(view.json());
            } else {
                root.out.println("Guild " + guild + " (" + root.shownDatabase() + ")");
                view.table().print(root.out);
            }
        }
        return Cli.OK;
    }
}
