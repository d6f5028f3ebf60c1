package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.guild.ConfigDefaults;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Settings;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example bot's decisions, without a Discord connection, on a real SQLite file. */
class BotSettingsTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";
    private static final String OTHER_CHANNEL = "987654321098765433";
    private static final String MEMBER = "555555555555555555";

    @TempDir
    Path folder;

    private SqliteConfigStore config;
    private Settings settings;
    private BotSettings bot;

    @BeforeEach
    void open() {
        config = SqliteConfigStore.builder(folder.resolve("bot.db"))
                .defaults(ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", "30")))
                .build();
        settings = config.settings(BotSettings.schema(Map.of("BOT_PREFIX", "?")));
        bot = new BotSettings(
                config.loggingStore(),
                config.flaggerStore(),
                settings,
                new MemberActivity(config.keyValueStore("last-message")),
                config::history);
    }

    @AfterEach
    void close() {
        config.close();
    }

    private String config(String subcommand, String... optionsAndValues) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < optionsAndValues.length; i += 2) {
            options.put(optionsAndValues[i], optionsAndValues[i + 1]);
        }
        return bot.configCommand(GUILD, subcommand, options);
    }

    /** Runs SQL on the bot's file by hand, as an operator's {@code sqlite3} shell would. */
    private void sql(String... statements) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db") + "?busy_timeout=5000");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** How many rows of declared settings are stored, set or reset. */
    private long settingRows() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM configstore_settings")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void historyShowsWhichMemberChangedWhatNewestFirst() {
        assertThat(config("history")).isEqualTo("No changes recorded for this server.");

        assertThat(bot.configCommand(GUILD, "111111111111111111", "set", Map.of("setting", "prefix", "value", "$")))
                .startsWith("Saved.");
        assertThat(bot.configCommand(GUILD, "222222222222222222", "logging", Map.of("channel", CHANNEL)))
                .startsWith("Saved.");
        assertThat(bot.configCommand(GUILD, "111111111111111111", "set", Map.of("setting", "prefix", "value", "%")))
                .startsWith("Saved.");

        List<String> lines = config("history").lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("Last changes, newest first:");
        assertThat(lines.get(1)).matches("<t:\\d+:R> <@111111111111111111>: prefix `\\$` → `%`");
        assertThat(lines.get(2)).endsWith("<@222222222222222222>: logging_channel_id (none) → `" + CHANNEL + "`");
        assertThat(lines.get(3)).endsWith("<@111111111111111111>: prefix (none) → `$`");
        assertThat(config("history", "setting", "logging_channel_id").lines())
                .hasSize(2)
                .last()
                .asString()
                .contains("<@222222222222222222>");
        assertThat(config("history", "setting", "language")).isEqualTo("No changes recorded for language.");
    }

    @Test
    void aMessageIsFlaggedOnlyAfterTheThresholdAndOnlyWhereAReportChannelIsSet() {
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(100)))
                .as("no report channel")
                .isEmpty();

        config("flags", "channel", CHANNEL);

        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(29))).isEmpty();
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(30))).contains(CHANNEL);
        assertThat(bot.flagReportChannel(GUILD, null)).as("not a first message").isEmpty();
        config("silent-days", "days", "7");
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(7))).contains(CHANNEL);
    }

    @Test
    void aMessageIsReportedWhenItEndsALongEnoughSilenceInItsGuild() {
        Instant joined = Instant.parse("2026-01-01T00:00:00Z");
        config("flags", "channel", CHANNEL);

        assertThat(bot.messagePosted(GUILD, MEMBER, joined.plus(Duration.ofDays(29)), joined))
                .as("29 days after joining")
                .isEmpty();
        assertThat(bot.messagePosted(GUILD, MEMBER, joined.plus(Duration.ofDays(65)), joined))
                .as("36 days after the last message")
                .contains(new BotSettings.FlaggedMessage(CHANNEL, 36));
        assertThat(bot.messagePosted(GUILD, MEMBER, joined.plus(Duration.ofDays(66)), joined))
                .as("a day after the last message")
                .isEmpty();
    }

    @Test
    void theSlashCommandIsForServersAndItsManagersByDefault() {
        SlashCommandData command = ConfigBot.configCommand();

        assertThat(command.getContexts()).containsExactly(InteractionContextType.GUILD);
        assertThat(command.getDefaultPermissions())
                .isEqualTo(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER));
    }

    @Test
    void theSlashCommandOffersTheGenericSubcommandsWithAutocompleteAndTheBuiltInOnes() {
        List<SubcommandData> subcommands = ConfigBot.configCommand().getSubcommands();

        assertThat(subcommands)
                .extracting(SubcommandData::getName)
                .containsExactly("list", "show", "set", "reset", "logging", "flags", "silent-days", "history");
        for (SubcommandData subcommand : subcommands.subList(1, 4)) {
            assertThat(subcommand.getOptions())
                    .filteredOn(option -> option.getName().equals("setting"))
                    .singleElement()
                    .satisfies(option -> assertThat(option.isAutoComplete()).isTrue());
        }
        assertThat(subcommands.get(2).getOptions())
                .extracting(OptionData::getName, OptionData::isRequired)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("setting", true),
                        org.assertj.core.groups.Tuple.tuple("value", true),
                        org.assertj.core.groups.Tuple.tuple("channel", false));
    }

    @Test
    void theBuiltInSettingsSayWhereEachComesFrom() {
        config("logging", "channel", CHANNEL);

        assertThat(config("show"))
                .startsWith("Logging channel: <#" + CHANNEL + "> (set for this server)\n"
                        + "Flagged-report channel: none (built-in default)\n"
                        + "Silent days: 30 (bot default)\n");
    }

    @Test
    void aBuiltInChangeIsConfirmedAndClearingWithoutAValueBringsTheDefaultBack() {
        assertThat(config("silent-days", "days", "45")).startsWith("Saved.").contains("Silent days: 45");
        assertThat(config("silent-days")).contains("Silent days: 30 (bot default)");
        assertThat(bot.loggingChannel(GUILD)).isEmpty();
    }

    @Test
    void badInputForABuiltInSettingIsAnsweredWithTheRuleAndNothingIsSaved() {
        assertThat(config("silent-days", "days", "366"))
                .isEqualTo("Not saved: Silent days threshold must be between 7 and 365 days, got 366");
        assertThat(config("silent-days", "days", "a week")).startsWith("Not saved: Silent days must be a whole number");
        assertThat(config("silent-days", "days", "+30"))
                .isEqualTo("Not saved: Silent days must be a whole number written with the digits 0-9 only (no sign,"
                        + " spaces or other digits), got \"+30\"");
        assertThat(config("logging", "channel", "#general"))
                .startsWith("Not saved: channelId must be a Discord snowflake");
        assertThat(config("colour", "value", "blue")).startsWith("Unknown subcommand");
        assertThat(config.guildCount()).as("nothing stored").isZero();
    }

    @Test
    void listShowsEverySettingWithItsValueAndWhereItComesFrom() {
        config("set", "setting", "language", "value", "de");
        config("set", "setting", "music", "value", "true", "channel", CHANNEL);

        assertThat(config("list")).endsWith("""
                        Silent days: 30 (bot default)
                        prefix: `?` (bot default, BOT_PREFIX)
                        language: `de` (set for this server)
                        welcome_channel: not set (no default)
                        auto_roles: not set (no default)
                        music: `false` (built-in default)""");
        assertThat(config("list", "channel", CHANNEL))
                .contains("In <#" + CHANNEL + ">:\n")
                .endsWith("music: `true` (set for <#" + CHANNEL + ">)");
        assertThat(config("show")).as("show without a setting lists them").isEqualTo(config("list"));
    }

    @Test
    void showDescribesOneSettingWithItsDeclaration() {
        config("set", "setting", "auto_roles", "value", "[\"111111111111111111\"]");

        assertThat(config("show", "setting", "auto_roles")).isEqualTo("""
                        auto_roles: `["111111111111111111"]` (set for this server)
                        What it is: Roles every new member gets
                        Type: list<snowflake>
                        Rules: size(0,10), unique
                        Can be set: for the whole bot (by its operator), for this server
                        Default: none""");
        assertThat(config("show", "setting", "prefix")).isEqualTo("""
                        prefix: `?` (bot default, BOT_PREFIX)
                        Type: string
                        Rules: length(1,5)
                        Can be set: for the whole bot (by its operator), for this server
                        Default: `!`, or BOT_PREFIX if the bot sets it""");
        assertThat(config("show", "setting", "music", "channel", CHANNEL))
                .startsWith("music: `false` (built-in default)\n")
                .contains("Can be set: for this server, per channel\n");
        assertThat(config("show", "setting", "colour"))
                .isEqualTo("Cannot show that: there is no setting \"colour\". /config list shows every setting.");
    }

    @Test
    void showNamesAStoredValueThatIsSkippedAsInvalid() throws Exception {
        sql("INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('guild', '" + GUILD
                + "', '', 'prefix', 'toolong')");

        assertThat(config("show", "setting", "prefix"))
                .startsWith("prefix: `?` (bot default, BOT_PREFIX)\n"
                        + "Ignored the value `toolong` stored for this server: Setting \"prefix\": \"toolong\" breaks"
                        + " rule length(1,5): 7 characters, allowed 1 to 5. Set a valid value or reset it.\n");
        assertThat(config("list")).contains("prefix: `?` (bot default, BOT_PREFIX) - ignoring an invalid stored value");
    }

    @Test
    void setReadsTheValueWithTheSettingsCodecAndConfirmsIt() {
        assertThat(config("set", "setting", "prefix", "value", "$"))
                .isEqualTo("Saved.\nprefix: `$` (set for this server)");
        assertThat(config("set", "setting", "welcome_channel", "value", CHANNEL))
                .isEqualTo("Saved.\nwelcome_channel: `" + CHANNEL + "` (set for this server)");

        assertThat(settings.get(BotSettings.PREFIX, GUILD)).contains("$");
        assertThat(settings.get(BotSettings.WELCOME_CHANNEL, GUILD)).contains(CHANNEL);
    }

    @Test
    void aValueThatBreaksARuleIsRefusedWithTheRulesMessageAndNothingIsWritten() throws Exception {
        assertThat(config("set", "setting", "language", "value", "es"))
                .isEqualTo(
                        "Not saved: Setting \"language\": \"es\" breaks rule one-of(en,de,fr): not one of en, de, fr");
        assertThat(config("set", "setting", "prefix", "value", "toolong"))
                .isEqualTo("Not saved: Setting \"prefix\": \"toolong\" breaks rule length(1,5): 7 characters, allowed 1"
                        + " to 5");
        assertThat(config("set", "setting", "music", "value", "loud"))
                .startsWith("Not saved: Setting \"music\": \"loud\"");
        assertThat(config("set", "setting", "welcome_channel", "value", "#general"))
                .startsWith("Not saved: Setting \"welcome_channel\": \"#general\" is not a snowflake");
        assertThat(config("set", "setting", "colour", "value", "blue"))
                .isEqualTo("Not saved: there is no setting \"colour\". /config list shows every setting.");
        assertThat(config("set", "setting", "prefix")).startsWith("Not saved: give the value");

        assertThat(settingRows()).as("nothing written").isZero();
        assertThat(settings.resolve(BotSettings.LANGUAGE, GUILD).origin()).isEqualTo(Origin.DEFAULT);
    }

    @Test
    void aChannelOverrideIsStoredWhereTheSettingAllowsItAndRefusedWhereNot() throws Exception {
        config("set", "setting", "music", "value", "true");

        assertThat(config("set", "setting", "music", "value", "false", "channel", CHANNEL))
                .isEqualTo("Saved.\nmusic: `false` (set for <#" + CHANNEL + ">)");
        assertThat(settings.get(BotSettings.MUSIC, GUILD, CHANNEL)).contains(false);
        assertThat(settings.get(BotSettings.MUSIC, GUILD, OTHER_CHANNEL)).contains(true);

        long rows = settingRows();
        assertThat(config("set", "setting", "prefix", "value", "$", "channel", CHANNEL))
                .isEqualTo("Not saved: prefix is one value for the whole server; it cannot be set per channel. Leave"
                        + " out the channel to set it for the server.");
        assertThat(config("reset", "setting", "prefix", "channel", CHANNEL))
                .startsWith("Not saved: prefix is one value for the whole server");
        assertThat(settingRows()).as("nothing written").isEqualTo(rows);
    }

    @Test
    void resetFallsBackToTheServersValueOrTheDefault() {
        config("set", "setting", "music", "value", "true");
        config("set", "setting", "music", "value", "false", "channel", CHANNEL);

        assertThat(config("reset", "setting", "music", "channel", CHANNEL))
                .isEqualTo("Saved.\nmusic: `true` (set for this server)");
        assertThat(config("reset", "setting", "music")).isEqualTo("Saved.\nmusic: `false` (built-in default)");
        assertThat(settings.resolve(BotSettings.MUSIC, GUILD, CHANNEL).origin()).isEqualTo(Origin.DEFAULT);
    }

    @Test
    void autocompleteOffersTheSettingsThatStartWithWhatWasTyped() {
        assertThat(bot.settingNames(""))
                .containsExactly("prefix", "language", "welcome_channel", "auto_roles", "music");
        assertThat(bot.settingNames("mu")).containsExactly("music");
        assertThat(bot.settingNames("  LANG")).containsExactly("language");
        assertThat(bot.settingNames("x")).isEmpty();
    }

    @Test
    void autocompleteOffersAtMostTwentyFiveSettings() {
        var many = new java.util.ArrayList<dev.configstore.settings.Setting<?>>();
        for (int i = 0; i < 30; i++) {
            many.add(dev.configstore.settings.Setting.bool("switch_" + i).build());
        }
        BotSettings manySettings = new BotSettings(
                config.loggingStore(),
                config.flaggerStore(),
                config.settings(dev.configstore.settings.SettingsSchema.of(Map.of(), many)),
                new MemberActivity(config.keyValueStore("last-message")));

        assertThat(manySettings.settingNames("switch_")).hasSize(25).startsWith("switch_0", "switch_1");
        assertThat(manySettings.settingNames("switch_2"))
                .containsExactly(
                        "switch_2",
                        "switch_20",
                        "switch_21",
                        "switch_22",
                        "switch_23",
                        "switch_24",
                        "switch_25",
                        "switch_26",
                        "switch_27",
                        "switch_28",
                        "switch_29");
    }

    @Test
    void aStorageFailureIsAnsweredAndChangesNothing() throws Exception {
        config("logging", "channel", CHANNEL);
        config("set", "setting", "language", "value", "de");
        for (String table : List.of("guild_config", "configstore_settings")) {
            for (String change : List.of("INSERT", "UPDATE")) {
                sql("CREATE TRIGGER refuse_" + table + "_" + change + " BEFORE " + change + " ON " + table
                        + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            }
        }

        assertThat(config("logging", "channel", "111111111111111111"))
                .startsWith("Not saved, the settings could not be stored right now; nothing was changed.");
        assertThat(config("set", "setting", "language", "value", "fr"))
                .startsWith("Not saved, the settings could not be stored right now; nothing was changed.");
        assertThat(bot.loggingChannel(GUILD)).contains(CHANNEL);
        assertThat(settings.get(BotSettings.LANGUAGE, GUILD)).contains("de");
    }

    @Test
    void leavingAGuildForgetsItsCacheAndKeepsItsSettings() {
        config("logging", "channel", CHANNEL);
        bot.loggingChannel(GUILD);
        long loadsBefore = config.guildConfig().stats().loads();

        bot.guildLeft(GUILD);

        assertThat(bot.loggingChannel(GUILD)).contains(CHANNEL);
        assertThat(config.guildConfig().stats().loads()).isEqualTo(loadsBefore + 1);
    }
}
