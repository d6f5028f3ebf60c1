package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.settings.SettingsUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Updates based on what they read, racing another transaction on PostgreSQL: a declared setting
 * expected absent while another transaction inserts its first value (no row to lock yet), and a
 * guild's built-in row read in a transaction, which stays locked until the transaction ends.
 */
@RequiresPostgres
class PostgresCheckedUpdateTest {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private static final String GUILD = "100000000000000001";

    private static final Setting<String> TAG =
            Setting.text("tag", Rule.length(1, 3)).scopes(Scope.GUILD).build();

    private final String schema = SCHEMAS.newSchema();

    @Test
    void aFirstValueCommittedByAnotherTransactionWhileAnUpdateExpectsNoneIsAConflictNotOverwritten() throws Exception {
        try (ConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                        .schema(schema)
                        .manualChangeFeed()
                        .build();
                Connection other = TestServer.dataSource().getConnection();
                Connection watcher = TestServer.dataSource().getConnection()) {
            Settings settings = store.settings(SettingsSchema.of(Map.of(), TAG));
            // Another transaction stores the first value and holds its commit.
            other.setAutoCommit(false);
            try (Statement insert = other.createStatement()) {
                insert.execute("INSERT INTO \"" + schema + "\".configstore_settings (scope, guild_id, channel_id, key,"
                        + " value) VALUES ('guild', '" + GUILD + "', '', 'tag', 'zz')");
            }

            CompletableFuture<Void> update = CompletableFuture.runAsync(() -> settings.update(
                    GUILD,
                    new SettingsUpdate()
                            .expect(TAG, ScopeId.guild(GUILD), Optional.empty())
                            .set(TAG, ScopeId.guild(GUILD), "ab")));
            // The update has checked (nothing visible) and now waits for the other insert's row.
            awaitWaitingOnLock(watcher);
            other.commit();

            assertThatThrownBy(update::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(ConflictingUpdateException.class, conflict -> {
                        assertThat(conflict.expected()).isEmpty();
                        assertThat(conflict.actual()).contains("zz");
                    });
            assertThat(settings.get(TAG, GUILD)).contains("zz");
        }
    }

    @Test
    void aGuildRowReadInATransactionIsLockedUntilItEndsSoNoChangeSlipsBetweenTheReadAndTheWrite() throws Exception {
        try (ConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                        .schema(schema)
                        .manualChangeFeed()
                        .build();
                Connection other = TestServer.dataSource().getConnection()) {
            store.loggingStore().setLoggingChannelId(GUILD, "300000000000000001");
            try (Statement timeout = other.createStatement()) {
                timeout.execute("SET lock_timeout = '200ms'");
            }

            String seen = store.guildConfig().store().inTransaction(row -> {
                GuildSettings current = row.get(GUILD).orElseThrow();
                // Between the read and the write based on it, another writer must wait for this one.
                assertThatThrownBy(() -> {
                            try (Statement update = other.createStatement()) {
                                update.execute("UPDATE \"" + schema + "\".guild_config SET logging_channel_id ="
                                        + " '300000000000000002' WHERE guild_id = '" + GUILD + "'");
                            }
                        })
                        .isInstanceOf(SQLException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
                row.put(GUILD, current.with(GuildSetting.FLAGS_CHANNEL_ID, "300000000000000003"));
                return String.valueOf(current.get(GuildSetting.LOGGING_CHANNEL_ID));
            });

            assertThat(seen).isEqualTo("300000000000000001");
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains("300000000000000001");
        }
    }

    /** Waits, with a generous deadline, until a statement on the test's schema waits for a lock. */
    private void awaitWaitingOnLock(Connection watcher) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (PreparedStatement waiting = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE"
                + " wait_event_type = 'Lock' AND position(? IN query) > 0")) {
            waiting.setString(1, "\"" + schema + "\".configstore_settings");
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the update never waited for the other transaction's row");
    }
}
