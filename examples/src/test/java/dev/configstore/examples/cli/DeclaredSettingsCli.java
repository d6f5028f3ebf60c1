package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Codec;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The tool's commands over declared settings, written once and run on every database by {@link
 * CliTest} and {@link CliServerTests}: an application (this test) records its declarations, and
 * the tool, which has none of its code, reads and writes them from the record.
 */
final class DeclaredSettingsCli {

    static final String GUILD = "123456789012345678";
    static final String CHANNEL = "987654321098765432";
    static final String OTHER_GUILD = "223456789012345678";

    static final Setting<String> PREFIX = Setting.text("prefix", Rule.length(1, 5))
            .defaultValue("!")
            .environment("BOT_PREFIX")
            .description("what commands start with")
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();
    static final Setting<Integer> VOLUME =
            Setting.integer("volume", Rule.range(0, 100)).defaultValue(50).build();
    static final Setting<String> NICKNAME = Setting.text("nickname", Rule.length(1, 8))
            .check("no rude words", text -> !text.contains("rude"))
            .scopes(Scope.GUILD)
            .build();
    static final Setting<List<String>> ROLES = Setting.list("auto-roles", Codec.snowflake(), Rule.size(0, 3))
            .scopes(Scope.GUILD)
            .build();
    static final Setting<String> WELCOME = Setting.of("welcome", Codec.of("json:welcome", text -> text, text -> text))
            .scopes(Scope.GUILD)
            .build();
    static final SettingsSchema SCHEMA = SettingsSchema.of(Map.of(), PREFIX, VOLUME, NICKNAME, ROLES, WELCOME);

    /** Runs the tool on the test's database. */
    @FunctionalInterface
    interface Tool {
        CliRun run(String... args);
    }

    private final Tool cli;
    private final Callable<ConfigStore> application;

    /**
     * @param cli runs the tool on the test's database
     * @param application opens a store on it, as the application would
     */
    DeclaredSettingsCli(Tool cli, Callable<ConfigStore> application) {
        this.cli = cli;
        this.application = application;
    }

    /** Records the declarations, as the application does when it starts. */
    void declare() throws Exception {
        try (ConfigStore store = application.call()) {
            store.settings("bot", SCHEMA);
        }
    }

    private CliRun ok(String... args) {
        CliRun run = cli.run(args);
        assertThat(run.exitCode())
                .as("%s: %s", String.join(" ", args), run.err())
                .isZero();
        return run;
    }

    private CliRun refused(int code, String... args) {
        CliRun run = cli.run(args);
        assertThat(run.exitCode())
                .as("%s: %s", String.join(" ", args), run.out())
                .isEqualTo(code);
        assertThat(run.err().lines().findFirst().orElse("")).startsWith("configstore: ");
        return run;
    }

    void getSetAndResetEveryScope() throws Exception {
        declare();
        assertThat(ok("get", GUILD, "prefix").out()).contains("prefix   !      default");

        assertThat(ok("set", GUILD, "prefix", "?").out()).contains("prefix   ?      guild");
        assertThat(ok("set", GUILD, "prefix", ">", "--channel", CHANNEL).out()).contains("prefix   >      channel");
        assertThat(ok("set", "--global", "volume", "80").out()).contains("volume   80     global");
        assertThat(ok("get", GUILD, "prefix", "--channel", CHANNEL).out()).contains(">      channel");
        assertThat(ok("get", GUILD, "volume").out()).contains("80     global");
        assertThat(ok("set", GUILD, "auto-roles", "[\"111111111111111111\"]").out())
                .contains("[\"111111111111111111\"]");
        assertThat(ok("get", GUILD, "volume", "--json").out().strip())
                .isEqualTo("{\"scope\":\"guild\",\"guild_id\":\"" + GUILD + "\",\"channel_id\":null,\"key\":\"volume\","
                        + "\"value\":\"80\",\"source\":\"global\",\"type\":\"int\"}");

        // Refused by the same data rules, with the rule's message, and nothing is written.
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "volume", "101").err())
                .contains("Setting \"volume\": \"101\" breaks rule range(0,100): above the maximum 100");
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "prefix", "toolong").err())
                .contains("breaks rule length(1,5)");
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "volume", "loud").err())
                .contains("is not a int");
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "nickname", "kind").err())
                .contains("Setting \"nickname\" has a rule only the application can check: no rude words; change it"
                        + " from the application");
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "volume", "5", "--channel", CHANNEL)
                        .err())
                .contains("volume");
        assertThat(refused(Cli.VALIDATION, "set", GUILD, "colour", "red").err())
                .contains("no setting \"colour\" is declared in this database; declared: prefix, volume, nickname,"
                        + " auto-roles, welcome");
        assertThat(refused(Cli.VALIDATION, "set", "guild-1", "prefix", "?").err())
                .contains("guildId");
        refused(Cli.USAGE, "set", "--global", "prefix", "?", "--channel", CHANNEL);
        refused(Cli.USAGE, "get", GUILD);
        assertThat(ok("get", GUILD, "volume").out()).contains("80     global");

        // What the tool wrote is what the application reads.
        try (ConfigStore store = application.call()) {
            Settings settings = store.settings("bot", SCHEMA);
            assertThat(settings.get(PREFIX, GUILD)).contains("?");
            assertThat(settings.get(PREFIX, GUILD, CHANNEL)).contains(">");
            assertThat(settings.resolveGlobal(VOLUME).value()).contains(80);
            assertThat(settings.get(ROLES, GUILD)).contains(List.of("111111111111111111"));
            settings.set(NICKNAME, ScopeId.guild(GUILD), "kind");
        }
        assertThat(ok("get", GUILD, "nickname").out())
                .contains("nickname *  kind   guild")
                .contains("only the application");

        assertThat(ok("reset", GUILD, "prefix", "--channel", CHANNEL).out()).contains("prefix   ?      guild");
        assertThat(ok("reset", GUILD, "prefix").out()).contains("prefix   !      default");
        assertThat(ok("reset", "--global", "volume").out()).contains("volume   50     default");
        try (ConfigStore store = application.call()) {
            Settings settings = store.settings("bot", SCHEMA);
            assertThat(settings.resolve(PREFIX, GUILD, CHANNEL).value()).contains("!");
            assertThat(settings.resolve(VOLUME, GUILD).value()).contains(50);
        }
    }

    void showAndListIncludeDeclaredSettings() throws Exception {
        declare();
        ok("set", OTHER_GUILD, "prefix", "?");
        ok("set", OTHER_GUILD, "prefix", ">", "--channel", CHANNEL);
        ok("logging", "set", GUILD, CHANNEL);

        CliRun show = ok("show", OTHER_GUILD);
        assertThat(show.out())
                .contains("logging channel         (none)")
                .contains("prefix                  ?       guild")
                .contains("volume                  50      default")
                .contains("nickname *              (none)  none")
                .contains("channel " + CHANNEL + ": prefix = >")
                .contains("* has a rule only the application can check");
        assertThat(ok("show", OTHER_GUILD, "--json").out())
                .contains("\"prefix\":{\"value\":\"?\",\"source\":\"guild\",\"type\":\"string\"}")
                .contains("\"application_only_rules\":[\"no rude words\"]")
                .contains("\"channel_values\":[{\"scope\":\"channel\"");

        CliRun list = ok("list");
        assertThat(list.out())
                .contains("2 guilds with settings")
                .contains(GUILD + "  " + CHANNEL)
                .contains(OTHER_GUILD + "  -")
                .contains("prefix=? (+1 in channels)");
        assertThat(ok("list", "--json").out()).contains("\"total\":2").contains("\"key\":\"prefix\"");
    }

    /** Exports, imports into an empty database, exports again: the two files are the same bytes. */
    void exportThenImportIntoAnEmptyDatabaseRoundTripsByteForByte(Tool empty, Path folder) throws Exception {
        declare();
        ok("logging", "set", GUILD, CHANNEL);
        ok("flags", "set-silent-days", OTHER_GUILD, "30");
        ok("set", "--global", "prefix", "$");
        ok("set", GUILD, "prefix", "?");
        ok("set", GUILD, "prefix", ">", "--channel", CHANNEL);
        ok("set", OTHER_GUILD, "volume", "70");
        ok("set", GUILD, "auto-roles", "[\"111111111111111111\",\"222222222222222222\"]");
        try (ConfigStore store = application.call()) {
            Settings settings = store.settings("bot", SCHEMA);
            settings.set(NICKNAME, ScopeId.guild(GUILD), "kind");
            settings.set(WELCOME, ScopeId.guild(GUILD), "{ \"text\": \"h\u00e9llo \\\"you\\\"\" }\n");
            // A value no declaration reads and one that breaks its rules are kept too.
            store.storedSettings()
                    .restore(
                            List.of(),
                            Map.of(),
                            List.of(
                                    new StoredValue(ScopeId.guild("323456789012345678"), "legacy", "x"),
                                    new StoredValue(ScopeId.guild("323456789012345678"), "volume", "500")));
        }

        Path first = folder.resolve("first.jsonl");
        Path second = folder.resolve("second.jsonl");
        assertThat(ok("export", "--output", first.toString()).out())
                .contains("Exported 2 guilds, 9 declared values and the declarations of 1 application to");
        CliRun imported = empty.run("import", first.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out())
                .contains("Imported 2 guilds, 9 declared values and the declarations of 1 application");
        CliRun again = empty.run("export", "--output", second.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();

        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        assertThat(Files.readString(first))
                .startsWith(
                        "{\"application\":\"bot\",\"version\":1,\"settings\":[{\"key\":\"prefix\",\"type\":\"string\","
                                + "\"scopes\":\"global,guild,channel\",\"rules\":[\"length(1,5)\"],\"custom_rules\":[],"
                                + "\"default\":\"!\",\"environment\":\"BOT_PREFIX\",\"description\":\"what commands start with\"}")
                .contains(
                        "{\"scope\":\"global\",\"guild_id\":null,\"channel_id\":null,\"key\":\"prefix\",\"value\":\"$\"}")
                .contains("{\"scope\":\"channel\",\"guild_id\":\"" + GUILD + "\",\"channel_id\":\"" + CHANNEL
                        + "\",\"key\":\"prefix\",\"value\":\">\"}");
        // The value that breaks its rules is kept, and skipped on reads, there as here.
        for (Tool tool : new Tool[] {cli, empty}) {
            CliRun skipped = tool.run("get", "323456789012345678", "volume");
            assertThat(skipped.out())
                    .as(skipped.err())
                    .contains("volume   50     default (1 skipped)")
                    .contains("skipped: Setting \"volume\": \"500\" breaks rule range(0,100)");
        }
        CliRun there = empty.run("get", GUILD, "prefix", "--channel", CHANNEL);
        assertThat(there.out()).as(there.err()).contains(">      channel");
        assertThat(empty.run("get", GUILD, "welcome").out()).contains("h\u00e9llo");
    }

    void forgetRemovesEveryValueOfAGuildOnlyWithYes() throws Exception {
        declare();
        ok("logging", "set", GUILD, CHANNEL);
        ok("set", GUILD, "prefix", "?");
        ok("set", GUILD, "prefix", ">", "--channel", CHANNEL);
        ok("set", OTHER_GUILD, "prefix", "+");

        CliRun ask = cli.run("forget", GUILD);
        assertThat(ask.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(ask.out())
                .contains("Would remove 3 values of guild " + GUILD)
                .contains("logging channel " + CHANNEL)
                .contains("prefix = ? (guild)")
                .contains("prefix = > (channel " + CHANNEL + ")")
                .contains("Nothing was removed; run again with --yes");
        assertThat(ok("get", GUILD, "prefix").out()).contains("?      guild");

        assertThat(ok("forget", GUILD, "--yes").out()).contains("Removed 3 values of guild " + GUILD);
        assertThat(ok("get", GUILD, "prefix", "--channel", CHANNEL).out()).contains("!      default");
        assertThat(ok("logging", "get", GUILD).out()).contains("(none)");
        assertThat(ok("get", OTHER_GUILD, "prefix").out()).contains("+      guild");
        assertThat(ok("forget", GUILD, "--yes").out()).contains("has no stored values; nothing to remove");
        assertThat(ok("list").out()).contains("1 guild with settings").doesNotContain(GUILD);
    }

    void historyShowsWhoChangedWhatNewestFirst() throws Exception {
        declare();
        ok("set", GUILD, "prefix", "?", "--by", "os:alice");
        ok("set", GUILD, "prefix", ">", "--channel", CHANNEL, "--by", "os:bob");
        ok("logging", "set", GUILD, CHANNEL);
        ok("set", OTHER_GUILD, "prefix", "+");

        String me = "os:" + System.getProperty("user.name");
        List<String> lines = ok("history", GUILD).out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0))
                .contains("TIME (UTC)")
                .contains("BY")
                .contains("BEFORE")
                .contains("AFTER");
        assertThat(lines.get(1))
                .contains(me)
                .contains("guild")
                .contains("logging_channel_id")
                .endsWith(CHANNEL);
        assertThat(lines.get(2))
                .contains("os:bob")
                .contains("channel " + CHANNEL)
                .contains("prefix")
                .endsWith(">");
        assertThat(lines.get(3)).contains("os:alice").contains("prefix").endsWith("?");

        String json = ok("history", GUILD, "--key", "prefix", "--json").out();
        assertThat(json)
                .contains("\"actor\":\"os:bob\"")
                .contains("\"scope\":\"channel\"")
                .contains("\"old_value\":null,\"new_value\":\">\"")
                .doesNotContain("logging_channel_id");
        assertThat(ok("history", "--global").out()).contains("No changes recorded for the whole bot.");

        CliRun neither = cli.run("history");
        assertThat(neither.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(neither.err()).contains("give exactly one of GUILD, --global or --namespace NAME");
        CliRun badTime = cli.run("history", GUILD, "--since", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(badTime.err()).contains("--since yesterday is not a time");
        CliRun badActor = cli.run("set", GUILD, "prefix", "!", "--by", " ");
        assertThat(badActor.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(badActor.err()).contains("actor must not be null or blank");
    }

    /** A change another process makes to a declared setting, as the watch prints it. */
    void watchPrintsDeclaredSettingChanges(CliTest.Watch watch) throws Exception {
        watch.awaitOutput("Watching ");
        try (ConfigStore store = application.call()) {
            Settings settings = store.settings("bot", SCHEMA);
            settings.set(PREFIX, ScopeId.channel(GUILD, CHANNEL), ">");
            watch.awaitOutput("guild " + GUILD + " declared settings: prefix > (channel " + CHANNEL + ")");
            settings.set(VOLUME, ScopeId.global(), 70);
            watch.awaitOutput("global declared settings: volume 70");
        }
        assertThat(watch.stop()).isZero();
    }
}
