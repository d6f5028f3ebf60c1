package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.guild.GuildSettings;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What every database's {@link ConfigStore} does, written once against the store type: the
 * facades and key-value stores, listing guilds and keys from the database, reading every guild
 * from one snapshot, and watching the changes other processes make.
 *
 * <p>A database module extends this class and says how to open a store on the test's database
 * with its change feed driven by hand.
 */
public abstract class ConfigStoreTests {

    private static final String CHANNEL = "987654321098765432";

    /** Creates the suite. */
    protected ConfigStoreTests() {}

    /**
     * Starts a builder for a store on the test's database (the same database on every call within
     * one test), with its change feed read only when {@link #pollChangesNow} is called.
     *
     * @return the builder
     * @throws Exception if it cannot be made
     */
    protected abstract StoreBuilder<?, ?> builder() throws Exception;

    /**
     * Opens a store on the test's database with {@link #builder()}'s settings.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected final ConfigStore open() throws Exception {
        return builder().build();
    }

    /**
     * Reads the store's change log once, now.
     *
     * @param store a store {@link #open()} returned
     */
    protected abstract void pollChangesNow(ConfigStore store);

    @Test
    void aNamespaceAlwaysGivesTheSameStoreAndABadNameIsRefused() throws Exception {
        try (ConfigStore store = open()) {
            assertThat(store.keyValueStore("welcome")).isSameAs(store.keyValueStore("welcome"));
            assertThat(store.keyValueStore("welcome")).isNotSameAs(store.keyValueStore("other"));
            assertThatThrownBy(() -> store.keyValueStore("no spaces"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace must be 1 to 64 letters");
        }
    }

    @Test
    void aNamespacesKeysAreListedInOrderAPageAtATimeWithoutRemovedOnes() throws Exception {
        try (ConfigStore store = open()) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            for (String key : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
                welcome.put(key, "value of " + key);
            }
            welcome.remove("charlie");
            store.keyValueStore("other").put("aaa", "elsewhere");

            assertThat(store.keys("welcome", 0, 3)).containsExactly("alpha", "bravo", "delta");
            assertThat(store.keys("welcome", 3, 3)).containsExactly("echo");
            assertThat(store.keys("empty", 0, 10)).isEmpty();
            assertThatThrownBy(() -> store.keys("welcome", -1, 3)).hasMessage("offset must not be negative, got -1");
            assertThatThrownBy(() -> store.keys("welcome", 0, 10_001))
                    .hasMessage("limit must be between 1 and 10000, got 10001");
            assertThatThrownBy(() -> store.keys("no spaces", 0, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace must be 1 to 64 letters");
        }
    }

    @Test
    void guildsWithSettingsAreListedInPagesAndCounted() throws Exception {
        try (ConfigStore store = open()) {
            for (int i = 0; i < 5; i++) {
                store.loggingStore().setLoggingChannelId(Long.toString(100_000_000_000_000_000L + i), CHANNEL);
            }
            store.loggingStore().clearLoggingChannelId("100000000000000002");

            assertThat(store.guildCount()).isEqualTo(4);
            assertThat(store.guildIds(0, 3))
                    .containsExactly("100000000000000000", "100000000000000001", "100000000000000003");
            assertThat(store.guildIds(3, 3)).containsExactly("100000000000000004");
            assertThatThrownBy(() -> store.guildIds(-1, 3)).hasMessage("offset must not be negative, got -1");
            assertThatThrownBy(() -> store.guildIds(0, 0)).hasMessage("limit must be between 1 and 10000, got 0");
        }
    }

    @Test
    void everyGuildsSettingsAreReadFromOneSnapshot() throws Exception {
        try (ConfigStore store = open();
                ConfigStore other = open()) {
            store.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays("100000000000000002", 30);
            store.flaggerStore().setFlagsChannelId("100000000000000003", CHANNEL);
            List<String> seen = new ArrayList<>();

            long read = store.forEachGuildSettings((guild, settings) -> {
                seen.add(guild + " " + settings);
                if (seen.size() == 1) {
                    // Committed while the read is under way: none of it may show.
                    other.flaggerStore().clearSilentFirstMsgDays("100000000000000002");
                    other.loggingStore().setLoggingChannelId("100000000000000000", CHANNEL);
                }
            });

            assertThat(read).isEqualTo(3);
            assertThat(seen)
                    .containsExactly(
                            "100000000000000001 "
                                    + new GuildSettings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.empty()),
                            "100000000000000002 "
                                    + new GuildSettings(Optional.empty(), Optional.empty(), OptionalInt.of(30)),
                            "100000000000000003 "
                                    + new GuildSettings(Optional.empty(), Optional.of(CHANNEL), OptionalInt.empty()));
            List<String> after = new ArrayList<>();
            store.forEachGuildSettings((guild, settings) -> after.add(guild));
            assertThat(after).containsExactly("100000000000000000", "100000000000000001", "100000000000000003");
        }
    }

    @Test
    void watchersGetTheChangesOthersMakeToTheirGuildsOrNamespaceOnly() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            List<String> guilds = Collections.synchronizedList(new ArrayList<>());
            List<String> keys = Collections.synchronizedList(new ArrayList<>());
            reader.watchGuildChanges(collect(guilds));
            ChangeSubscription welcome = reader.watchKeyValueChanges("welcome", collect(keys));

            writer.keyValueStore("welcome").put("greeting", "hello");
            writer.keyValueStore("other").put("greeting", "hello");
            writer.keyValueStore("welcome").remove("farewell");
            writer.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
            pollChangesNow(reader);

            assertThat(keys).containsExactly("greeting", "farewell");
            assertThat(guilds).containsExactly("100000000000000001");
            assertThat(reader.changeFeedStats().externalChangesApplied()).isEqualTo(4);

            welcome.cancel();
            writer.keyValueStore("welcome").put("greeting", "hi");
            pollChangesNow(reader);
            assertThat(keys).containsExactly("greeting", "farewell");
            assertThatThrownBy(() -> reader.watchKeyValueChanges("no spaces", collect(keys)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theFacadesShareOneRowPerGuildAndCloseTwiceDoesNothing() throws Exception {
        ConfigStore store = open();
        store.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
        store.flaggerStore().setSilentFirstMsgDays("100000000000000001", 9);

        assertThat(store.guildConfig().store().get("100000000000000001"))
                .contains(new GuildSettings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.of(9)));
        assertThat(store.guildCount()).isEqualTo(1);
        store.close();
        store.close();
        try (ConfigStore again = open()) {
            assertThat(again.loggingStore().getLoggingChannelId("100000000000000001"))
                    .contains(CHANNEL);
        }
    }

    @Test
    void theFeedCountsWhatItReadOwnChangesApartFromOthers() throws Exception {
        try (ConfigStore writer = open();
                ConfigStore reader = open()) {
            pollChangesNow(writer);
            pollChangesNow(reader);
            ChangeFeedStats writerBefore = writer.changeFeedStats();
            ChangeFeedStats readerBefore = reader.changeFeedStats();

            writer.keyValueStore("welcome").put("greeting", "hello");
            writer.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
            pollChangesNow(writer);
            pollChangesNow(reader);

            ChangeFeedStats writerAfter = writer.changeFeedStats();
            ChangeFeedStats readerAfter = reader.changeFeedStats();
            assertThat(writerAfter.changesRead() - writerBefore.changesRead()).isEqualTo(2);
            assertThat(writerAfter.ownChangesSkipped() - writerBefore.ownChangesSkipped())
                    .isEqualTo(2);
            assertThat(writerAfter.externalChangesApplied()).isEqualTo(writerBefore.externalChangesApplied());
            assertThat(readerAfter.changesRead() - readerBefore.changesRead()).isEqualTo(2);
            assertThat(readerAfter.externalChangesApplied() - readerBefore.externalChangesApplied())
                    .isEqualTo(2);
            assertThat(readerAfter.ownChangesSkipped()).isEqualTo(readerBefore.ownChangesSkipped());
            assertThat(readerAfter.gaps()).isEqualTo(readerBefore.gaps());
            assertThat(readerAfter.errors()).isEqualTo(readerBefore.errors());
        }
    }

    @Test
    void withoutAChangeFeedWatchingIsRefusedNothingIsCountedAndEverythingElseWorks() throws Exception {
        try (ConfigStore store = builder().disableChangeFeed().build()) {
            store.keyValueStore("welcome").put("greeting", "hello");
            store.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);

            assertThat(store.keyValueStore("welcome").get("greeting")).contains("hello");
            assertThat(store.guildIds(0, 10)).containsExactly("100000000000000001");
            assertThat(store.changeFeedStats()).isEqualTo(new ChangeFeedStats(0, 0, 0, 0, 0));
            assertThatThrownBy(() -> store.watchGuildChanges(collect(new ArrayList<>())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the change feed is disabled; build the store without disableChangeFeed()");
            assertThatThrownBy(() -> store.watchKeyValueChanges("welcome", collect(new ArrayList<>())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the change feed is disabled; build the store without disableChangeFeed()");
        }
    }

    @Test
    void theBuildersCommonSettingsAreCheckedAlikeWithTheSameMessages() throws Exception {
        assertThatThrownBy(() -> builder().poolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be between 1 and 64, got 0");
        assertThatThrownBy(() -> builder().busyTimeout(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("busyTimeout must be at least 1 ms, got PT0.000999999S");
        assertThatThrownBy(() -> builder().changeFeedInterval(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("changeFeedInterval must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> builder().cache(nullCacheSettings()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache");
    }

    @Test
    void aCacheSettingTheCachesBuilderRefusesFailsTheBuildAndLeavesTheDatabaseFreeToOpen() throws Exception {
        assertThatThrownBy(() -> builder().cache(cache -> cache.maximumSize(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);

        try (ConfigStore store = open()) {
            store.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
            assertThat(store.loggingStore().getLoggingChannelId("100000000000000001"))
                    .contains(CHANNEL);
        }
    }

    @SuppressWarnings("NullAway")
    private static java.util.function.Consumer<CachedKeyValueStore.Builder<?, ?>> nullCacheSettings() {
        return null;
    }

    private static ChangeListener<String> collect(List<String> into) {
        return new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                into.add(key);
            }

            @Override
            public void allChanged() {
                into.add("*");
            }
        };
    }
}
