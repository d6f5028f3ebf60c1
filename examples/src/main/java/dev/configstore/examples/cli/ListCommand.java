package dev.configstore.examples.cli;

import dev.configstore.guild.GuildSettings;
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
import picocli.CommandLine.ParentCommand;

/** {@code configstore list}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        header = "Lists the guilds that have any setting stored, with their stored values, a page at a time.",
        description = "Lists the guilds that have any setting stored (a built-in one, or a declared one for the guild"
                + " or one of its channels), with their stored values, a page at a time.",
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
            StoredSettings stored = store.storedSettings();
            long total = stored.guildCount();
            long pages = Math.max(1, (total + pageSize - 1) / pageSize);
            List<String> ids = stored.guildIds((long) (page - 1) * pageSize, pageSize);
            if (root.json) {
                List<Map<String, Object>> guilds = new ArrayList<>();
                for (String id : ids) {
                    Map<String, Object> guild = StoredRow.json(id, settings(store, id));
                    List<Map<String, Object>> values = new ArrayList<>();
                    stored.guild(id).forEach(value -> values.add(Declared.json(value)));
                    guild.put("settings", values);
                    guilds.add(guild);
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("page", page);
                json.put("pages", pages);
                json.put("total", total);
                json.put("guilds", guilds);
                root.printJson(json);
            } else {
                Table table = new Table("GUILD", "LOGGING CHANNEL", "FLAGS CHANNEL", "SILENT DAYS", "DECLARED");
                for (String id : ids) {
                    String[] cells = StoredRow.cells(id, settings(store, id));
                    String[] row = java.util.Arrays.copyOf(cells, cells.length + 1);
                    row[cells.length] = declared(stored.guild(id));
                    table.row(row);
                }
                table.print(root.out);
                root.out.println("page " + page + " of " + pages + " (" + total + (total == 1 ? " guild" : " guilds")
                        + " with settings)");
            }
        }
        return Cli.OK;
    }

    /** The declared settings stored for a guild and its channels, shortly: {@code prefix=?, volume=80 (+2 in channels)}. */
    private static String declared(List<StoredValue> values) {
        List<String> own = new ArrayList<>();
        int inChannels = 0;
        for (StoredValue value : values) {
            if (value.where().channelId().isEmpty()) {
                own.add(value.key() + "=" + value.text());
            } else {
                inChannels++;
            }
        }
        String text = String.join(", ", own)
                + (inChannels == 0 ? "" : (own.isEmpty() ? "" : " ") + "(+" + inChannels + " in channels)");
        return text.isEmpty() ? "-" : text;
    }

    static GuildSettings settings(ConfigStore store, String id) {
        return store.guildConfig().store().get(id).orElse(GuildSettings.EMPTY);
    }
}
