package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingsSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example bot's five own settings, declared in {@link BotSettings} and used with no other
 * settings code: the declaration stays within fifteen lines.
 */
class BotSettingsExampleTest {

    private static final Setting<String> PREFIX = BotSettings.PREFIX;
    private static final Setting<String> LANGUAGE = BotSettings.LANGUAGE;
    private static final Setting<String> WELCOME_CHANNEL = BotSettings.WELCOME_CHANNEL;
    private static final Setting<List<String>> AUTO_ROLES = BotSettings.AUTO_ROLES;
    private static final Setting<Boolean> MUSIC = BotSettings.MUSIC;

    private final SettingsSchema schema = BotSettings.schema(Map.of("BOT_PREFIX", "?"));

    @Test
    void theFiveSettingsTakeAtMostFifteenLines() throws IOException {
        List<String> source =
                Files.readAllLines(Path.of("src/main/java/dev/configstore/examples/bot/BotSettings.java"));
        int start = source.indexOf("    // declarations:start");
        int end = source.indexOf("    // declarations:end");
        assertThat(start).isNotNegative();
        assertThat(end - start - 1).isLessThanOrEqualTo(15);
    }

    @Test
    void aNewGuildGetsTheEnvironmentAndTheDefaults() {
        GuildSnapshot guild = schema.global(Map.of()).guild("1");
        assertThat(guild.resolve(PREFIX).value()).contains("?");
        assertThat(guild.resolve(PREFIX).origin()).isEqualTo(Origin.ENVIRONMENT);
        assertThat(guild.get(LANGUAGE)).contains("en");
        assertThat(guild.get(WELCOME_CHANNEL)).isEmpty();
        assertThat(guild.get(AUTO_ROLES)).isEmpty();
        assertThat(guild.get(MUSIC, "2")).contains(false);
    }

    @Test
    void storedValuesAreTypedAndMusicCanBeSwitchedPerChannel() {
        GuildSnapshot guild = schema.global(Map.of())
                .guild(
                        "1",
                        Map.of(
                                "language", "de",
                                "welcome_channel", "42",
                                "auto_roles", AUTO_ROLES.encode(List.of("7", "8")),
                                "music", "true"),
                        Map.of("2", Map.of("music", "false")));
        assertThat(guild.get(LANGUAGE)).contains("de");
        assertThat(guild.get(WELCOME_CHANNEL)).contains("42");
        assertThat(guild.get(AUTO_ROLES)).contains(List.of("7", "8"));
        assertThat(guild.get(MUSIC)).contains(true);
        assertThat(guild.resolve(MUSIC, "2").value()).contains(false);
        assertThat(guild.resolve(MUSIC, "2").origin()).isEqualTo(Origin.CHANNEL);
        assertThat(guild.get(MUSIC, "3")).contains(true);
    }

    @Test
    void valuesOutsideTheRulesAreRefusedOnWriteAndSkippedOnRead() {
        assertThatThrownBy(() -> LANGUAGE.encode("es"))
                .hasMessage("Setting \"language\": \"es\" breaks rule one-of(en,de,fr): not one of en, de, fr");
        List<String> eleven = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        assertThatThrownBy(() -> AUTO_ROLES.encode(eleven)).hasMessageContaining("breaks rule size(0,10)");
        GuildSnapshot guild = schema.global(Map.of()).guild("1", Map.of("prefix", "toolong"), Map.of());
        assertThat(guild.resolve(PREFIX).value()).contains("?");
        assertThat(guild.resolve(PREFIX).skipped())
                .singleElement()
                .satisfies(
                        skipped -> assertThat(skipped.reason())
                                .isEqualTo(
                                        "Setting \"prefix\": \"toolong\" breaks rule length(1,5): 7 characters, allowed 1 to 5"));
    }
}
