package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.StoreException;
import dev.configstore.guild.BuiltInSettings;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Resolved;
import dev.configstore.guild.Source;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingChange;
import dev.configstore.settings.SettingSubscription;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.settings.SettingsUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * What every database's declared settings do ({@link ConfigStore#settings}), written once: set,
 * get and resolve at each scope, reset falling through, the atomic update being all or nothing,
 * changes reaching another store through the change feed, hand-written invalid rows being
 * skipped with the reason, change listeners, guild loads racing writes (forced with latches), and
 * a property test of random sequences against a model of the resolution chain.
 *
 * <p>A database module extends this class and says how to open a store on the test's database
 * with its change feed driven by hand, how to run SQL on that database by hand, and how to hold a
 * guild's load at a chosen point.
 */
public abstract class SettingsTests {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";
    private static final String OTHER_CHANNEL = "200000000000000002";

    /** A value the test's trigger refuses ({@link #refuseValue}), to fail a transaction mid-way. */
    private static final int REFUSED = 66;

    /** An integer from 1 to 100 that may be stored at every scope, 9 by default. */
    static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .defaultValue(9)
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();

    /** A text of 1 to 3 characters that may be stored per guild only, without a default. */
    static final Setting<String> TAG =
            Setting.text("tag", Rule.length(1, 3)).scopes(Scope.GUILD).build();

    private final SettingsSchema schema = SettingsSchema.of(Map.of(), LEVEL, TAG);

    /** Creates the suite. */
    protected SettingsTests() {}

    /**
     * Starts a builder for a store on the test's database (the same database on every call within
     * one test), with its change feed read only when {@link #pollChangesNow} is called.
     *
     * @return the builder
     * @throws Exception if it cannot be made
     */
    protected abstract StoreBuilder<?, ?> builder() throws Exception;

    /**
     * Reads the store's change log once, now.
     *
     * @param store a store {@link #builder()} made
     */
    protected abstract void pollChangesNow(ConfigStore store);

    /**
     * Runs statements on the test's database by hand, as an operator's shell would, each
     * committed. {@code configstore_settings} and {@code guild_config} in them name the tables as
     * the database needs it (qualified, for a server), and {@code key} the settings table's key
     * column (quoted where reserved). The store must have been opened once before, so that the
     * tables exist.
     *
     * @param statements the SQL
     * @throws Exception if one fails
     */
    protected abstract void sql(String... statements) throws Exception;

    /**
     * Makes the test's database refuse, with an error, every insert or update of {@code
     * configstore_settings} that stores {@code text} (a trigger), as a database failure inside a
     * transaction would.
     *
     * @param text the value to refuse
     * @throws Exception if the trigger cannot be made
     */
    protected abstract void refuseValue(String text) throws Exception;

    /**
     * How many random sequences the property test runs on this database: short enough for the
     * build, with at least 1,000 across databases.
     *
     * @return the number of examples
     */
    protected abstract int propertyExamples();

    /**
     * Makes {@code settings} call {@code hook} on the thread that loads a guild's settings, with
     * the guild's id, after the load read the guild's rows and the global values and before it
     * caches what it read.
     *
     * @param settings settings a store of {@link #builder()} gave
     * @param hook what to call
     */
    protected abstract void afterGuildRead(Settings settings, Consumer<String> hook);

    private ConfigStore open() throws Exception {
        return builder().build();
    }

    @Test
    void aSchemaAlwaysGivesTheSameSettings() throws Exception {
        try (ConfigStore store = open()) {
            assertThat(store.settings(schema)).isSameAs(store.settings(schema));
            assertThat(store.settings(schema).schema()).isSameAs(schema);
        }
    }

    @Test
    void valuesAreSetGotAndResolvedAtEachScope() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL))
                    .isEqualTo(new Resolution<>(Optional.of(9), Origin.DEFAULT, List.of()));
            assertThat(settings.get(TAG, GUILD)).isEmpty();

            settings.set(LEVEL, ScopeId.global(), 20);
            assertThat(settings.resolve(LEVEL, GUILD).origin()).isEqualTo(Origin.GLOBAL);
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(20);
            assertThat(settings.resolveGlobal(LEVEL).value()).contains(20);

            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            settings.set(TAG, ScopeId.guild(GUILD), "ab");
            assertThat(settings.resolve(LEVEL, GUILD))
                    .isEqualTo(new Resolution<>(Optional.of(30), Origin.GUILD, List.of()));
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(30);
            assertThat(settings.get(TAG, GUILD, CHANNEL)).contains("ab");
            assertThat(settings.get(LEVEL, OTHER_GUILD)).contains(20);

            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL))
                    .isEqualTo(new Resolution<>(Optional.of(40), Origin.CHANNEL, List.of()));
            assertThat(settings.get(LEVEL, GUILD, OTHER_CHANNEL)).contains(30);
            assertThat(settings.get(LEVEL, GUILD)).contains(30);
        }
        try (ConfigStore reopened = open()) {
            Settings settings = reopened.settings(schema);
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).as("durable").contains(40);
            assertThat(settings.get(TAG, GUILD)).contains("ab");
            assertThat(settings.get(LEVEL, OTHER_GUILD)).contains(20);
        }
    }

    @Test
    void aGuildsSettingsAreOneCachedSnapshotThatRemembersWhatItResolved() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            Resolution<Integer> first = settings.resolve(LEVEL, GUILD, CHANNEL);

            assertThat(settings.snapshot(GUILD)).isSameAs(settings.snapshot(GUILD));
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL)).isSameAs(first);
            assertThat(settings.resolve(LEVEL, GUILD)).isSameAs(settings.resolve(LEVEL, GUILD));

            GuildSnapshot before = settings.snapshot(GUILD);
            settings.set(LEVEL, ScopeId.guild(OTHER_GUILD), 50);
            assertThat(settings.snapshot(GUILD)).as("another guild's change").isSameAs(before);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            assertThat(settings.snapshot(GUILD)).as("its own change").isNotSameAs(before);
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL))
                    .isNotSameAs(first)
                    .isEqualTo(first);
        }
    }

    @Test
    void aWriteThroughOneSchemaIsSeenAtOnceThroughAnotherSchemaOfTheSameStore() throws Exception {
        try (ConfigStore store = open()) {
            Settings first = store.settings(schema);
            Settings second = store.settings(SettingsSchema.of(Map.of(), LEVEL));
            assertThat(second.get(LEVEL, GUILD)).contains(9);
            assertThat(second.resolveGlobal(LEVEL).value()).contains(9);
            List<SettingChange<Integer>> heard = new CopyOnWriteArrayList<>();
            CountDownLatch told = new CountDownLatch(1);
            second.onChange(LEVEL, change -> {
                heard.add(change);
                told.countDown();
            });

            first.set(LEVEL, ScopeId.guild(GUILD), 30);
            assertThat(second.get(LEVEL, GUILD)).contains(30);
            first.update(GUILD, new SettingsUpdate().set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40));
            assertThat(second.get(LEVEL, GUILD, CHANNEL)).contains(40);
            first.set(LEVEL, ScopeId.global(), 20);
            assertThat(second.resolveGlobal(LEVEL).value()).contains(20);
            assertThat(second.get(LEVEL, OTHER_GUILD)).contains(20);

            assertThat(told.await(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the other schema's listener is told")
                    .isTrue();
            assertThat(heard).isNotEmpty();
        }
    }

    @Test
    void aSchemaHoldingABuiltInSettingIsRefusedAndTheFacadesAreNamed() throws Exception {
        try (ConfigStore store = open()) {
            assertThatThrownBy(() -> store.settings(SettingsSchema.of(Map.of(), LEVEL, BuiltInSettings.FLAGS_CHANNEL)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"flags_channel_id\"")
                    .hasMessageContaining("guild_config")
                    .hasMessageContaining("flaggerStore()");
        }
    }

    @Test
    void aResetFallsThroughToTheNextLayer() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.global(), 20);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(40);

            settings.reset(LEVEL, ScopeId.channel(GUILD, CHANNEL));
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL).origin()).isEqualTo(Origin.GUILD);
            settings.reset(LEVEL, ScopeId.guild(GUILD));
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL).origin()).isEqualTo(Origin.GLOBAL);
            settings.reset(LEVEL, ScopeId.global());
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL))
                    .isEqualTo(new Resolution<>(Optional.of(9), Origin.DEFAULT, List.of()));
            settings.reset(LEVEL, ScopeId.global());
            assertThat(settings.get(LEVEL, GUILD))
                    .as("a reset of nothing is harmless")
                    .contains(9);
        }
    }

    @Test
    void aValueThatBreaksARuleOrAScopeOrIsNotDeclaredIsRefusedBeforeAnythingIsWritten() throws Exception {
        Setting<Integer> undeclared = Setting.integer("undeclared").build();
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            assertThatThrownBy(() -> settings.set(LEVEL, ScopeId.guild(GUILD), 101))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"level\"")
                    .hasMessageContaining("101")
                    .hasMessageContaining("range");
            assertThatThrownBy(() -> settings.set(TAG, ScopeId.channel(GUILD, CHANNEL), "ab"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"tag\" may not be stored at scope CHANNEL");
            assertThatThrownBy(() -> settings.set(TAG, ScopeId.global(), "ab"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"tag\" may not be stored at scope GLOBAL");
            assertThatThrownBy(() -> settings.set(undeclared, ScopeId.guild(GUILD), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"undeclared\" is not declared in this schema");
            assertThatThrownBy(() -> settings.reset(TAG, ScopeId.global()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("may not be stored at scope GLOBAL");
            assertThatThrownBy(() -> settings.get(LEVEL, "not a snowflake"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("guildId");
            assertThatThrownBy(() -> ScopeId.channel(GUILD, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("channelId");
        }
        try (ConfigStore reopened = open()) {
            assertThat(reopened.settings(schema).resolve(LEVEL, GUILD, CHANNEL).origin())
                    .isEqualTo(Origin.DEFAULT);
            assertThat(reopened.settings(schema).get(TAG, GUILD)).isEmpty();
        }
    }

    @Test
    void anAtomicUpdateWritesEveryChangeOfAGuildAndItsChannels() throws Exception {
        try (ConfigStore store = open();
                ConfigStore other = open()) {
            Settings settings = store.settings(schema);
            Settings elsewhere = other.settings(schema);
            settings.set(LEVEL, ScopeId.channel(GUILD, OTHER_CHANNEL), 5);
            assertThat(elsewhere.get(LEVEL, GUILD, OTHER_CHANNEL)).contains(5);

            settings.update(
                    GUILD,
                    new SettingsUpdate()
                            .set(LEVEL, ScopeId.guild(GUILD), 30)
                            .set(TAG, ScopeId.guild(GUILD), "xyz")
                            .set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40)
                            .reset(LEVEL, ScopeId.channel(GUILD, OTHER_CHANNEL)));

            assertThat(settings.get(LEVEL, GUILD)).contains(30);
            assertThat(settings.get(TAG, GUILD)).contains("xyz");
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(40);
            assertThat(settings.get(LEVEL, GUILD, OTHER_CHANNEL)).contains(30);
            pollChangesNow(other);
            assertThat(elsewhere.get(LEVEL, GUILD)).contains(30);
            assertThat(elsewhere.get(TAG, GUILD)).contains("xyz");
            assertThat(elsewhere.get(LEVEL, GUILD, CHANNEL)).contains(40);
            assertThat(elsewhere.get(LEVEL, GUILD, OTHER_CHANNEL)).contains(30);
        }
    }

    @Test
    void anUpdateWithABrokenRuleOrAnotherGuildWritesNothing() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            SettingsUpdate update = new SettingsUpdate().set(LEVEL, ScopeId.guild(GUILD), 31);
            assertThatThrownBy(() -> update.set(TAG, ScopeId.guild(GUILD), "toolong"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"tag\"")
                    .hasMessageContaining("toolong")
                    .hasMessageContaining("length");
            assertThatThrownBy(() -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .set(LEVEL, ScopeId.guild(GUILD), 31)
                                    .set(LEVEL, ScopeId.guild(OTHER_GUILD), 32)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("An update of guild " + GUILD + " changes only that guild");
            assertThatThrownBy(() -> settings.update(GUILD, new SettingsUpdate().set(LEVEL, ScopeId.global(), 31)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Nothing was written");
            assertThat(settings.get(LEVEL, GUILD)).contains(30);
        }
        try (ConfigStore reopened = open()) {
            assertThat(reopened.settings(schema).get(LEVEL, GUILD)).contains(30);
            assertThat(reopened.settings(schema).get(LEVEL, OTHER_GUILD)).contains(9);
        }
    }

    @Test
    void anUpdateThatTheDatabaseFailsMidWayChangesNothing() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            settings.set(TAG, ScopeId.guild(GUILD), "ab");
            assertThat(settings.get(TAG, GUILD)).contains("ab");
            refuseValue(Integer.toString(REFUSED));

            assertThatThrownBy(() -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .set(TAG, ScopeId.guild(GUILD), "xyz")
                                    .set(LEVEL, ScopeId.channel(GUILD, CHANNEL), REFUSED)
                                    .set(LEVEL, ScopeId.guild(GUILD), 31)))
                    .isInstanceOf(StoreException.class);

            assertThat(settings.get(TAG, GUILD))
                    .as("the cache keeps what it had")
                    .contains("ab");
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(30);
        }
        try (ConfigStore reopened = open()) {
            Settings settings = reopened.settings(schema);
            assertThat(settings.get(TAG, GUILD))
                    .as("the database keeps what it had")
                    .contains("ab");
            assertThat(settings.get(LEVEL, GUILD)).contains(30);
            assertThat(settings.resolve(LEVEL, GUILD, CHANNEL).origin()).isEqualTo(Origin.GUILD);
        }
    }

    @Test
    void anUpdateExpectingValuesIsRefusedWhenAnotherStoreChangedThemAndWritesNothing() throws Exception {
        try (ConfigStore store = open();
                ConfigStore other = open()) {
            Settings settings = store.settings(schema);
            Settings elsewhere = other.settings(schema);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            // As a form would: read, then save with what was read as the expected values.
            settings.update(
                    GUILD,
                    new SettingsUpdate()
                            .expect(LEVEL, ScopeId.guild(GUILD), Optional.of("30"))
                            .expect(TAG, ScopeId.guild(GUILD), Optional.empty())
                            .set(LEVEL, ScopeId.guild(GUILD), 31)
                            .set(TAG, ScopeId.guild(GUILD), "ab"));
            assertThat(settings.get(LEVEL, GUILD)).contains(31);
            assertThat(settings.get(TAG, GUILD)).contains("ab");

            // Another process changes the level; this store's cache still holds 31 (no feed read).
            elsewhere.set(LEVEL, ScopeId.guild(GUILD), 50);
            assertThat(settings.get(LEVEL, GUILD)).contains(31);
            assertThatThrownBy(() -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .expect(TAG, ScopeId.guild(GUILD), Optional.of("ab"))
                                    .expect(LEVEL, ScopeId.guild(GUILD), Optional.of("31"))
                                    .set(TAG, ScopeId.guild(GUILD), "xyz")
                                    .set(LEVEL, ScopeId.guild(GUILD), 32)))
                    .isInstanceOfSatisfying(ConflictingUpdateException.class, conflict -> {
                        assertThat(conflict.key()).isEqualTo("level");
                        assertThat(conflict.where()).isEqualTo(ScopeId.guild(GUILD));
                        assertThat(conflict.expected()).contains("31");
                        assertThat(conflict.actual()).contains("50");
                    })
                    .hasMessageContaining("\"level\"")
                    .hasMessageContaining("\"31\"")
                    .hasMessageContaining("\"50\"")
                    .hasMessageContaining("Nothing was written");

            // A value expected absent that another process stored first is a conflict too.
            elsewhere.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 7);
            assertThatThrownBy(() -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .expect(LEVEL, ScopeId.channel(GUILD, CHANNEL), Optional.empty())
                                    .set(TAG, ScopeId.guild(GUILD), "xyz")))
                    .isInstanceOfSatisfying(ConflictingUpdateException.class, conflict -> {
                        assertThat(conflict.expected()).isEmpty();
                        assertThat(conflict.actual()).contains("7");
                    })
                    .hasMessageContaining("nothing stored");
        }
        try (ConfigStore reopened = open()) {
            Settings settings = reopened.settings(schema);
            assertThat(settings.get(TAG, GUILD))
                    .as("nothing of a refused update")
                    .contains("ab");
            assertThat(settings.get(LEVEL, GUILD)).contains(50);
        }
    }

    @Test
    void anotherStoreSeesChangesOnceTheFeedIsRead() throws Exception {
        try (ConfigStore store = open();
                ConfigStore other = open()) {
            Settings settings = store.settings(schema);
            Settings elsewhere = other.settings(schema);
            assertThat(elsewhere.get(LEVEL, GUILD, CHANNEL)).contains(9);
            assertThat(elsewhere.get(LEVEL, OTHER_GUILD)).contains(9);

            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            pollChangesNow(other);
            assertThat(elsewhere.get(LEVEL, GUILD, CHANNEL)).contains(40);

            settings.set(LEVEL, ScopeId.global(), 20);
            pollChangesNow(other);
            assertThat(elsewhere.resolve(LEVEL, OTHER_GUILD).origin()).isEqualTo(Origin.GLOBAL);
            assertThat(elsewhere.get(LEVEL, OTHER_GUILD)).contains(20);
            assertThat(elsewhere.resolveGlobal(LEVEL).value()).contains(20);

            settings.reset(LEVEL, ScopeId.channel(GUILD, CHANNEL));
            pollChangesNow(other);
            assertThat(elsewhere.get(LEVEL, GUILD, CHANNEL)).contains(20);
        }
    }

    @Test
    void aGlobalChangeReachesGuildReadsAlreadyCached() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            assertThat(settings.get(LEVEL, GUILD)).contains(9);
            assertThat(settings.get(LEVEL, OTHER_GUILD, CHANNEL)).contains(9);

            settings.set(LEVEL, ScopeId.global(), 20);

            assertThat(settings.resolve(LEVEL, GUILD))
                    .isEqualTo(new Resolution<>(Optional.of(20), Origin.GLOBAL, List.of()));
            assertThat(settings.get(LEVEL, OTHER_GUILD, CHANNEL)).contains(20);
        }
    }

    @Test
    void aHandWrittenInvalidRowIsSkippedWithTheReasonAndNotServed() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.global(), 20);
            assertThat(settings.get(LEVEL, GUILD)).contains(20);
            sql(
                    "INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('guild', '"
                            + GUILD + "', '', 'level', '101')",
                    "INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('channel', '"
                            + GUILD + "', '" + CHANNEL + "', 'tag', 'ab')",
                    "INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('channel', '"
                            + GUILD + "', 'not a channel', 'level', '50')");
            pollChangesNow(store);

            Resolution<Integer> level = settings.resolve(LEVEL, GUILD);
            assertThat(level.value()).contains(20);
            assertThat(level.origin()).isEqualTo(Origin.GLOBAL);
            assertThat(level.skipped()).hasSize(1);
            assertThat(level.skipped().get(0).scope()).isEqualTo(Scope.GUILD);
            assertThat(level.skipped().get(0).text()).isEqualTo("101");
            assertThat(level.skipped().get(0).reason()).contains("\"level\"", "101", "range");

            Resolution<String> tag = settings.resolve(TAG, GUILD, CHANNEL);
            assertThat(tag.value()).isEmpty();
            assertThat(tag.origin()).isEqualTo(Origin.NONE);
            assertThat(tag.skipped())
                    .singleElement()
                    .satisfies(skipped ->
                            assertThat(skipped.reason()).contains("\"tag\" may not be stored for a channel"));
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(20);

            settings.set(LEVEL, ScopeId.guild(GUILD), 50);
            assertThat(settings.resolve(LEVEL, GUILD))
                    .as("a valid value written over it is served")
                    .isEqualTo(new Resolution<>(Optional.of(50), Origin.GUILD, List.of()));
        }
    }

    @Test
    void aHandWrittenGlobalRowReachesGuildReadsThroughTheFeed() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            assertThat(settings.get(LEVEL, GUILD)).contains(9);
            sql("INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('global', '', '',"
                    + " 'level', '77')");
            pollChangesNow(store);
            assertThat(settings.resolve(LEVEL, GUILD))
                    .isEqualTo(new Resolution<>(Optional.of(77), Origin.GLOBAL, List.of()));
        }
    }

    // ---- Change listeners. ----

    /** What a listener was told, in order, waited for without sleeping. */
    private static final class Recorded<T> {
        private final BlockingQueue<SettingChange<T>> changes = new LinkedBlockingQueue<>();

        void add(SettingChange<T> change) {
            changes.add(change);
        }

        /** Waits for the next change, up to {@link Pause#TIMEOUT}. */
        SettingChange<T> next() throws InterruptedException {
            SettingChange<T> change = changes.poll(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (change == null) {
                throw new AssertionError("No change was delivered within " + Pause.TIMEOUT.toSeconds() + " s");
            }
            return change;
        }

        /** Waits for {@code count} changes. */
        List<SettingChange<T>> next(int count) throws InterruptedException {
            List<SettingChange<T>> got = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                got.add(next());
            }
            return got;
        }

        boolean isEmpty() {
            return changes.isEmpty();
        }
    }

    private static SettingChange<Integer> level(ScopeId where, @Nullable Integer before, @Nullable Integer after) {
        return new SettingChange<>(
                LEVEL,
                where,
                Optional.ofNullable(before),
                Optional.ofNullable(after),
                Optional.ofNullable(before).map(String::valueOf),
                Optional.ofNullable(after).map(String::valueOf));
    }

    @Test
    void aListenerIsToldOfEachLocalChangeOnceWithItsScopeAndItsOldAndNewValues() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.guild(GUILD), 10);
            Recorded<Integer> recorded = new Recorded<>();
            SettingSubscription subscription = settings.onChange(LEVEL, recorded::add);

            // Each change is awaited before the next is made: changes made between two reads of
            // the listener thread may be delivered as one.
            settings.set(LEVEL, ScopeId.global(), 20);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.global(), null, 20));
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), 10, 30));
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.channel(GUILD, CHANNEL), null, 40));
            // Storing the same value again is no change; the next change delivered is the reset.
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            settings.reset(LEVEL, ScopeId.channel(GUILD, CHANNEL));
            assertThat(recorded.next()).isEqualTo(level(ScopeId.channel(GUILD, CHANNEL), 40, null));
            settings.update(
                    GUILD,
                    new SettingsUpdate().set(LEVEL, ScopeId.guild(GUILD), 31).set(TAG, ScopeId.guild(GUILD), "ab"));
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), 30, 31));
            // Another setting's change, and the feed reading this store's own changes back: none
            // of it is delivered, so the next change is the global reset.
            settings.set(TAG, ScopeId.guild(GUILD), "cd");
            pollChangesNow(store);
            settings.reset(LEVEL, ScopeId.global());
            assertThat(recorded.next()).isEqualTo(level(ScopeId.global(), 20, null));

            subscription.close();
            settings.set(LEVEL, ScopeId.guild(GUILD), 32);
            Recorded<Integer> later = new Recorded<>();
            SettingSubscription another = settings.onChange(LEVEL, later::add);
            settings.set(LEVEL, ScopeId.guild(GUILD), 33);
            assertThat(later.next()).isEqualTo(level(ScopeId.guild(GUILD), 32, 33));
            another.close();
            assertThat(recorded.isEmpty()).as("nothing after close").isTrue();
        }
    }

    @Test
    void aListenerIsToldOfAnotherStoresChangesThroughTheFeed() throws Exception {
        try (ConfigStore store = open();
                ConfigStore other = open()) {
            Settings settings = store.settings(schema);
            Settings elsewhere = other.settings(schema);
            Recorded<Integer> recorded = new Recorded<>();
            settings.onChange(LEVEL, recorded::add);

            elsewhere.set(LEVEL, ScopeId.guild(GUILD), 30);
            elsewhere.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
            elsewhere.set(LEVEL, ScopeId.global(), 20);
            assertThat(recorded.isEmpty()).as("not before the feed reports it").isTrue();
            pollChangesNow(store);
            assertThat(recorded.next(3))
                    .containsExactlyInAnyOrder(
                            level(ScopeId.guild(GUILD), null, 30),
                            level(ScopeId.channel(GUILD, CHANNEL), null, 40),
                            level(ScopeId.global(), null, 20));

            elsewhere.update(GUILD, new SettingsUpdate().reset(LEVEL, ScopeId.channel(GUILD, CHANNEL)));
            pollChangesNow(store);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.channel(GUILD, CHANNEL), 40, null));

            sql("UPDATE configstore_settings SET value = '101' WHERE scope = 'guild' AND guild_id = '" + GUILD
                    + "' AND key = 'level'");
            pollChangesNow(store);
            assertThat(recorded.next())
                    .as("a hand-written value that breaks a rule is given as absent, with its text")
                    .isEqualTo(new SettingChange<>(
                            LEVEL,
                            ScopeId.guild(GUILD),
                            Optional.of(30),
                            Optional.empty(),
                            Optional.of("30"),
                            Optional.of("101")));

            // This store's own change, which its feed then reads back: delivered once.
            settings.set(LEVEL, ScopeId.guild(OTHER_GUILD), 50);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(OTHER_GUILD), null, 50));
            pollChangesNow(store);
            settings.set(LEVEL, ScopeId.guild(OTHER_GUILD), 51);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(OTHER_GUILD), 50, 51));
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            AtomicInteger calls = new AtomicInteger();
            settings.onChange(LEVEL, change -> {
                calls.incrementAndGet();
                throw new IllegalStateException("a listener that fails, on purpose");
            });
            Recorded<Integer> recorded = new Recorded<>();
            settings.onChange(LEVEL, recorded::add);
            Recorded<String> tags = new Recorded<>();
            settings.onChange(TAG, tags::add);

            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), null, 30));
            settings.set(LEVEL, ScopeId.guild(GUILD), 31);
            assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), 30, 31));
            settings.set(TAG, ScopeId.guild(GUILD), "ab");
            assertThat(tags.next().newValue()).contains("ab");
            // It is called before the second listener, which registered after it.
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void closingASubscriptionStopsItsCallsAndNotTheOthers() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            Recorded<Integer> first = new Recorded<>();
            Recorded<Integer> second = new Recorded<>();
            SettingSubscription closed = settings.onChange(LEVEL, first::add);
            settings.onChange(LEVEL, second::add);

            settings.set(LEVEL, ScopeId.global(), 20);
            assertThat(first.next()).isEqualTo(level(ScopeId.global(), null, 20));
            assertThat(second.next()).isEqualTo(level(ScopeId.global(), null, 20));

            closed.close();
            closed.close();
            settings.set(LEVEL, ScopeId.global(), 21);
            // Both are called on one thread in the order they registered: once the second has
            // been told, the first would have been.
            assertThat(second.next()).isEqualTo(level(ScopeId.global(), 20, 21));
            assertThat(first.isEmpty()).isTrue();
        }
    }

    @Test
    void listenersRunOnAThreadOfTheirOwnThatStopsWithTheStore() throws Exception {
        Setting<Integer> undeclared = Setting.integer("undeclared").build();
        BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
        ConfigStore store = open();
        Settings settings = store.settings(schema);
        Thread listenerThread;
        try {
            assertThatThrownBy(() -> settings.onChange(undeclared, change -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"undeclared\" is not declared in this schema");
            settings.onChange(LEVEL, change -> threads.add(Thread.currentThread()));
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);
            listenerThread = threads.poll(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            store.close();
        }
        if (listenerThread == null) {
            throw new AssertionError("No change was delivered within " + Pause.TIMEOUT.toSeconds() + " s");
        }
        assertThat(listenerThread).isNotSameAs(Thread.currentThread());
        listenerThread.join(Pause.TIMEOUT.toMillis());
        assertThat(listenerThread.isAlive()).as("stopped by closing the store").isFalse();
        assertThatThrownBy(() -> settings.onChange(LEVEL, change -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ---- Races, forced with latches. ----

    /**
     * Reads {@code read} on another thread, held by {@link #afterGuildRead} once it has read
     * guild {@link #GUILD}'s rows and the global values, while {@code write} runs and returns;
     * then lets it finish. Returns what the held read returned.
     */
    private <T> T holdAGuildLoadDuring(Settings settings, java.util.concurrent.Callable<T> read, Runnable write)
            throws Exception {
        Pause pause = new Pause("a load of guild " + GUILD + " after it read");
        AtomicBoolean first = new AtomicBoolean(true);
        afterGuildRead(settings, guild -> {
            if (guild.equals(GUILD) && first.compareAndSet(true, false)) {
                pause.arriveAndWait();
            }
        });
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<T> held = thread.submit(read);
            pause.awaitArrival();
            write.run();
            pause.release();
            return held.get(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pause.release();
            thread.shutdownNow();
        }
    }

    @Test
    void aGuildLoadThatReadTheOldGlobalValuesIsNotCachedAfterAGlobalWrite() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.global(), 20);
            assertThat(settings.resolveGlobal(LEVEL).value()).contains(20);

            Optional<Integer> held = holdAGuildLoadDuring(
                    settings, () -> settings.get(LEVEL, GUILD), () -> settings.set(LEVEL, ScopeId.global(), 21));

            assertThat(held).as("the held read began before the write").contains(20);
            assertThat(settings.get(LEVEL, GUILD))
                    .as("a read after the write returned")
                    .contains(21);
            assertThat(settings.get(LEVEL, GUILD, CHANNEL)).contains(21);
        }
    }

    @Test
    void aGuildLoadThatReadTheOldGuildRowsIsNotCachedAfterAGuildWrite() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(LEVEL, ScopeId.guild(GUILD), 30);

            Optional<Integer> held = holdAGuildLoadDuring(
                    settings,
                    () -> settings.get(LEVEL, GUILD, CHANNEL),
                    () -> settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40));

            assertThat(held).as("the held read began before the write").contains(30);
            assertThat(settings.get(LEVEL, GUILD, CHANNEL))
                    .as("a read after the write returned")
                    .contains(40);
        }
    }

    @Test
    void aGuildLoadThatReadTheOldGuildRowsIsNotCachedAfterAnAtomicUpdate() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            settings.set(TAG, ScopeId.guild(GUILD), "ab");

            Optional<String> held = holdAGuildLoadDuring(
                    settings,
                    () -> settings.get(TAG, GUILD),
                    () -> settings.update(GUILD, new SettingsUpdate().set(TAG, ScopeId.guild(GUILD), "cd")));

            assertThat(held).as("the held read began before the update").contains("ab");
            assertThat(settings.get(TAG, GUILD))
                    .as("a read after the update returned")
                    .contains("cd");
        }
    }

    @Test
    void theFacadesSkipABuiltInValueWrittenByHandThatBreaksItsRulesAndCountIt() throws Exception {
        try (ConfigStore store = builder()
                .defaults(ConfigDefaults.of(Map.of(ConfigDefaults.SILENT_FIRST_MSG_DAYS, "30")))
                .build()) {
            sql("INSERT INTO guild_config (guild_id, logging_channel_id, flags_channel_id, silent_first_msg_days)"
                    + " VALUES ('" + GUILD + "', 'not-a-snowflake', '" + CHANNEL + "', 3)");
            pollChangesNow(store);

            FlaggerConfig flagger = store.flaggerStore().getFlaggerConfig(GUILD);
            assertThat(flagger)
                    .as("days 3 is skipped for the environment's 30; the valid channel is served")
                    .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 30, Source.DATABASE, Source.ENVIRONMENT));
            assertThat(store.loggingStore().resolveLoggingChannel(GUILD))
                    .isEqualTo(new Resolved<>(Optional.empty(), Source.DEFAULT));
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).isEmpty();

            GuildSnapshot snapshot = store.guildConfig().snapshot(GUILD);
            Resolution<Integer> days = snapshot.resolve(BuiltInSettings.SILENT_FIRST_MSG_DAYS);
            assertThat(days.origin()).isEqualTo(Origin.ENVIRONMENT);
            assertThat(days.skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.scope()).isEqualTo(Scope.GUILD);
                assertThat(skipped.text()).isEqualTo("3");
                assertThat(skipped.reason()).contains("\"silent_first_msg_days\"", "range(7,365)");
            });
            assertThat(snapshot.resolve(BuiltInSettings.LOGGING_CHANNEL).skipped())
                    .singleElement()
                    .satisfies(skipped -> assertThat(skipped.reason()).contains("not-a-snowflake"));
            assertThat(store.guildConfig().schema().skippedValues()).isEqualTo(2);

            assertThat(store.flaggerStore().getFlaggerConfig(GUILD)).isSameAs(flagger);
            store.guildConfig().store().invalidateAll();
            assertThat(store.flaggerStore().getFlaggerConfig(GUILD)).isEqualTo(flagger);
            assertThat(store.guildConfig().schema().skippedValues())
                    .as("counted once per value, however often the row is read")
                    .isEqualTo(2);
            assertThat(store.guildConfig().store().get(GUILD))
                    .as("the row is read back as it is stored")
                    .contains(
                            new GuildSettings(Optional.of("not-a-snowflake"), Optional.of(CHANNEL), OptionalInt.of(3)));

            store.flaggerStore().setSilentFirstMsgDays(GUILD, 9);
            assertThat(store.flaggerStore().getFlaggerConfig(GUILD))
                    .as("a valid value written over it is served")
                    .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 9, Source.DATABASE, Source.DATABASE));
        }
    }

    @Test
    void forgettingAGuildDropsEverySettingOfItFromTheCachesAndKeepsItsRows() throws Exception {
        SettingsSchema tags = SettingsSchema.of(Map.of(), TAG);
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            Settings other = store.settings(tags);
            settings.set(LEVEL, ScopeId.guild(GUILD), 40);
            settings.set(LEVEL, ScopeId.guild(OTHER_GUILD), 40);
            other.set(TAG, ScopeId.guild(GUILD), "ab");
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            assertThat(settings.get(LEVEL, GUILD)).contains(40);
            assertThat(other.get(TAG, GUILD)).contains("ab");
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            GuildSnapshot otherGuild = settings.snapshot(OTHER_GUILD);

            // Behind the caches' backs: the change feed is not read.
            sql(
                    "UPDATE configstore_settings SET value = '41' WHERE guild_id = '" + GUILD + "' AND key = 'level'",
                    "UPDATE configstore_settings SET value = 'cd' WHERE guild_id = '" + GUILD + "' AND key = 'tag'",
                    "UPDATE guild_config SET logging_channel_id = '" + OTHER_CHANNEL + "' WHERE guild_id = '" + GUILD
                            + "'");
            assertThat(settings.get(LEVEL, GUILD)).as("still cached").contains(40);

            store.loggingStore().forgetGuild(GUILD);
            assertThat(settings.get(LEVEL, GUILD)).contains(41);
            assertThat(other.get(TAG, GUILD)).contains("cd");
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(OTHER_CHANNEL);
            assertThat(settings.snapshot(OTHER_GUILD))
                    .as("another guild stays cached")
                    .isSameAs(otherGuild);

            sql("UPDATE configstore_settings SET value = '42' WHERE guild_id = '" + GUILD + "' AND key = 'level'");
            store.flaggerStore().forgetGuild(Long.parseLong(GUILD));
            assertThat(settings.get(LEVEL, GUILD))
                    .as("through the other facade too")
                    .contains(42);
        }
    }

    // ---- The property test: random sequences against a model of the resolution chain. ----

    /** Where an operation acts: 0 the whole bot, 1 the guild, 2 and 3 its two channels. */
    private static final int PLACES = 4;

    /** Hand-written texts: {@code level} refuses the first three, {@code tag} the last at a guild. */
    private static final List<String> RAW_TEXTS = List.of("abc", "0", "101", "ok", "toolong");

    /**
     * One operation: {@code kind} 0 set, 1 reset, 2 atomic update of two changes, 3 a hand-written
     * row; {@code setting} 0 level, 1 tag; {@code place} (see {@link #PLACES}); {@code value} picks
     * the value; {@code second} the second change of an update.
     */
    private record Op(int kind, int setting, int place, int value, int second) {}

    private final AtomicLong sequences = new AtomicLong();

    @Test
    void randomSequencesMatchAModelOfTheResolutionChain() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(schema);
            Gen<Op> ops = integers()
                    .between(0, 3)
                    .zip(integers().between(0, 1), integers().between(0, PLACES - 1), (kind, setting, place) ->
                            new int[] {kind, setting, place})
                    .zip(
                            integers().between(0, 99),
                            integers().between(0, 99),
                            (first, value, second) -> new Op(first[0], first[1], first[2], value, second));
            qt().withExamples(propertyExamples())
                    .forAll(lists().of(ops).ofSizeBetween(1, 8))
                    .checkAssert(sequence -> runAgainstTheModel(store, settings, sequence));
        }
    }

    private void runAgainstTheModel(ConfigStore store, Settings settings, List<Op> sequence) {
        try {
            // A guild of its own per sequence; the global rows are cleared by hand.
            String guild = Long.toString(300_000_000_000_000_000L + sequences.incrementAndGet());
            sql("DELETE FROM configstore_settings WHERE scope = 'global'");
            pollChangesNow(store);
            Map<String, String> model = new HashMap<>();
            for (Op op : sequence) {
                apply(store, settings, guild, op, model);
                for (int place = 1; place < PLACES; place++) {
                    for (Setting<?> setting : List.of(LEVEL, TAG)) {
                        Resolution<?> actual = place == 1
                                ? settings.resolve(setting, guild)
                                : settings.resolve(setting, guild, channel(place));
                        Resolution<?> expected = expected(setting, place, model);
                        assertThat(actual.value())
                                .as("%s at place %d after %s", setting, place, sequence)
                                .isEqualTo(expected.value());
                        assertThat(actual.origin())
                                .as("origin of %s at place %d after %s", setting, place, sequence)
                                .isEqualTo(expected.origin());
                        assertThat(actual.skipped().size())
                                .as("skipped of %s at place %d after %s", setting, place, sequence)
                                .isEqualTo(expected.skipped().size());
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void apply(ConfigStore store, Settings settings, String guild, Op op, Map<String, String> model)
            throws Exception {
        Setting<?> setting = op.setting() == 0 ? LEVEL : TAG;
        ScopeId where = where(guild, op.place());
        switch (op.kind()) {
            case 0 -> {
                if (!setting.allows(where.scope())) {
                    assertThatThrownBy(() -> set(settings, setting, where, op.value()))
                            .isInstanceOf(IllegalArgumentException.class);
                    return;
                }
                model.put(modelKey(setting, op.place()), set(settings, setting, where, op.value()));
            }
            case 1 -> {
                if (!setting.allows(where.scope())) {
                    assertThatThrownBy(() -> settings.reset(setting, where))
                            .isInstanceOf(IllegalArgumentException.class);
                    return;
                }
                settings.reset(setting, where);
                model.remove(modelKey(setting, op.place()));
            }
            case 2 -> {
                // Two changes of the guild and its channels: level somewhere under the guild, and
                // the second (even: set tag for the guild; odd: reset level at a channel).
                int place = 1 + op.place() % 3;
                SettingsUpdate update = new SettingsUpdate();
                String level = Integer.toString(1 + op.value());
                update.set(LEVEL, where(guild, place), 1 + op.value());
                String tag = "t" + op.second() % 10;
                int resetPlace = 2 + op.second() % 2;
                if (op.second() % 2 == 0) {
                    update.set(TAG, ScopeId.guild(guild), tag);
                } else {
                    update.reset(LEVEL, where(guild, resetPlace));
                }
                settings.update(guild, update);
                model.put(modelKey(LEVEL, place), level);
                if (op.second() % 2 == 0) {
                    model.put(modelKey(TAG, 1), tag);
                } else {
                    model.remove(modelKey(LEVEL, resetPlace));
                }
            }
            default -> {
                String text = RAW_TEXTS.get(op.value() % RAW_TEXTS.size());
                String scope = where.scope().name().toLowerCase(java.util.Locale.ROOT);
                sql(
                        "DELETE FROM configstore_settings WHERE scope = '" + scope + "' AND guild_id = '"
                                + where.guildId() + "' AND channel_id = '" + where.channelId() + "' AND key = '"
                                + setting.key() + "'",
                        "INSERT INTO configstore_settings (scope, guild_id, channel_id, key, value) VALUES ('" + scope
                                + "', '" + where.guildId() + "', '" + where.channelId() + "', '" + setting.key()
                                + "', '" + text + "')");
                pollChangesNow(store);
                model.put(modelKey(setting, op.place()), text);
            }
        }
    }

    /** Sets a value chosen by {@code choice}; returns its stored text. */
    @SuppressWarnings("unchecked")
    private static String set(Settings settings, Setting<?> setting, ScopeId where, int choice) {
        if (setting == LEVEL) {
            settings.set(LEVEL, where, 1 + choice);
            return Integer.toString(1 + choice);
        }
        String tag = "v" + choice % 10;
        settings.set((Setting<String>) setting, where, tag);
        return tag;
    }

    /** The model: the first layer, nearest first, whose text is valid there; else the fallback. */
    private static Resolution<?> expected(Setting<?> setting, int place, Map<String, String> model) {
        List<Resolution.Skipped> skipped = new ArrayList<>();
        int[] layers = place == 1 ? new int[] {1, 0} : new int[] {place, 1, 0};
        for (int layer : layers) {
            String text = model.get(modelKey(setting, layer));
            if (text == null) {
                continue;
            }
            Scope scope = layer == 0 ? Scope.GLOBAL : layer == 1 ? Scope.GUILD : Scope.CHANNEL;
            Optional<Object> value = validValue(setting, scope, text);
            if (value.isPresent()) {
                Origin origin =
                        scope == Scope.GLOBAL ? Origin.GLOBAL : scope == Scope.GUILD ? Origin.GUILD : Origin.CHANNEL;
                return new Resolution<>(value, origin, skipped);
            }
            skipped.add(new Resolution.Skipped(scope, text, "invalid"));
        }
        return setting == LEVEL
                ? new Resolution<>(Optional.of(9), Origin.DEFAULT, skipped)
                : new Resolution<>(Optional.empty(), Origin.NONE, skipped);
    }

    private static Optional<Object> validValue(Setting<?> setting, Scope scope, String text) {
        if (!setting.allows(scope)) {
            return Optional.empty();
        }
        if (setting == LEVEL) {
            if (!text.matches("[1-9][0-9]*") || text.length() > 3) {
                return Optional.empty();
            }
            int value = Integer.parseInt(text);
            return value >= 1 && value <= 100 ? Optional.of(value) : Optional.empty();
        }
        return text.length() <= 3 ? Optional.of(text) : Optional.empty();
    }

    private static String modelKey(Setting<?> setting, int place) {
        return setting.key() + "@" + place;
    }

    private static ScopeId where(String guild, int place) {
        return switch (place) {
            case 0 -> ScopeId.global();
            case 1 -> ScopeId.guild(guild);
            default -> ScopeId.channel(guild, channel(place));
        };
    }

    private static String channel(int place) {
        return place == 2 ? CHANNEL : OTHER_CHANNEL;
    }
}
