package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {

    private static final Setting<String> PREFIX = Setting.text("prefix")
            .rule(Rule.length(1, 5))
            .defaultValue("!")
            .environment("BOT_PREFIX")
            .description("Command prefix")
            .build();
    private static final Setting<Integer> DAYS = Setting.integer("silent_days")
            .rule(Rule.range(7, 365))
            .defaultValue(7)
            .environment("SILENT_DAYS")
            .build();
    private static final Setting<String> LOG_CHANNEL =
            Setting.snowflake("log_channel").environment("LOG_CHANNEL").build();

    @Test
    void theEnvironmentWinsOverTheDefaultAndAnEmptyVariableIsUnset() {
        SettingsSchema schema = SettingsSchema.of(
                Map.of("BOT_PREFIX", "?", "SILENT_DAYS", "", "UNRELATED", "x"), PREFIX, DAYS, LOG_CHANNEL);
        assertThat(schema.fallback(PREFIX))
                .isEqualTo(new Resolution<>(Optional.of("?"), Origin.ENVIRONMENT, List.of()));
        assertThat(schema.fallback(DAYS)).isEqualTo(new Resolution<>(Optional.of(7), Origin.DEFAULT, List.of()));
        assertThat(schema.fallback(LOG_CHANNEL)).isEqualTo(new Resolution<>(Optional.empty(), Origin.NONE, List.of()));
    }

    @Test
    void listsTheSettingsInOrderAndFindsThemByKey() {
        SettingsSchema schema = SettingsSchema.of(Map.of(), List.of(DAYS, PREFIX));
        assertThat(schema.settings()).containsExactly(DAYS, PREFIX);
        assertThat(schema.setting("prefix")).containsSame(PREFIX);
        assertThat(schema.setting("nope")).isEmpty();
    }

    @Test
    void aSettingInSeveralSchemasIsFoundAtItsIndexInEach() {
        Setting<String> prefix = Setting.text("prefix").defaultValue("!").build();
        Setting<Integer> days = Setting.integer("silent_days")
                .defaultValue(7)
                .environment("SILENT_DAYS")
                .build();
        SettingsSchema first = SettingsSchema.of(Map.of(), prefix, days);
        SettingsSchema second = SettingsSchema.of(Map.of("SILENT_DAYS", "9"), days, PREFIX);
        SettingsSchema third = SettingsSchema.of(Map.of(), PREFIX);

        assertThat(first.index(prefix)).isZero();
        assertThat(first.index(days)).isEqualTo(1);
        assertThat(second.index(days)).isZero();
        assertThat(second.index(PREFIX)).isEqualTo(1);
        assertThat(third.index(PREFIX)).isZero();
        assertThat(second.global(Map.of()).resolve(days).value()).contains(9);
        assertThat(first.global(Map.of()).resolve(days).value()).contains(7);
        assertThatThrownBy(() -> third.index(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not declared in this schema");
        assertThatThrownBy(() -> third.index(null)).hasMessage("setting must not be null");
    }

    @Test
    void refusesTwoSettingsWithOneKey() {
        Setting<Integer> otherPrefix = Setting.integer("prefix").build();
        assertThatThrownBy(() -> SettingsSchema.of(Map.of(), PREFIX, otherPrefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Setting key \"prefix\" is declared by two settings (a string, \"Command prefix\" and"
                        + " a int); each key names one setting");
    }

    @Test
    void refusesASettingListedTwice() {
        assertThatThrownBy(() -> SettingsSchema.of(Map.of(), PREFIX, DAYS, PREFIX))
                .hasMessage("Setting \"prefix\" is listed twice; list each setting once");
    }

    @Test
    void refusesADefaultThatBreaksItsOwnRules() {
        Setting<Integer> bad = Setting.integer("silent_days")
                .rule(Rule.range(7, 365))
                .defaultValue(3)
                .build();
        assertThatThrownBy(() -> SettingsSchema.of(Map.of(), bad))
                .hasMessage("The declared default is refused. Setting \"silent_days\": \"3\" breaks rule range(7,365):"
                        + " below the minimum 7");
    }

    @Test
    void refusesAnEnvironmentValueThatDoesNotDecode() {
        assertThatThrownBy(() -> SettingsSchema.of(Map.of("SILENT_DAYS", "seven"), DAYS))
                .hasMessageStartingWith("Environment variable SILENT_DAYS is refused. Setting \"silent_days\":"
                        + " \"seven\" is not a int: must be a whole number");
        assertThatThrownBy(() -> SettingsSchema.of(Map.of("LOG_CHANNEL", "#general"), LOG_CHANNEL))
                .hasMessageStartingWith("Environment variable LOG_CHANNEL is refused. Setting \"log_channel\":"
                        + " \"#general\" is not a snowflake:");
    }

    @Test
    void refusesAnEnvironmentValueThatBreaksARule() {
        assertThatThrownBy(() -> SettingsSchema.of(Map.of("BOT_PREFIX", "toolong"), PREFIX))
                .hasMessage("Environment variable BOT_PREFIX is refused. Setting \"prefix\": \"toolong\" breaks rule"
                        + " length(1,5): 7 characters, allowed 1 to 5");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> SettingsSchema.of(Map.of("BOT_PREFIX", "toolong", "SILENT_DAYS", "1"), PREFIX, DAYS))
                .hasMessageStartingWith("2 problems with the declared settings:\n  Environment variable BOT_PREFIX")
                .hasMessageContaining("\n  Environment variable SILENT_DAYS is refused.");
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void refusesNullsWithClearMessages() {
        assertThatThrownBy(() -> SettingsSchema.of(null, PREFIX)).hasMessageContaining("environment must not be null");
        assertThatThrownBy(() -> SettingsSchema.of(Map.of(), PREFIX, null))
                .hasMessageContaining("settings must not contain null");
    }

    @Test
    void refusesASettingItDoesNotDeclare() {
        SettingsSchema schema = SettingsSchema.of(Map.of(), PREFIX);
        assertThatThrownBy(() -> schema.fallback(DAYS))
                .hasMessage("Setting \"silent_days\" is not declared in this schema; add it to the settings the schema"
                        + " is made of");
        assertThatThrownBy(() -> schema.global(Map.of()).guild("1").get(DAYS))
                .hasMessageContaining("\"silent_days\" is not declared");
    }

    @Test
    void malformedDeclarationsAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> Setting.text("Prefix"))
                .hasMessageContaining("lowercase letter")
                .hasMessageContaining("\"Prefix\"");
        assertThatThrownBy(() -> Setting.text("")).hasMessageContaining("got \"\"");
        assertThatThrownBy(() -> Setting.text("a".repeat(65))).hasMessageContaining("up to 63");
        assertThatThrownBy(() -> Setting.text("prefix").environment("BOT-PREFIX"))
                .hasMessageContaining("Setting \"prefix\": an environment variable's name")
                .hasMessageContaining("\"BOT-PREFIX\"");
        assertThatThrownBy(() -> Setting.enumeration("e", Empty.class)).hasMessageContaining("has no constants");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes", "NullAway"}) // goes around the types on purpose
    void aRuleWhoseValuesTheCodecCannotWriteIsRefusedWhenBuilt() {
        Setting.Builder raw = Setting.text("prefix");
        raw.rule(Rule.oneOf(1, 2));
        assertThatThrownBy(raw::build)
                .hasMessageStartingWith(
                        "Setting \"prefix\": rule OneOf[values=[1, 2]] holds values that are not string values");
    }

    @Test
    void describesItselfForTools() {
        assertThat(PREFIX.key()).isEqualTo("prefix");
        assertThat(PREFIX.codec().type()).isEqualTo("string");
        assertThat(PREFIX.ruleTexts()).containsExactly("length(1,5)");
        assertThat(PREFIX.defaultValue()).contains("!");
        assertThat(PREFIX.environmentVariable()).contains("BOT_PREFIX");
        assertThat(PREFIX.description()).isEqualTo("Command prefix");
        assertThat(PREFIX.scopes()).containsExactly(Scope.GLOBAL, Scope.GUILD);
        assertThat(PREFIX).hasToString("prefix");
    }

    enum Empty {}
}
