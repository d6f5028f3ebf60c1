package dev.configstore.examples.cli;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code configstore get|set|reset}: any declared setting, at any scope its declaration allows, from
 * the database's record of declarations.
 */
final class SettingCommands {

    private SettingCommands() {}

    /** What the three commands share: the scope options and the positional arguments. */
    abstract static class Base implements Callable<Integer> {

        @ParentCommand
        Root root;

        @Spec
        @Nullable
        CommandSpec spec;

        @Option(names = "--global", description = "The value for the whole bot, instead of a guild's.")
        boolean global;

        @Option(
                names = "--channel",
                paramLabel = "CHANNEL",
                description = "The value for a channel of the guild, instead of the guild's own.")
        @Nullable
        String channel;

        /** The positional arguments: [GUILD] KEY, then VALUE for set. */
        abstract List<String> arguments();

        /** How many arguments follow the key: 1 for set, 0 otherwise. */
        int after() {
            return 0;
        }

        /** The guild argument, or null with {@code --global}; checks how many arguments there are. */
        @Nullable
        String guild() {
            int expected = (global ? 1 : 2) + after();
            if (global && channel != null) {
                throw usage("--global and --channel exclude each other: a channel's value belongs to a guild");
            }
            if (arguments().size() != expected) {
                String form = (global ? "--global KEY" : "GUILD KEY") + (after() > 0 ? " VALUE" : "");
                throw usage("expected " + form + ", got " + arguments().size() + " argument"
                        + (arguments().size() == 1 ? "" : "s") + ": " + String.join(" ", arguments()));
            }
            return global ? null : arguments().get(0);
        }

        String key() {
            return arguments().get(global ? 0 : 1);
        }

        ParameterException usage(String message) {
            return new ParameterException(Objects.requireNonNull(spec, "spec").commandLine(), message);
        }

        /** Prints a setting as it resolves where the command named it. */
        void print(Settings settings, Setting<Object> setting, ScopeId where) {
            Resolution<Object> resolution = Declared.resolve(settings, setting, where);
            if (root.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("scope", where.scope().name().toLowerCase(java.util.Locale.ROOT));
                json.put("guild_id", where.guildId().isEmpty() ? null : where.guildId());
                json.put("channel_id", where.channelId().isEmpty() ? null : where.channelId());
                json.put("key", setting.key());
                json.putAll(Declared.json(setting, resolution));
                root.printJson(json);
            } else {
                new Table("SETTING", "VALUE", "SOURCE")
                        .row(Declared.row(setting, resolution))
                        .print(root.out);
                Map<Setting<?>, Resolution<?>> one = new LinkedHashMap<>();
                one.put(setting, resolution);
                Declared.notes(one).forEach(root.out::println);
            }
        }
    }

    /** {@code configstore get}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            header = "Prints a declared setting as it resolves, and where it comes from.",
            description = "Prints the value of a setting the bot declared, as it resolves for a guild (or a channel"
                    + " of it, or the whole bot), and where it comes from: channel, guild, global, environment,"
                    + " default or none. Stored values that break the setting's rules are skipped and named.",
            footer = {
                "",
                "Examples:",
                "  configstore get 123456789012345678 prefix",
                "  configstore get 123456789012345678 prefix --channel 234567890123456789",
                "  configstore get --global prefix"
            })
    static final class Get extends Base {

        @Parameters(
                paramLabel = "[GUILD] KEY",
                arity = "1..2",
                description = "The guild's id (not with --global) and" + " the setting's key.")
        List<String> arguments = new ArrayList<>();

        @Override
        List<String> arguments() {
            return arguments;
        }

        @Override
        public Integer call() {
            String guild = guild();
            ScopeId where = Declared.where(guild, channel, global);
            try (ConfigStore store = root.openForReading()) {
                Settings settings = store.declaredSettings();
                print(settings, Declared.setting(settings, key()), where);
            }
            return Cli.OK;
        }
    }

    /** {@code configstore set}. */
    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            header = "Stores a declared setting's value for a guild, a channel or the whole bot.",
            description = "Stores the value of a setting the bot declared, written as the text its type stores (a"
                    + " number, true or false, a snowflake, an ISO-8601 duration such as PT10M, a JSON array of"
                    + " strings for a list). The value is checked against the declared rules and scopes first; a"
                    + " value that breaks one, and a setting with a rule only the application can check, are"
                    + " refused with exit code 2 and nothing is written.",
            footer = {
                "",
                "Examples:",
                "  configstore set 123456789012345678 prefix '?'",
                "  configstore set 123456789012345678 prefix '>' --channel 234567890123456789",
                "  configstore set --global volume 80"
            })
    static final class Set extends Base {

        @Parameters(
                paramLabel = "[GUILD] KEY VALUE",
                arity = "2..3",
                description = "The guild's id (not with" + " --global), the setting's key and the value.")
        List<String> arguments = new ArrayList<>();

        @Override
        List<String> arguments() {
            return arguments;
        }

        @Override
        int after() {
            return 1;
        }

        @Override
        public Integer call() {
            String guild = guild();
            ScopeId where = Declared.where(guild, channel, global);
            String text = arguments.get(arguments.size() - 1);
            try (ConfigStore store = root.open()) {
                Settings settings = store.declaredSettings();
                Setting<Object> setting = Declared.setting(settings, key());
                settings.set(setting, where, setting.decode(text));
                print(settings, setting, where);
            }
            return Cli.OK;
        }
    }

    /** {@code configstore reset}. */
    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            header = "Removes a declared setting's stored value, so that it falls through again.",
            description = "Removes the value of a setting the bot declared stored for a guild (or a channel of it, or"
                    + " the whole bot): reads there fall through to the next layer (channel, guild, global,"
                    + " environment, default). A reset is not a write of the default.",
            footer = {
                "",
                "Examples:",
                "  configstore reset 123456789012345678 prefix",
                "  configstore reset 123456789012345678 prefix --channel 234567890123456789",
                "  configstore reset --global volume"
            })
    static final class Reset extends Base {

        @Parameters(
                paramLabel = "[GUILD] KEY",
                arity = "1..2",
                description = "The guild's id (not with --global) and" + " the setting's key.")
        List<String> arguments = new ArrayList<>();

        @Override
        List<String> arguments() {
            return arguments;
        }

        @Override
        public Integer call() {
            String guild = guild();
            ScopeId where = Declared.where(guild, channel, global);
            try (ConfigStore store = root.open()) {
                Settings settings = store.declaredSettings();
                Setting<Object> setting = Declared.setting(settings, key());
                settings.reset(setting, where);
                print(settings, setting, where);
            }
            return Cli.OK;
        }
    }
}
