package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * An update that expects a value to be absent, racing another transaction's first insert of it:
 * the case a locking read cannot cover, since there is no row to lock yet.
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
