package dev.configstore.settings;

import static dev.configstore.settings.Rule.length;
import static dev.configstore.settings.Rule.oneOf;
import static dev.configstore.settings.Rule.size;
import static dev.configstore.settings.Rule.unique;
import static dev.configstore.settings.Scope.CHANNEL;
import static dev.configstore.settings.Scope.GUILD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example bot: its five own settings, declared and used with no other settings code. */
class BotSettingsExampleTest {

    // declarations:start
    static final Setting<String> PREFIX = Setting.text("prefix", length(1, 5))
            .defaultValue("!")
            .environment("BOT_PREFIX")
            .build();
    static final Setting<String> LANGUAGE =
            Setting.text("language", oneOf("en", "de", "fr")).defaultValue("en").build();
    static final Setting<String> WELCOME_CHANNEL =
            Setting.snowflake("welcome_channel").build();
    static final Setting<List<String>> AUTO_ROLES =
            Setting.list("auto_roles", Codec.snowflake(), size(0, 10), unique()).build();
    static final Setting<Boolean> MUSIC =
            Setting.bool("music").defaultValue(false).scopes(GUILD, CHANNEL).build();
    // declarations:end

    private final SettingsSchema schema =
            SettingsSchema.of(Map.of("BOT_PREFIX", "?"), PREFIX, LANGUAGE, WELCOME_CHANNEL, AUTO_ROLES, MUSIC);

    @Test
    void theFiveSettingsTakeAtMostFifteenLines() throws IOException {
        List<String> source =
                Files.readAllLines(Path.of("src/test/java/dev/configstore/settings/BotSettingsExampleTest.java"));
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
