package dev.configstore.examples.cli;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore show GUILD}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Prints every setting of a guild and where it comes from.",
        description = "Prints every setting of a guild and where it comes from: the three built-in ones (from the"
                + " database, the environment (LOGGING_CHANNEL, FLAGGED_REPORT_CHANNEL_ID, SILENT_FIRST_MSG_DAYS) or"
                + " the built-in default), then every setting the bot declared, as it resolves for the guild (guild,"
                + " global, environment, default or none), then the values stored for its channels.",
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
            Settings settings = store.declaredSettings();
            Map<Setting<?>, Resolution<?>> declared = new LinkedHashMap<>();
            for (Setting<?> setting : settings.schema().settings()) {
                declared.put(setting, settings.resolve(setting, guild));
            }
            List<StoredValue> channels = new ArrayList<>();
            for (StoredValue value : store.storedSettings().guild(guild)) {
                if (!value.where().channelId().isEmpty()) {
                    channels.add(value);
                }
            }
            if (root.json) {
                Map<String, Object> json = view.json();
                Map<String, Object> values = new LinkedHashMap<>();
                declared.forEach(
                        (setting, resolution) -> values.put(setting.key(), Declared.json(setting, resolution)));
                if (!values.isEmpty()) {
                    json.put("settings", values);
                }
                List<Map<String, Object>> overrides = new ArrayList<>();
                channels.forEach(value -> overrides.add(Declared.json(value)));
                if (!overrides.isEmpty()) {
                    json.put("channel_values", overrides);
                }
                root.printJson(json);
            } else {
                root.out.println("Guild " + guild + " (" + root.shownDatabase() + ")");
                Table table = view.table();
                declared.forEach((setting, resolution) -> table.row(Declared.row(setting, resolution)));
                table.print(root.out);
                for (StoredValue value : channels) {
                    root.out.println(
                            "channel " + value.where().channelId() + ": " + value.key() + " = " + value.text());
                }
                Declared.notes(declared).forEach(root.out::println);
            }
        }
        return Cli.OK;
    }
}
