package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTest {

    private static final Setting<Integer> DAYS =
            Setting.integer("silent_days").rule(Rule.range(7, 365)).build();
    private static final Setting<String> PREFIX =
            Setting.text("prefix").rule(Rule.length(1, 5)).build();
    private static final Setting<String> NAME =
            Setting.text("name").rule(Rule.pattern("[a-z]+")).build();
    private static final Setting<String> LANGUAGE =
            Setting.text("language").rule(Rule.oneOf("en", "de", "fr")).build();
    private static final Setting<String> OWNER =
            Setting.text("owner").rule(Rule.snowflake()).build();
    private static final Setting<List<String>> ROLES = Setting.list("auto_roles", Codec.snowflake())
            .rule(Rule.size(0, 3))
            .rule(Rule.unique())
            .build();
    private static final Setting<Duration> COOLDOWN = Setting.duration("cooldown")
            .rule(Rule.range(Duration.ofSeconds(1), Duration.ofHours(1)))
            .build();
    private static final Setting<Integer> EVEN =
            Setting.integer("even").check("an even number", v -> v % 2 == 0).build();

    @Test
    void rangeAcceptsItsBoundsAndRefusesBeyondThem() {
        assertThat(DAYS.decode("7")).isEqualTo(7);
        assertThat(DAYS.decode("365")).isEqualTo(365);
        assertThatThrownBy(() -> DAYS.decode("6"))
                .hasMessage("Setting \"silent_days\": \"6\" breaks rule range(7,365): below the minimum 7");
        assertThatThrownBy(() -> DAYS.encode(366))
                .hasMessage("Setting \"silent_days\": \"366\" breaks rule range(7,365): above the maximum 365");
        assertThat(COOLDOWN.decode("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> COOLDOWN.decode("PT0.5S"))
                .hasMessage("Setting \"cooldown\": \"PT0.5S\" breaks rule range(PT1S,PT1H): below the minimum PT1S");
    }

    @Test
    void lengthCountsCodePoints() {
        assertThat(PREFIX.decode("!")).isEqualTo("!");
        assertThat(PREFIX.decode("😀😀😀😀😀")).hasSize(10);
        assertThatThrownBy(() -> PREFIX.decode(""))
                .hasMessage("Setting \"prefix\": \"\" breaks rule length(1,5): 0 characters, allowed 1 to 5");
        assertThatThrownBy(() -> PREFIX.encode("abcdef"))
                .hasMessage("Setting \"prefix\": \"abcdef\" breaks rule length(1,5): 6 characters, allowed 1 to 5");
    }

    @Test
    void patternMustMatchTheWholeText() {
        assertThat(NAME.decode("abc")).isEqualTo("abc");
        assertThatThrownBy(() -> NAME.decode("abc1"))
                .hasMessage("Setting \"name\": \"abc1\" breaks rule pattern(\"[a-z]+\"):"
                        + " does not match the pattern as a whole");
        assertThatThrownBy(() -> Rule.pattern("[")).hasMessageContaining("pattern [ does not compile");
    }

    @Test
    void oneOfNamesTheValuesAllowed() {
        assertThat(LANGUAGE.decode("de")).isEqualTo("de");
        assertThatThrownBy(() -> LANGUAGE.decode("es"))
                .hasMessage("Setting \"language\": \"es\" breaks rule one-of(en,de,fr): not one of en, de, fr");
    }

    @Test
    void snowflakeSaysWhatIsWrong() {
        assertThat(OWNER.decode("123")).isEqualTo("123");
        assertThatThrownBy(() -> OWNER.decode("0123"))
                .hasMessageStartingWith("Setting \"owner\": \"0123\" breaks rule snowflake: ")
                .hasMessageContaining("leading zero");
    }

    @Test
    void sizeAndUniqueCheckLists() {
        assertThat(ROLES.decode("[]")).isEmpty();
        assertThat(ROLES.decode("[\"1\",\"2\",\"3\"]")).containsExactly("1", "2", "3");
        assertThatThrownBy(() -> ROLES.decode("[\"1\",\"2\",\"3\",\"4\"]"))
                .hasMessage("Setting \"auto_roles\": \"[\\\"1\\\",\\\"2\\\",\\\"3\\\",\\\"4\\\"]\" breaks rule"
                        + " size(0,3): 4 elements, allowed 0 to 3");
        assertThatThrownBy(() -> ROLES.encode(List.of("1", "2", "1")))
                .hasMessageContaining("breaks rule unique: element \"1\" appears more than once");
    }

    @Test
    void aCustomRuleIsCheckedAndNamedByItsDescription() {
        assertThat(EVEN.decode("4")).isEqualTo(4);
        assertThatThrownBy(() -> EVEN.decode("3"))
                .hasMessage("Setting \"even\": \"3\" breaks rule custom(\"an even number\"):"
                        + " the application's check refused it (an even number)");
        assertThat(EVEN.rules().get(0).isData()).isFalse();
        Setting<Integer> throwing = Setting.integer("throwing")
                .check("never throws", v -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        assertThatThrownBy(() -> throwing.decode("1"))
                .hasMessageContaining("the check threw")
                .hasMessageContaining("boom");
    }

    @Test
    void rulesAreCheckedInOrderAndTheFirstBrokenOneIsNamed() {
        Setting<String> both = Setting.text("both")
                .rule(Rule.length(1, 3))
                .rule(Rule.pattern("[a-z]*"))
                .build();
        assertThatThrownBy(() -> both.decode("ABCD")).hasMessageContaining("length(1,3)");
        assertThatThrownBy(() -> both.decode("AB")).hasMessageContaining("pattern(\"[a-z]*\")");
    }

    @Test
    void aTextThatDoesNotDecodeNamesTheSettingTheTypeAndTheValue() {
        assertThatThrownBy(() -> DAYS.decode("seven"))
                .hasMessageStartingWith("Setting \"silent_days\": \"seven\" is not a int: must be a whole number");
    }

    @Test
    void everyDataRuleReadsBackFromItsText() {
        List<Setting<?>> settings = List.of(DAYS, PREFIX, NAME, LANGUAGE, OWNER, ROLES, COOLDOWN);
        for (Setting<?> setting : settings) {
            assertReadsBack(setting);
        }
        assertThat(ROLES.ruleTexts()).containsExactly("size(0,3)", "unique");
        Setting<String> odd = Setting.text("odd")
                .rule(Rule.oneOf("a b", "c,d", "\"q\"", ")"))
                .rule(Rule.pattern("a\\b"))
                .build();
        assertThat(odd.ruleTexts())
                .containsExactly("one-of(\"a b\",\"c,d\",\"\\\"q\\\"\",\")\")", "pattern(\"a\\\\b\")");
        assertReadsBack(odd);
    }

    @Test
    void aCustomRuleReadsBackAsItsDescriptionAndRefusesEverything() {
        Rule<Integer> parsed = Rule.parse(EVEN.ruleTexts().get(0), Codec.integer());
        assertThat(parsed.isData()).isFalse();
        assertThat(((Rule.Custom<Integer>) parsed).description()).isEqualTo("an even number");
        assertThat(parsed.accepts(4)).isFalse();
    }

    @Test
    void ruleTextsThatAreNotRulesForTheTypeAreRefused() {
        assertThatThrownBy(() -> Rule.parse("length(1,5)", Codec.integer()))
                .hasMessage("rule \"length(1,5)\" applies to text, not to int");
        assertThatThrownBy(() -> Rule.parse("unique", Codec.string()))
                .hasMessage("rule \"unique\" applies to lists, not to string");
        assertThatThrownBy(() -> Rule.parse("range(1,x)", Codec.integer())).hasMessageContaining("\"x\" is not a int");
        assertThatThrownBy(() -> Rule.parse("range(5,1)", Codec.integer())).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> Rule.parse("range(\"[]\",\"[]\")", Codec.list(Codec.string())))
                .hasMessageContaining("compared");
        assertThatThrownBy(() -> Rule.parse("length(1)", Codec.string())).hasMessageContaining("takes 2 arguments");
        assertThatThrownBy(() -> Rule.parse("maximum(3)", Codec.integer())).hasMessageContaining("is not one of range");
        assertThatThrownBy(() -> Rule.parse("pattern(a b)", Codec.string())).hasMessageContaining("bad arguments");
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void malformedRulesAreRefusedWhenMade() {
        assertThatThrownBy(() -> Rule.range(5, 1)).hasMessage("range needs min <= max, got 5 > 1");
        assertThatThrownBy(() -> Rule.length(-1, 1)).hasMessage("length needs 0 <= min <= max, got -1 and 1");
        assertThatThrownBy(() -> Rule.size(3, 2)).hasMessage("size needs 0 <= min <= max, got 3 and 2");
        assertThatThrownBy(() -> Rule.oneOf()).hasMessageContaining("one-of needs at least one value");
        assertThatThrownBy(() -> Rule.oneOf("a", null)).hasMessageContaining("no null");
        assertThatThrownBy(() -> Rule.custom(" ", v -> true)).hasMessageContaining("needs a description");
    }

    private static <T> void assertReadsBack(Setting<T> setting) {
        for (int i = 0; i < setting.rules().size(); i++) {
            Rule<T> parsed = Rule.parse(setting.ruleTexts().get(i), setting.codec());
            assertThat(parsed)
                    .as(setting.ruleTexts().get(i))
                    .isEqualTo(setting.rules().get(i));
            assertThat(Rules.text(parsed, setting.codec()))
                    .isEqualTo(setting.ruleTexts().get(i));
        }
    }
}
