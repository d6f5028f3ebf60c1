package dev.configstore.sqlite;

import dev.configstore.settings.Codec;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.settings.SettingsUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The database file committed as {@value #RESOURCE}: what a bot's database holds after running
 * configstore as it was when the file was made, with a column and a table of the bot's own, so
 * that {@link UpgradeFixtureTest} can prove that opening it with the current code keeps and serves
 * everything.
 *
 * <p>{@link #write} makes it through the public API of the code it is compiled with, then adds
 * the bot's own column and table with plain SQL. The committed file was made once and must not be
 * made again by a later version (that would test nothing); to make a fixture of a newer schema,
 * add a new file beside it:
 *
 * <pre>
 * ./mvnw -o verify -pl sqlite-backend -am -Dtest=UpgradeFixtureTest#writeTheFixture \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dconfigstore.fixture.write=$PWD/new-fixture.db
 * </pre>
 */
final class UpgradeFixture {

    /** Where the committed file is, on the test class path. */
    static final String RESOURCE = "/fixtures/upgrade-from-schema-5.db";

    /** Every setting stored: logging channel, flags channel, 30 days; and the bot's own column. */
    static final String ALL_SET = "111111111111111111";

    /** Only a logging channel; the rest NULL. */
    static final String LOGGING_ONLY = "222222222222222222";

    /** Only silent days, 14. */
    static final String DAYS_ONLY = "333333333333333333";

    /** Every setting set once and cleared again: a row of NULLs, which reads as nothing stored. */
    static final String CLEARED = "444444444444444444";

    /** Only a flags channel; and the bot's own column. */
    static final String FLAGS_ONLY = "555555555555555555";

    /** A row the bot wrote itself with only its own column, none of configstore's. */
    static final String BOTS_OWN_ROW = "666666666666666666";

    static final String LOGGING_CHANNEL = "700000000000000001";
    static final String FLAGS_CHANNEL = "700000000000000002";
    static final String OTHER_LOGGING_CHANNEL = "700000000000000003";
    static final String OTHER_FLAGS_CHANNEL = "700000000000000004";
    static final String CHANNEL = "800000000000000001";
    static final String OTHER_CHANNEL = "800000000000000002";
    static final String ROLE = "900000000000000001";
    static final String OTHER_ROLE = "900000000000000002";

    /** The bot's own column of {@code guild_config}. */
    static final String BOTS_COLUMN = "welcome_message";

    /** The bot's own table. */
    static final String BOTS_TABLE = "warnings";

    /** Key-value strings of two namespaces. */
    static final Map<String, Map<String, String>> KEY_VALUES = Map.of(
            "welcome", Map.of(ALL_SET, "Hello {user}!", LOGGING_ONLY, "Bienvenue, {user} !"),
            "prefixes", Map.of(ALL_SET, "?", "default", "!"));

    /** A key set and removed again in {@code welcome}. */
    static final String REMOVED_KEY = "removed";

    static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .defaultValue(9)
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();
    static final Setting<String> PREFIX = Setting.text("prefix", Rule.length(1, 5))
            .defaultValue("!")
            .scopes(Scope.GUILD, Scope.CHANNEL)
            .build();
    static final Setting<Boolean> MUSIC =
            Setting.bool("music").defaultValue(false).build();
    static final Setting<List<String>> AUTO_ROLES = Setting.list("auto-roles", Codec.snowflake(), Rule.size(0, 10))
            .scopes(Scope.GUILD)
            .build();

    private UpgradeFixture() {}

    static SettingsSchema schema() {
        return SettingsSchema.of(Map.of(), LEVEL, PREFIX, MUSIC, AUTO_ROLES);
    }

    /** Makes the fixture at {@code file}, which must not exist. */
    static void write(Path file) throws Exception {
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " exists; the fixture is made in a new file");
        }
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).disableChangeFeed().build()) {
            store.loggingStore().setLoggingChannelId(ALL_SET, LOGGING_CHANNEL);
            store.flaggerStore().setFlagsChannelId(ALL_SET, FLAGS_CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays(ALL_SET, 30);
            store.loggingStore().setLoggingChannelId(LOGGING_ONLY, OTHER_LOGGING_CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays(DAYS_ONLY, 14);
            store.loggingStore().setLoggingChannelId(CLEARED, LOGGING_CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays(CLEARED, 8);
            store.loggingStore().clearLoggingChannelId(CLEARED);
            store.flaggerStore().clearSilentFirstMsgDays(CLEARED);
            store.flaggerStore().setFlagsChannelId(FLAGS_ONLY, OTHER_FLAGS_CHANNEL);

            KEY_VALUES.forEach((namespace, values) -> values.forEach(store.keyValueStore(namespace)::put));
            store.keyValueStore("welcome").put(REMOVED_KEY, "gone soon");
            store.keyValueStore("welcome").remove(REMOVED_KEY);

            Settings settings = store.settings(schema());
            settings.set(LEVEL, ScopeId.global(), 20);
            settings.set(MUSIC, ScopeId.global(), true);
            settings.set(LEVEL, ScopeId.guild(ALL_SET), 40);
            settings.set(PREFIX, ScopeId.guild(ALL_SET), "?");
            settings.set(AUTO_ROLES, ScopeId.guild(ALL_SET), List.of(ROLE, OTHER_ROLE));
            settings.set(LEVEL, ScopeId.channel(ALL_SET, CHANNEL), 60);
            settings.set(PREFIX, ScopeId.channel(ALL_SET, CHANNEL), "$");
            settings.update(
                    LOGGING_ONLY,
                    new SettingsUpdate()
                            .set(PREFIX, ScopeId.guild(LOGGING_ONLY), "%")
                            .set(LEVEL, ScopeId.channel(LOGGING_ONLY, OTHER_CHANNEL), 70)
                            .set(MUSIC, ScopeId.guild(LOGGING_ONLY), false));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE guild_config ADD COLUMN " + BOTS_COLUMN + " TEXT");
            statement.execute("UPDATE guild_config SET " + BOTS_COLUMN + " = 'Welcome to the first guild!' WHERE"
                    + " guild_id = '" + ALL_SET + "'");
            statement.execute("UPDATE guild_config SET " + BOTS_COLUMN + " = 'Flags only here' WHERE guild_id = '"
                    + FLAGS_ONLY + "'");
            statement.execute("INSERT INTO guild_config (guild_id, " + BOTS_COLUMN + ") VALUES ('" + BOTS_OWN_ROW
                    + "', 'Only the bot''s own column')");
            statement.execute("CREATE TABLE " + BOTS_TABLE + " (id INTEGER PRIMARY KEY, guild_id TEXT NOT NULL,"
                    + " user_id TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL)");
            statement.execute("INSERT INTO " + BOTS_TABLE + " (guild_id, user_id, reason, created_at) VALUES"
                    + " ('" + ALL_SET + "', '123456789012345678', 'spam', '2026-01-02T03:04:05.678Z'),"
                    + " ('" + ALL_SET + "', '223456789012345678', NULL, '2026-01-03T03:04:05.678Z'),"
                    + " ('" + FLAGS_ONLY + "', '123456789012345678', 'links', '2026-01-04T03:04:05.678Z')");
            // One self-contained file: no write-ahead log beside it.
            statement.execute("PRAGMA journal_mode=DELETE");
            statement.execute("VACUUM");
        }
    }
}
