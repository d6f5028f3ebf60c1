package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.DeclaredApplication;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.StoredSettings;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Codec;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingDeclaration;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every database does with the record of declared settings ({@link
 * ConfigStore#settings(String, SettingsSchema)}, {@link ConfigStore#declarations()}, {@link
 * ConfigStore#declaredSettings()}), written once: the declarations are recorded with a version per
 * application, unchanged declarations write nothing, a conflicting declaration by another
 * application is refused with nothing written, a read-only store writes nothing, and a tool reads
 * and writes the settings from the record alone, with the same data rules.
 *
 * <p>A database module extends this class and says how to open a store on the test's database, and
 * a read-only one on the same database.
 */
public abstract class DeclarationTests {

    private static final String GUILD = "100000000000000001";
    private static final String CHANNEL = "200000000000000001";

    /** A number from 1 to 100 at every scope, 9 by default, with a description and a variable. */
    static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .defaultValue(9)
            .environment("TEST_LEVEL")
            .description("how loud")
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();

    /** A language among three. */
    static final Setting<String> LANGUAGE = Setting.text("language", Rule.oneOf("en", "de", "fr"))
            .defaultValue("en")
            .build();

    /** A text with a data rule and a rule only the application can check. */
    static final Setting<String> NICKNAME = Setting.text("nickname", Rule.length(1, 8))
            .check("no rude words", text -> !text.contains("rude"))
            .scopes(Scope.GUILD)
            .build();

    /** A value of the application's own type, stored as JSON. */
    static final Setting<Map<String, String>> WELCOME = Setting.of(
                    "welcome",
                    Codec.<Map<String, String>>of(
                            "json:welcome",
                            text -> Map.of("text", text.substring(9, text.length() - 2)),
                            value -> "{\"text\":\"" + value.get("text") + "\"}"))
            .scopes(Scope.GUILD)
            .build();

    private final SettingsSchema schema = SettingsSchema.of(Map.of(), LEVEL, LANGUAGE, NICKNAME, WELCOME);

    /** Creates the suite. */
    protected DeclarationTests() {}

    /**
     * Starts a builder for a store on the test's database (the same database on every call within
     * one test).
     *
     * @return the builder
     * @throws Exception if it cannot be made
     */
    protected abstract StoreBuilder<?, ?> builder() throws Exception;

    /**
     * Opens a read-only store on the test's database, which a writable store has opened before.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract ConfigStore openReadOnly() throws Exception;

    private ConfigStore open() throws Exception {
        return builder().build();
    }

    @Test
    void theDeclarationsAreRecordedWithAVersionPerApplication() throws Exception {
        try (ConfigStore store = open()) {
            assertThat(store.declarations()).isEmpty();
            store.settings("bot", schema);
            store.settings(SettingsSchema.of(Map.of(), LANGUAGE));

            List<DeclaredApplication> record = store.declarations();
            assertThat(record).extracting(DeclaredApplication::name).containsExactly("bot", "default");
            assertThat(record.get(0).version()).isEqualTo(1);
            assertThat(record.get(0).settings())
                    .containsExactly(
                            new SettingDeclaration(
                                    "level",
                                    "int",
                                    Set.of(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL),
                                    List.of("range(1,100)"),
                                    List.of(),
                                    Optional.of("9"),
                                    Optional.of("TEST_LEVEL"),
                                    "how loud"),
                            new SettingDeclaration(
                                    "language",
                                    "string",
                                    Set.of(Scope.GLOBAL, Scope.GUILD),
                                    List.of("one-of(en,de,fr)"),
                                    List.of(),
                                    Optional.of("en"),
                                    Optional.empty(),
                                    ""),
                            new SettingDeclaration(
                                    "nickname",
                                    "string",
                                    Set.of(Scope.GUILD),
                                    List.of("length(1,8)"),
                                    List.of("no rude words"),
                                    Optional.empty(),
                                    Optional.empty(),
                                    ""),
                            new SettingDeclaration(
                                    "welcome",
                                    "json:welcome",
                                    Set.of(Scope.GUILD),
                                    List.of(),
                                    List.of(),
                                    Optional.empty(),
                                    Optional.empty(),
                                    ""));
        }
    }

    @Test
    void twoSchemasOfOneApplicationAreRecordedTogetherAndMayNotDeclareAKeyTwiceDifferently() throws Exception {
        try (ConfigStore store = open()) {
            store.settings("bot", SettingsSchema.of(Map.of(), LEVEL));
            store.settings("bot", SettingsSchema.of(Map.of(), LANGUAGE, LEVEL));

            assertThat(store.declarations())
                    .singleElement()
                    .satisfies(bot -> assertThat(bot.settings())
                            .extracting(SettingDeclaration::key)
                            .containsExactly("level", "language"));

            Setting<Integer> otherLevel =
                    Setting.integer("level", Rule.range(1, 10)).defaultValue(9).build();
            assertThatThrownBy(() -> store.settings("bot", SettingsSchema.of(Map.of(), otherLevel)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"level\" is declared twice by application \"bot\"");
            assertThat(store.declarations())
                    .singleElement()
                    .satisfies(bot -> assertThat(bot.settings()).hasSize(2));
        }
    }

    @Test
    void unchangedDeclarationsWriteNothingAndAChangeRaisesTheVersion() throws Exception {
        try (ConfigStore store = open()) {
            store.settings("bot", schema);
        }
        try (ConfigStore store = open()) {
            store.settings("bot", SettingsSchema.of(Map.of(), LEVEL, LANGUAGE, NICKNAME, WELCOME));
            assertThat(store.declarations().get(0).version()).isEqualTo(1);
        }
        try (ConfigStore store = open()) {
            store.settings("bot", SettingsSchema.of(Map.of(), LANGUAGE, LEVEL));
            DeclaredApplication bot = store.declarations().get(0);
            assertThat(bot.version()).isEqualTo(2);
            assertThat(bot.settings()).extracting(SettingDeclaration::key).containsExactly("language", "level");
        }
    }

    @Test
    void anotherApplicationDeclaringAKeyDifferentlyIsRefusedAndNothingIsWritten() throws Exception {
        try (ConfigStore store = open()) {
            store.settings("bot", schema);
        }
        Setting<String> levelAsText = Setting.text("level").build();
        Setting<Integer> otherRange = Setting.integer("level", Rule.range(1, 10))
                .defaultValue(9)
                .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
                .build();
        Setting<String> extra = Setting.text("extra").build();
        try (ConfigStore store = open()) {
            assertThatThrownBy(() -> store.settings("dashboard", SettingsSchema.of(Map.of(), extra, levelAsText)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Setting \"level\"")
                    .hasMessageContaining("\"dashboard\"")
                    .hasMessageContaining("\"bot\"")
                    .hasMessageContaining("type: string in \"dashboard\", int in \"bot\"")
                    .hasMessageContaining("Nothing was recorded");
            assertThatThrownBy(() -> store.settings("dashboard", SettingsSchema.of(Map.of(), otherRange)))
                    .hasMessageContaining("rules: range(1,10) in \"dashboard\", range(1,100) in \"bot\"");
            assertThat(store.declarations())
                    .extracting(DeclaredApplication::name)
                    .containsExactly("bot");

            // The description, the variable and custom rules are each application's own.
            Setting<Integer> sameLevel = Setting.integer("level", Rule.range(1, 100))
                    .defaultValue(9)
                    .description("volume, as the dashboard calls it")
                    .check("below 99", value -> value < 99)
                    .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
                    .build();
            store.settings("dashboard", SettingsSchema.of(Map.of(), sameLevel));
            assertThat(store.declarations())
                    .extracting(DeclaredApplication::name)
                    .containsExactly("bot", "dashboard");
        }
    }

    @Test
    void aReadOnlyStoreChecksTheRecordButWritesNothing() throws Exception {
        try (ConfigStore store = open()) {
            store.settings("bot", SettingsSchema.of(Map.of(), LEVEL));
        }
        try (ConfigStore readOnly = openReadOnly()) {
            Settings settings = readOnly.settings("bot", schema);
            assertThat(settings.resolve(LEVEL, GUILD).value()).contains(9);
            assertThat(readOnly.declarations()).singleElement().satisfies(bot -> {
                assertThat(bot.version()).isEqualTo(1);
                assertThat(bot.settings()).extracting(SettingDeclaration::key).containsExactly("level");
            });
            assertThatThrownBy(() -> readOnly.settings(
                            "other",
                            SettingsSchema.of(Map.of(), Setting.text("level").build())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Setting \"level\"");
        }
    }

    @Test
    void aToolReadsAndWritesTheSettingsFromTheRecordWithTheSameDataRules() throws Exception {
        try (ConfigStore application = open()) {
            Settings own = application.settings("bot", schema);
            own.set(NICKNAME, ScopeId.guild(GUILD), "kind");
            own.set(WELCOME, ScopeId.guild(GUILD), Map.of("text", "hi"));

            try (ConfigStore tool = open()) {
                Settings settings = tool.declaredSettings();
                assertThat(tool.declaredSettings()).isSameAs(settings);
                assertThat(settings.schema().settings())
                        .extracting(Setting::key)
                        .containsExactly("level", "language", "nickname", "welcome");
                @SuppressWarnings("unchecked")
                Setting<Object> level =
                        (Setting<Object>) settings.schema().setting("level").orElseThrow();
                assertThat(level.codec().type()).isEqualTo("int");
                assertThat(level.environmentVariable()).contains("TEST_LEVEL");
                assertThat(settings.resolve(level, GUILD).origin()).isEqualTo(Origin.DEFAULT);

                settings.set(level, ScopeId.channel(GUILD, CHANNEL), level.decode("42"));
                assertThatThrownBy(() -> settings.set(level, ScopeId.guild(GUILD), level.decode("101")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("breaks rule range(1,100)");
                assertThatThrownBy(() -> level.decode("101")).hasMessageContaining("above the maximum 100");

                @SuppressWarnings("unchecked")
                Setting<Object> nickname =
                        (Setting<Object>) settings.schema().setting("nickname").orElseThrow();
                assertThat(settings.get(nickname, GUILD)).contains("kind");
                assertThat(nickname.applicationOnlyRules()).containsExactly("no rude words");
                assertThatThrownBy(() -> settings.set(nickname, ScopeId.guild(GUILD), "nice"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("Setting \"nickname\" has a rule only the application can check: no rude words;"
                                + " change it from the application");
                assertThat(settings.get(nickname, GUILD)).contains("kind");

                @SuppressWarnings("unchecked")
                Setting<Object> welcome =
                        (Setting<Object>) settings.schema().setting("welcome").orElseThrow();
                assertThat(settings.get(welcome, GUILD)).contains("{\"text\":\"hi\"}");
                settings.set(welcome, ScopeId.guild(GUILD), "{\"text\":\"hello\"}");
                settings.reset(nickname, ScopeId.guild(GUILD));
            }
            assertThat(application.declarations())
                    .singleElement()
                    .extracting(DeclaredApplication::version)
                    .isEqualTo(1L);
        }
        try (ConfigStore application = open()) {
            Settings own = application.settings("bot", schema);
            assertThat(own.get(LEVEL, GUILD, CHANNEL)).contains(42);
            assertThat(own.get(WELCOME, GUILD)).contains(Map.of("text", "hello"));
            assertThat(own.get(NICKNAME, GUILD)).isEmpty();
        }
    }

    @Test
    void everyStoredValueIsListedRestoredInOneTransactionAndForgottenPerGuild() throws Exception {
        String other = "100000000000000002";
        try (ConfigStore store = open()) {
            Settings settings = store.settings("bot", schema);
            settings.set(LEVEL, ScopeId.global(), 5);
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 7);
            settings.set(LEVEL, ScopeId.guild(GUILD), 6);
            settings.set(LANGUAGE, ScopeId.guild(other), "de");
            store.loggingStore().setLoggingChannelId("100000000000000003", CHANNEL);

            List<StoredValue> values = new ArrayList<>();
            assertThat(store.storedSettings().forEach(values::add)).isEqualTo(4);
            assertThat(values)
                    .containsExactly(
                            new StoredValue(ScopeId.global(), "level", "5"),
                            new StoredValue(ScopeId.guild(GUILD), "level", "6"),
                            new StoredValue(ScopeId.channel(GUILD, CHANNEL), "level", "7"),
                            new StoredValue(ScopeId.guild(other), "language", "de"));
            assertThat(store.storedSettings().guildIds(0, 10)).containsExactly(GUILD, other, "100000000000000003");
            assertThat(store.storedSettings().guildCount()).isEqualTo(3);

            // Restored as given, unchecked, replacing the guild's values at every scope.
            store.storedSettings()
                    .restore(
                            List.of(),
                            Map.of("100000000000000003", dev.configstore.guild.GuildSettings.EMPTY),
                            List.of(new StoredValue(ScopeId.guild(GUILD), "level", "500")));
            assertThat(store.storedSettings().guild(GUILD))
                    .containsExactly(new StoredValue(ScopeId.guild(GUILD), "level", "500"));
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL).origin()).isEqualTo(Origin.GLOBAL);
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL).skipped()).hasSize(1);
            assertThat(store.loggingStore().getLoggingChannelId("100000000000000003"))
                    .isEmpty();

            settings.set(LEVEL, ScopeId.channel(other, CHANNEL), 8);
            store.loggingStore().setLoggingChannelId(other, CHANNEL);
            StoredSettings.Forgotten forgotten = store.storedSettings().forget(other);
            assertThat(forgotten.columns().loggingChannelId()).contains(CHANNEL);
            assertThat(forgotten.values()).extracting(StoredValue::key).containsExactly("language", "level");
            assertThat(store.storedSettings().guild(other)).isEmpty();
            assertThat(settings.get(LANGUAGE, other)).contains("en");
            assertThat(store.storedSettings().guildIds(0, 10)).containsExactly(GUILD);
        }
    }
}
