package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.GuildConfig;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.FaultyGuildSettingsBackend;
import dev.configstore.testkit.InMemoryBackend;
import dev.configstore.testkit.InMemoryGuildSettingsBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.junit.jupiter.api.Test;

/** The example bot's decisions, without a Discord connection. */
class BotSettingsTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";
    private static final String MEMBER = "555555555555555555";

    private final FaultyGuildSettingsBackend backend =
            FaultyGuildSettingsBackend.wrap(InMemoryGuildSettingsBackend.create());
    private final GuildConfig config = GuildConfig.builder(backend)
            .defaults(ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", "30")))
            .build();
    private final BotSettings bot = new BotSettings(
            config.loggingStore(),
            config.flaggerStore(),
            new MemberActivity(CachedKeyValueStore.builder(InMemoryBackend.<String, String>create())
                    .build()));

    @Test
    void aMessageIsFlaggedOnlyAfterTheThresholdAndOnlyWhereAReportChannelIsSet() {
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(100)))
                .as("no report channel")
                .isEmpty();

        bot.configCommand(GUILD, "flags", CHANNEL);

        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(29))).isEmpty();
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(30))).contains(CHANNEL);
        assertThat(bot.flagReportChannel(GUILD, null)).as("not a first message").isEmpty();
        bot.configCommand(GUILD, "silent-days", "7");
        assertThat(bot.flagReportChannel(GUILD, Duration.ofDays(7))).contains(CHANNEL);
    }

    @Test
    void aMessageIsReportedWhenItEndsALongEnoughSilenceInItsGuild() {
        Instant joined = Instant.parse("2026-01-01T00:00:00Z");
        bot.configCommand(GUILD, "flags", CHANNEL);

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
    void configShowSaysWhereEachSettingComesFrom() {
        bot.configCommand(GUILD, "logging", CHANNEL);

        assertThat(bot.configCommand(GUILD, "show", null))
                .isEqualTo("Logging channel: <#" + CHANNEL + "> (set for this server)\n"
                        + "Flagged-report channel: none (built-in default)\n"
                        + "Silent days: 30 (bot default)");
    }

    @Test
    void aChangeIsConfirmedAndClearingWithoutAValueBringsTheDefaultBack() {
        assertThat(bot.configCommand(GUILD, "silent-days", "45"))
                .startsWith("Saved.")
                .contains("Silent days: 45");
        assertThat(bot.configCommand(GUILD, "silent-days", null)).contains("Silent days: 30 (bot default)");
        assertThat(bot.loggingChannel(GUILD)).isEmpty();
    }

    @Test
    void badInputIsAnsweredWithTheRuleAndNothingIsSaved() {
        assertThat(bot.configCommand(GUILD, "silent-days", "366"))
                .isEqualTo("Not saved: Silent days threshold must be between 7 and 365 days, got 366");
        assertThat(bot.configCommand(GUILD, "silent-days", "a week"))
                .startsWith("Not saved: Silent days must be a whole number");
        assertThat(bot.configCommand(GUILD, "silent-days", "+30"))
                .isEqualTo("Not saved: Silent days must be a whole number written with the digits 0-9 only (no sign,"
                        + " spaces or other digits), got \"+30\"");
        assertThat(bot.configCommand(GUILD, "silent-days", "\u0663\u0660"))
                .startsWith("Not saved: Silent days must be a whole number written with the digits 0-9 only");
        assertThat(bot.configCommand(GUILD, "logging", "#general"))
                .startsWith("Not saved: channelId must be a Discord snowflake");
        assertThat(bot.configCommand(GUILD, "colour", "blue")).startsWith("Unknown setting");
        assertThat(backend.faults().calls(Call.WRITE)).isZero();
    }

    @Test
    void aStorageFailureIsAnsweredAndChangesNothing() {
        bot.configCommand(GUILD, "logging", CHANNEL);
        backend.faults().failNext(Call.WRITE, StoreException.Reason.BUSY);

        assertThat(bot.configCommand(GUILD, "logging", "111111111111111111"))
                .isEqualTo("Not saved, the settings could not be stored right now; nothing was changed. (BUSY)");
        assertThat(bot.loggingChannel(GUILD)).contains(CHANNEL);
    }

    @Test
    void leavingAGuildForgetsItsCacheAndKeepsItsSettings() {
        bot.configCommand(GUILD, "logging", CHANNEL);
        bot.loggingChannel(GUILD);
        long readsBefore = backend.faults().calls(Call.READ);

        bot.guildLeft(GUILD);

        assertThat(bot.loggingChannel(GUILD)).contains(CHANNEL);
        assertThat(backend.faults().calls(Call.READ)).isEqualTo(readsBefore + 1);
    }

    @Test
    void theSlashCommandOffersEverySetting() {
        assertThat(ConfigBot.configCommand().getSubcommands())
                .extracting(subcommand -> subcommand.getName())
                .containsExactly("show", "logging", "flags", "silent-days");
    }
}
