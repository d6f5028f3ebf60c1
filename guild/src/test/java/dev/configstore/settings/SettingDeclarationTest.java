package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingDeclarationTest {

    enum Language {
        EN,
        DE
    }

    private static final Setting<List<String>> ROLES = Setting.list(
                    "auto-roles", Codec.snowflake(), Rule.size(0, 3), Rule.unique())
            .defaultValue(List.of())
            .environment("AUTO_ROLES")
            .description("roles \"new\" members get")
            .scopes(Scope.GUILD)
            .build();

    @Test
    void aDeclarationIsTheSettingAsText() {
        assertThat(SettingDeclaration.of(ROLES))
                .isEqualTo(new SettingDeclaration(
                        "auto-roles",
                        "list<snowflake>",
                        Set.of(Scope.GUILD),
                        List.of("size(0,3)", "unique"),
                        List.of(),
                        Optional.of("[]"),
                        Optional.of("AUTO_ROLES"),
                        "roles \"new\" members get"));
    }

    @Test
    void aSettingReadBackIsDeclaredAlikeAndChecksTheSameDataRules() {
        Setting<?> back = SettingDeclaration.of(ROLES).toSetting();
        assertThat(SettingDeclaration.of(back)).isEqualTo(SettingDeclaration.of(ROLES));
        assertThat(back.decode("[\"1\",\"2\"]")).isEqualTo(List.of("1", "2"));
        assertThatThrownBy(() -> back.decode("[\"1\",\"1\"]")).hasMessageContaining("breaks rule unique");
        assertThatThrownBy(() -> back.decode("[\"x\"]")).hasMessageContaining("is not a snowflake");
    }

    @Test
    void everyBuiltInTypeComesBackByItsName() {
        for (Codec<?> codec : List.of(
                Codec.string(),
                Codec.integer(),
                Codec.longInteger(),
                Codec.bool(),
                Codec.snowflake(),
                Codec.duration(),
                Codec.list(Codec.duration()))) {
            if (!codec.type().startsWith("list<")) {
                assertThat(Codec.forType(codec.type())).isSameAs(codec);
            }
            assertThat(Codec.forType(codec.type()).type()).isEqualTo(codec.type());
        }
        assertThat(Codec.forType("duration").decode("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Codec.forType("list<int>").decode("[\"1\",\"2\"]")).isEqualTo(List.of(1, 2));
        Codec<?> language = Codec.forType(Codec.enumeration(Language.class).type());
        assertThat(language.type()).isEqualTo("enum(EN,DE)");
        assertThat(language.decode("DE")).isEqualTo("DE");
        assertThatThrownBy(() -> language.decode("FR")).hasMessage("must be one of EN, DE");
    }

    @Test
    void aUsersTypeComesBackAsItsTextKeptExactly() {
        Codec<?> json = Codec.forType("json:welcome");
        assertThat(json.type()).isEqualTo("json:welcome");
        assertThat(json.decode(" {\"a\": 1} ")).isEqualTo(" {\"a\": 1} ");
    }

    @Test
    void customRulesBecomeApplicationOnlyAndRefuseEveryWrite() {
        Setting<String> nickname = Setting.text("nickname", Rule.length(1, 8))
                .check("no rude words", text -> !text.contains("rude"))
                .defaultValue("bot")
                .build();
        SettingDeclaration declaration = SettingDeclaration.of(nickname);
        assertThat(declaration.rules()).containsExactly("length(1,8)");
        assertThat(declaration.customRules()).containsExactly("no rude words");

        @SuppressWarnings("unchecked")
        Setting<Object> back = (Setting<Object>) declaration.toSetting();
        assertThat(back.applicationOnlyRules()).containsExactly("no rude words");
        assertThat(back.decode("kind")).isEqualTo("kind");
        assertThatThrownBy(() -> back.decode("far too long")).hasMessageContaining("breaks rule length(1,8)");
        assertThatThrownBy(() -> back.encode("kind"))
                .hasMessage("Setting \"nickname\" has a rule only the application can check: no rude words; change it"
                        + " from the application");
        // Its default is still checked against the data rules, and it still makes a schema.
        assertThat(SettingsSchema.of(Map.of(), back).fallback(back).value()).contains("bot");
        assertThat(SettingDeclaration.of(back)).isEqualTo(declaration);
    }

    @Test
    void twoDeclarationsOfAKeyMustAgreeOnTypeScopesRulesAndDefaultOnly() {
        SettingDeclaration base = SettingDeclaration.of(ROLES);
        assertThat(base.difference(new SettingDeclaration(
                        "auto-roles",
                        "list<snowflake>",
                        Set.of(Scope.GUILD),
                        List.of("size(0,3)", "unique"),
                        List.of("only roles below the bot's"),
                        Optional.of("[]"),
                        Optional.empty(),
                        "other words")))
                .isEmpty();
        assertThat(base.difference(
                        SettingDeclaration.of(Setting.text("auto-roles").build())))
                .contains("type: list<snowflake> here, string there");
        assertThat(base.difference(SettingDeclaration.of(
                        Setting.list("auto-roles", Codec.snowflake(), Rule.size(0, 3), Rule.unique())
                                .defaultValue(List.of())
                                .build())))
                .contains("scopes: guild here, global,guild there");
        assertThat(base.difference(SettingDeclaration.of(
                        Setting.list("auto-roles", Codec.snowflake(), Rule.size(0, 3), Rule.unique())
                                .scopes(Scope.GUILD)
                                .build())))
                .contains("default: \"[]\" here, none there");
    }

    @Test
    void scopesReadBackFromTheirText() {
        assertThat(SettingDeclaration.parseScopes("global,channel")).containsExactly(Scope.GLOBAL, Scope.CHANNEL);
        assertThatThrownBy(() -> SettingDeclaration.parseScopes("guild,server"))
                .hasMessageContaining("\"server\" is not a scope");
    }
}
