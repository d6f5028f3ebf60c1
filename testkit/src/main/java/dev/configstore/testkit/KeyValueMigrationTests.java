package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.KeyValueMigration;
import dev.configstore.jdbc.KeyValueMigration.Entry;
import dev.configstore.jdbc.KeyValueMigration.Report;
import dev.configstore.jdbc.KeyValueMigration.Target;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.settings.Codec;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeyValueMigration} does on every database, written once: key-value strings copied
 * into declared settings one guild at a time, values that break a rule refused with the rule and
 * not written, a second run writing nothing, a value set since kept, and the strings left in
 * place.
 *
 * <p>A database module extends this class and says how to open a store on the test's database.
 */
public abstract class KeyValueMigrationTests {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";
    private static final String NAMESPACE = "bot";

    static final Setting<String> PREFIX =
            Setting.text("prefix", Rule.length(1, 5)).defaultValue("!").build();
    static final Setting<String> LANGUAGE = Setting.text("language", Rule.oneOf("en", "de", "fr"))
            .defaultValue("en")
            .build();
    static final Setting<Boolean> MUSIC =
            Setting.bool("music").scopes(Scope.GUILD, Scope.CHANNEL).build();
    static final Setting<List<String>> AUTO_ROLES =
            Setting.list("auto_roles", Codec.snowflake(), Rule.size(0, 10)).build();

    private final SettingsSchema schema = SettingsSchema.of(Map.of(), PREFIX, LANGUAGE, MUSIC, AUTO_ROLES);

    private final Function<String, Target> byName =
            KeyValueMigration.guildKeys(Map.of("prefix", PREFIX, "lang", LANGUAGE, "music", MUSIC));

    /** Creates the suite. */
    protected KeyValueMigrationTests() {}

    /**
     * Starts a builder for a store on the test's database (the same database on every call within
     * one test).
     *
     * @return the builder
     * @throws Exception if it cannot be made
     */
    protected abstract StoreBuilder<?, ?> builder() throws Exception;

    private static void strings(ConfigStore store, String... keysAndValues) {
        CachedKeyValueStore<String, String> strings = store.keyValueStore(NAMESPACE);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            strings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
    }

    private static List<String> keys(List<Entry> entries) {
        return entries.stream().map(Entry::key).toList();
    }

    @Test
    void everyMappedStringIsCopiedIntoItsSettingAndTheStringsStay() throws Exception {
        try (ConfigStore store = builder().build()) {
            strings(
                    store,
                    GUILD + ":prefix",
                    "?",
                    GUILD + ":lang",
                    "de",
                    OTHER_GUILD + ":prefix",
                    "!!",
                    GUILD + ":colour",
                    "blue",
                    "schema-version",
                    "3");
            Settings settings = store.settings(schema);

            Report report = KeyValueMigration.run(store, NAMESPACE, settings, byName);

            assertThat(keys(report.copied()))
                    .containsExactlyInAnyOrder(GUILD + ":prefix", GUILD + ":lang", OTHER_GUILD + ":prefix");
            assertThat(report.copied())
                    .contains(new Entry(GUILD + ":prefix", "?", "copied to prefix at guild " + GUILD));
            assertThat(report.skipped())
                    .containsExactlyInAnyOrder(
                            new Entry(GUILD + ":colour", "blue", "no setting is mapped to name \"colour\""),
                            new Entry("schema-version", "3", "not of the form <guildId>:<name>"));
            assertThat(report.unchanged()).isEmpty();
            assertThat(report.refused()).isEmpty();
            assertThat(report.summary()).isEqualTo("3 copied, 0 already in place, 2 skipped, 0 refused");

            assertThat(settings.resolve(PREFIX, GUILD).value()).contains("?");
            assertThat(settings.resolve(PREFIX, GUILD).origin()).isEqualTo(Origin.GUILD);
            assertThat(settings.get(LANGUAGE, GUILD)).contains("de");
            assertThat(settings.get(PREFIX, OTHER_GUILD)).contains("!!");
            assertThat(store.keys(NAMESPACE, 0, 100)).as("nothing deleted").hasSize(5);
        }
        try (ConfigStore reopened = builder().build()) {
            assertThat(reopened.settings(schema).get(LANGUAGE, GUILD))
                    .as("durable")
                    .contains("de");
        }
    }

    @Test
    void aValueThatBreaksARuleIsRefusedWithTheRuleAndNotWritten() throws Exception {
        try (ConfigStore store = builder().build()) {
            strings(store, GUILD + ":lang", "es", GUILD + ":prefix", "toolong", GUILD + ":music", "yes please");
            strings(store, OTHER_GUILD + ":prefix", "?", "general:prefix", "?");
            Settings settings = store.settings(schema);

            Report report = KeyValueMigration.run(store, NAMESPACE, settings, byName);

            assertThat(report.refused())
                    .extracting(Entry::key, Entry::detail)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    GUILD + ":lang",
                                    "Setting \"language\": \"es\" breaks rule one-of(en,de,fr): not one of en, de,"
                                            + " fr"),
                            org.assertj.core.groups.Tuple.tuple(
                                    GUILD + ":prefix",
                                    "Setting \"prefix\": \"toolong\" breaks rule length(1,5): 7 characters, allowed"
                                            + " 1 to 5"),
                            org.assertj.core.groups.Tuple.tuple(
                                    GUILD + ":music", settingsError(() -> MUSIC.decode("yes please"))),
                            org.assertj.core.groups.Tuple.tuple(
                                    "general:prefix", settingsError(() -> ScopeId.guild("general"))));
            assertThat(keys(report.copied())).containsExactly(OTHER_GUILD + ":prefix");
            assertThat(report.summary())
                    .startsWith("1 copied, 0 already in place, 0 skipped, 4 refused\n  ")
                    .contains(GUILD + ":lang: Setting \"language\": \"es\" breaks rule one-of(en,de,fr)");

            GuildSnapshot guild = settings.snapshot(GUILD);
            assertThat(guild.resolve(LANGUAGE).origin()).as("nothing written").isEqualTo(Origin.DEFAULT);
            assertThat(guild.resolve(PREFIX).origin()).isEqualTo(Origin.DEFAULT);
            assertThat(guild.resolve(MUSIC).origin()).isEqualTo(Origin.NONE);
            assertThat(settings.get(PREFIX, OTHER_GUILD)).contains("?");
        }
    }

    @Test
    void runningItAgainWritesNothingAndKeepsAValueSetSince() throws Exception {
        try (ConfigStore store = builder().build()) {
            strings(store, GUILD + ":prefix", "?", GUILD + ":lang", "de", OTHER_GUILD + ":prefix", "!!");
            Settings settings = store.settings(schema);
            Report first = KeyValueMigration.run(store, NAMESPACE, settings, byName);
            GuildSnapshot guild = settings.snapshot(GUILD);
            GuildSnapshot otherGuild = settings.snapshot(OTHER_GUILD);

            Report second = KeyValueMigration.run(store, NAMESPACE, settings, byName);

            assertThat(second.copied()).isEmpty();
            assertThat(keys(second.unchanged())).containsExactlyInAnyOrderElementsOf(keys(first.copied()));
            assertThat(second.migratedKeys()).containsExactlyInAnyOrderElementsOf(first.migratedKeys());
            assertThat(settings.snapshot(GUILD))
                    .as("no write, so the cached snapshot stays")
                    .isSameAs(guild);
            assertThat(settings.snapshot(OTHER_GUILD)).isSameAs(otherGuild);

            settings.set(PREFIX, ScopeId.guild(GUILD), "$");
            Report third = KeyValueMigration.run(store, NAMESPACE, settings, byName);

            assertThat(third.copied()).isEmpty();
            assertThat(third.skipped())
                    .containsExactly(new Entry(
                            GUILD + ":prefix",
                            "?",
                            "another value is stored in prefix at guild " + GUILD + " ($); it is kept"));
            assertThat(settings.get(PREFIX, GUILD)).contains("$");
        }
    }

    @Test
    void channelsTheWholeBotAndOtherFormsAreMappedByHand() throws Exception {
        try (ConfigStore store = builder().build()) {
            strings(
                    store,
                    "music:" + GUILD + ":" + CHANNEL,
                    "true",
                    "music:" + GUILD,
                    "false",
                    "lang:" + GUILD + ":" + CHANNEL,
                    "fr",
                    "roles:" + GUILD,
                    "300000000000000001,300000000000000002",
                    "prefix",
                    "%");
            Settings settings = store.settings(schema);
            Function<String, Target> mapping = key -> {
                String[] parts = key.split(":", -1);
                return switch (parts[0]) {
                    case "music" ->
                        Target.to(
                                MUSIC,
                                parts.length == 3 ? ScopeId.channel(parts[1], parts[2]) : ScopeId.guild(parts[1]));
                    case "lang" -> Target.to(LANGUAGE, ScopeId.channel(parts[1], parts[2]));
                    case "roles" ->
                        Target.to(AUTO_ROLES, ScopeId.guild(parts[1]), text -> List.of(text.split(",", -1)));
                    case "prefix" -> Target.to(PREFIX, ScopeId.global());
                    default -> Target.skip("unknown");
                };
            };

            Report dryRun = KeyValueMigration.check(store, NAMESPACE, settings, mapping);
            assertThat(settings.resolve(MUSIC, GUILD, CHANNEL).origin())
                    .as("a check writes nothing")
                    .isEqualTo(Origin.NONE);
            Report report = KeyValueMigration.run(store, NAMESPACE, settings, mapping);

            assertThat(report).isEqualTo(dryRun);
            assertThat(keys(report.copied()))
                    .containsExactlyInAnyOrder(
                            "music:" + GUILD + ":" + CHANNEL, "music:" + GUILD, "roles:" + GUILD, "prefix");
            assertThat(report.refused())
                    .singleElement()
                    .satisfies(entry -> assertThat(entry.detail())
                            .isEqualTo("Setting \"language\" may not be stored at scope CHANNEL (channel " + CHANNEL
                                    + " of guild " + GUILD + "); it allows [GLOBAL, GUILD]"));
            assertThat(settings.resolve(MUSIC, GUILD, CHANNEL).value()).contains(true);
            assertThat(settings.resolve(MUSIC, GUILD, CHANNEL).origin()).isEqualTo(Origin.CHANNEL);
            assertThat(settings.get(MUSIC, GUILD)).contains(false);
            assertThat(settings.get(AUTO_ROLES, GUILD)).contains(List.of("300000000000000001", "300000000000000002"));
            assertThat(settings.resolve(PREFIX, OTHER_GUILD).origin()).isEqualTo(Origin.GLOBAL);
            assertThat(settings.get(PREFIX, OTHER_GUILD)).contains("%");
        }
    }

    @Test
    void twoStringsForOneSettingAndScopeAreBothRefused() throws Exception {
        try (ConfigStore store = builder().build()) {
            strings(store, GUILD + ":prefix", "?", GUILD + ":command-prefix", "!");
            Settings settings = store.settings(schema);
            Function<String, Target> mapping =
                    KeyValueMigration.guildKeys(Map.of("prefix", PREFIX, "command-prefix", PREFIX));

            Report report = KeyValueMigration.run(store, NAMESPACE, settings, mapping);

            assertThat(report.copied()).isEmpty();
            assertThat(keys(report.refused())).containsExactlyInAnyOrder(GUILD + ":prefix", GUILD + ":command-prefix");
            assertThat(report.refused())
                    .allSatisfy(
                            entry -> assertThat(entry.detail()).contains("are all mapped to prefix at guild " + GUILD));
            assertThat(settings.resolve(PREFIX, GUILD).origin()).isEqualTo(Origin.DEFAULT);
        }
    }

    @Test
    void aBadNamespaceIsRefusedAndAMappingThatThrowsRefusesItsKey() throws Exception {
        try (ConfigStore store = builder().build()) {
            Settings settings = store.settings(schema);
            assertThatThrownBy(() -> KeyValueMigration.run(store, "no spaces", settings, byName))
                    .isInstanceOf(IllegalArgumentException.class);
            strings(store, "legacy", "1");
            Report report = KeyValueMigration.run(store, NAMESPACE, settings, key -> {
                throw new IllegalArgumentException("unknown key " + key);
            });
            assertThat(report.refused()).containsExactly(new Entry("legacy", "1", "unknown key legacy"));
        }
    }

    private static String settingsError(Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return String.valueOf(e.getMessage());
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }
}
