package dev.configstore.examples.cli;

import dev.configstore.guild.GuildSettings;
import dev.configstore.jdbc.ConfigStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code configstore list}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the guilds that have any setting stored, with their stored values, a page at a time.",
        footer = {"", "Examples:", "  configstore list", "  configstore list --page 2 --page-size 100 --json"})
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "The page to show, from 1.")
    int page = 1;

    @Option(
            names = "--page-size",
            paramLabel = "N",
            defaultValue = "50",
            description = "Guilds per page, from 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int pageSize = 50;

    @Override
    public Integer call() {
        if (page < 1) {
            throw new IllegalArgumentException("--page must be at least 1, got " + page);
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("--page-size must be between 1 and 1000, got " + pageSize);
        }
        try (ConfigStore store = root.openForReading()) {
            long total = store.guildCount();
            long pages = Math.max(1, (total + pageSize - 1) / pageSize);
            List<String> ids = store.guildIds((long) (page - 1) * pageSize, pageSize);
            if (root.json) {
                List<Map<String, Object>> guilds = new ArrayList<>();
                for (String id : ids) {
                    guilds.add(StoredRow.json(id, settings(store, id)));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("page", page);
                json.put("pages", pages);
                json.put("total", total);
                json.put("guilds", guilds);
                root.printJson(json);
            } else {
                Table table = new Table("GUILD", "LOGGING CHANNEL", "FLAGS CHANNEL", "SILENT DAYS");
                for (String id : ids) {
                    table.row(StoredRow.cells(id, settings(store, id)));
                }
                table.print(root.out);
                root.out.println("page " + page + " of " + pages + " (" + total + (total == 1 ? " guild" : " guilds")
                        + " with settings)");
            }
        }
        return Cli.OK;
    }

    static GuildSettings settings(ConfigStore store, String id) {
        return store.guildConfig().store().get(id).orElse(GuildSettings.EMPTY);
    }
}
