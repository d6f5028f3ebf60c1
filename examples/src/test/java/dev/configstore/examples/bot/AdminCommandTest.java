package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.sqlite.SqliteConfigStore;
import dev.configstore.testkit.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin cache clear}, against two shards' stores on one SQLite file. */
class AdminCommandTest {

    private static final String HOME = "100000000000000001";
    private static final String GUILD = "123456789012345678";
    private static final String OTHER_GUILD = "223456789012345678";
    private static final String OLD = "111111111111111111";
    private static final String NEW = "222222222222222222";

    @TempDir
    Path folder;

    private SqliteConfigStore open() {
        return SqliteConfigStore.open(folder.resolve("bot.db"));
    }

    /** Changes every guild's logging channel with a change-log entry that no store follows. */
    private void changeBehindTheCaches() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("UPDATE guild_config SET logging_channel_id = '" + NEW + "'");
            statement.execute("UPDATE configstore_changes SET table_name = 'elsewhere'");
            statement.execute("COMMIT");
        }
    }

    @Test
    void clearingAGuildReachesAnotherProcessOfTheBot() throws Exception {
        try (SqliteConfigStore shard = open();
                SqliteConfigStore otherShard = open()) {
            shard.loggingStore().setLoggingChannelId(GUILD, OLD);
            shard.loggingStore().setLoggingChannelId(OTHER_GUILD, OLD);
            Await.until(
                    "the other shard's feed to read the writes",
                    () -> otherShard.changeFeedStats().externalChangesApplied() >= 2);
            assertThat(otherShard.loggingStore().getLoggingChannelId(GUILD)).contains(OLD);
            assertThat(otherShard.loggingStore().getLoggingChannelId(OTHER_GUILD))
                    .contains(OLD);
            changeBehindTheCaches();
            assertThat(otherShard.loggingStore().getLoggingChannelId(GUILD))
                    .as("stale")
                    .contains(OLD);

            String reply = new AdminCommand(shard, HOME).cacheClear(Map.of("guild", GUILD), "alice (42)");

            assertThat(reply)
                    .isEqualTo("Cleared the cached settings of server " + GUILD + " in every process of the bot.");
            Await.until(
                    "the other shard to apply the clear",
                    () -> otherShard.changeFeedStats().cacheClears() == 1);
            assertThat(otherShard.loggingStore().getLoggingChannelId(GUILD)).contains(NEW);
            assertThat(otherShard.loggingStore().getLoggingChannelId(OTHER_GUILD))
                    .as("another guild stays cached")
                    .contains(OLD);
            assertThat(otherShard.changeFeedStats().cacheClears()).isEqualTo(1);
        }
    }

    @Test
    void badOptionsAreAnsweredNotThrown() {
        try (SqliteConfigStore store = open()) {
            AdminCommand admin = new AdminCommand(store, HOME);

            assertThat(admin.cacheClear(Map.of("guild", GUILD, "namespace", "welcome"), "alice"))
                    .contains("not both");
            assertThat(admin.cacheClear(Map.of("guild", "nope"), "alice")).startsWith("Not cleared: guildId must be");
            assertThat(store.changeFeedStats().cacheClears()).isZero();
            assertThatThrownBy(() -> new AdminCommand(store, "home"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BOT_ADMIN_GUILD");
        }
    }

    @Test
    void theCommandIsForAdministratorsAndClearsByGuildOrNamespace() {
        SlashCommandData command = AdminCommand.command();

        assertThat(command.getName()).isEqualTo("admin");
        assertThat(command.getDefaultPermissions())
                .isEqualTo(DefaultMemberPermissions.enabledFor(Permission.ADMINISTRATOR));
        SubcommandGroupData cache = command.getSubcommandGroups().get(0);
        assertThat(cache.getName()).isEqualTo("cache");
        SubcommandData clear = cache.getSubcommands().get(0);
        assertThat(clear.getName()).isEqualTo("clear");
        assertThat(clear.getOptions()).extracting(option -> option.getName()).containsExactly("guild", "namespace");
    }
}
