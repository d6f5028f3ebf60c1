package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ChangeFeedStats;
import dev.configstore.jdbc.CacheClear;
import dev.configstore.jdbc.ConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The checks of {@link ConfigStore#clearCaches} that {@link ChangeFeedTests} runs on every
 * database: one store asks, two others that follow the change feed on their own threads hold
 * cached values made stale behind their backs, and each must serve the database's value within
 * the feed's delay, and only for what the clear covers.
 *
 * <p>"Behind their backs" is a plain SQL write whose change-log entry is renamed, in the same
 * transaction, to a table no store subscribes to: the feeds read an entry that changes nothing
 * (as a configstore that does not know some entry's table does), so the cached values stay
 * stale until something else drops them.
 */
final class CacheClearChecks {

    private static final String GUILD = ChangeFeedTests.GUILD;
    private static final String OTHER_GUILD = ChangeFeedTests.OTHER_GUILD;
    private static final String OLD = ChangeFeedTests.OLD;
    private static final String NEW = ChangeFeedTests.NEW;
    private static final String NAMESPACE = "clear-a";
    private static final String OTHER_NAMESPACE = "clear-b";

    private final ChangeFeedTests fixture;

    CacheClearChecks(ChangeFeedTests fixture) {
        this.fixture = fixture;
    }

    /** Three stores on the test's database: the one that asks, and two others with feed threads. */
    private record Stores(ConfigStore asker, ConfigStore first, ConfigStore second) implements AutoCloseable {
        List<ConfigStore> all() {
            return List.of(asker, first, second);
        }

        List<ConfigStore> others() {
            return List.of(first, second);
        }

        @Override
        public void close() {
            try (asker;
                    first;
                    second) {
                // closes all three
            }
        }
    }

    private Stores openStores() throws Exception {
        ConfigStore asker = fixture.openWithFeedThread();
        try {
            ConfigStore first = fixture.openWithFeedThread();
            try {
                return new Stores(asker, first, fixture.openWithFeedThread());
            } catch (Exception | Error e) {
                first.close();
                throw e;
            }
        } catch (Exception | Error e) {
            asker.close();
            throw e;
        }
    }

    /** Writes {@link #OLD} everywhere through the asker, and has every store cache it. */
    private static void cacheOldValues(Stores stores) {
        stores.asker().loggingStore().setLoggingChannelId(GUILD, OLD);
        stores.asker().loggingStore().setLoggingChannelId(OTHER_GUILD, OLD);
        stores.asker().keyValueStore(NAMESPACE).put("k", OLD);
        stores.asker().keyValueStore(OTHER_NAMESPACE).put("k", OLD);
        for (ConfigStore store : stores.all()) {
            // Each feed applies (or skips as its own) the four writes' entries before the values are
            // cached for the test, so that no entry but the clear's is left to drop them. Counted
            // once an entry's listeners are done: an entry read but not yet applied could still drop
            // a value cached after it was read.
            ChangeFeedTests.awaitCondition("every store's feed to apply the writes", () -> {
                ChangeFeedStats stats = store.changeFeedStats();
                return stats.ownChangesSkipped() + stats.externalChangesApplied() >= 4;
            });
            assertThat(servesEverywhere(store, OLD)).isTrue();
        }
    }

    private static boolean servesEverywhere(ConfigStore store, String value) {
        return guild(store, GUILD).equals(Optional.of(value))
                && guild(store, OTHER_GUILD).equals(Optional.of(value))
                && kv(store, NAMESPACE).equals(Optional.of(value))
                && kv(store, OTHER_NAMESPACE).equals(Optional.of(value));
    }

    private static Optional<String> guild(ConfigStore store, String guildId) {
        return store.loggingStore().getLoggingChannelId(guildId);
    }

    private static Optional<String> kv(ConfigStore store, String namespace) {
        return store.keyValueStore(namespace).get("k");
    }

    /** Writes {@link #NEW} everywhere with plain SQL that no feed applies. */
    private void writeNewBehindTheCaches() throws Exception {
        try (Connection connection = fixture.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement guilds =
                            connection.prepareStatement("UPDATE guild_config SET logging_channel_id = ?");
                    PreparedStatement values = connection.prepareStatement("UPDATE configstore_kv SET value = ?");
                    Statement statement = connection.createStatement()) {
                guilds.setString(1, NEW);
                guilds.executeUpdate();
                values.setString(1, NEW);
                values.executeUpdate();
                statement.executeUpdate("UPDATE configstore_changes SET table_name = 'behind_the_caches'"
                        + " WHERE table_name IN ('guild_config', 'configstore_kv')");
            }
            connection.commit();
        }
    }

    private static long clears(ConfigStore store) {
        return store.changeFeedStats().cacheClears();
    }

    void clearingEverythingReachesEveryStore() throws Exception {
        try (Stores stores = openStores()) {
            cacheOldValues(stores);
            writeNewBehindTheCaches();
            for (ConfigStore store : stores.all()) {
                assertThat(guild(store, GUILD)).as("stale before the clear").contains(OLD);
                assertThat(kv(store, NAMESPACE)).as("stale before the clear").contains(OLD);
            }

            stores.asker().clearCaches(CacheClear.all(), "an operator");

            assertThat(servesEverywhere(stores.asker(), NEW))
                    .as("the asker's caches are clear when the call returns")
                    .isTrue();
            assertThat(clears(stores.asker())).isEqualTo(1);
            for (ConfigStore store : stores.others()) {
                ChangeFeedTests.awaitCondition("another store to apply the clear", () -> clears(store) == 1);
                assertThat(servesEverywhere(store, NEW)).isTrue();
            }
        }
    }

    void clearingAGuildLeavesOtherGuildsAndNamespacesCached() throws Exception {
        try (Stores stores = openStores()) {
            cacheOldValues(stores);
            writeNewBehindTheCaches();

            stores.asker().clearCaches(CacheClear.guild(GUILD), "an operator");

            for (ConfigStore store : stores.all()) {
                ChangeFeedTests.awaitCondition("every store to apply the clear", () -> clears(store) == 1);
                assertThat(guild(store, GUILD)).contains(NEW);
                assertThat(guild(store, OTHER_GUILD))
                        .as("another guild stays cached")
                        .contains(OLD);
                assertThat(kv(store, NAMESPACE)).as("namespaces stay cached").contains(OLD);
            }
        }
    }

    void clearingANamespaceLeavesOtherNamespacesAndGuildsCached() throws Exception {
        try (Stores stores = openStores()) {
            cacheOldValues(stores);
            writeNewBehindTheCaches();

            stores.asker().clearCaches(CacheClear.namespace(NAMESPACE), "an operator");

            for (ConfigStore store : stores.all()) {
                ChangeFeedTests.awaitCondition("every store to apply the clear", () -> clears(store) == 1);
                assertThat(kv(store, NAMESPACE)).contains(NEW);
                assertThat(kv(store, OTHER_NAMESPACE))
                        .as("another namespace stays cached")
                        .contains(OLD);
                assertThat(guild(store, GUILD)).as("guilds stay cached").contains(OLD);
            }
            // The asker's own entry is read by its feed and skipped, not applied a second time.
            ChangeFeedTests.awaitCondition(
                    "the asker's feed to read its own clear",
                    () -> stores.asker().changeFeedStats().ownChangesSkipped() >= 1);
            assertThat(clears(stores.asker())).isEqualTo(1);
        }
    }

    void aClearNeedsWhoAsked() throws Exception {
        try (ConfigStore store = fixture.open()) {
            assertThatThrownBy(() -> store.clearCaches(CacheClear.all(), " "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("who must name who asks");
            assertThatThrownBy(() -> store.clearCaches(CacheClear.all(), "a\nb"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("control characters");
            assertThatThrownBy(() -> CacheClear.guild(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("guildId");
            assertThatThrownBy(() -> CacheClear.namespace("no spaces"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace");
            assertThat(store.changeFeedStats().cacheClears()).isZero();
        }
    }
}
