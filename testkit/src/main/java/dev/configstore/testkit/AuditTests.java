package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.jdbc.Actor;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.settings.SettingsUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The audit trail on every database ({@link ConfigStore#history}): each change through the store
 * is recorded with who made it ({@link Actor}, or the store's default), when (by the store's
 * clock), where, and the values before and after; in the same transaction as the change, so that a
 * change that fails records nothing and a change that cannot be recorded is not made; entries are
 * kept for the retention, by the clock, moved here by hand, and pruned by the trail's own prune.
 *
 * <p>A database module extends this class with a short fixture: a builder for a store on the
 * test's database, plain SQL on it, and a trigger refusing a value.
 */
public abstract class AuditTests {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /** An integer from 1 to 100 that may be stored at every scope. */
    private static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();

    /** A text that may be stored per guild. */
    private static final Setting<String> GREETING =
            Setting.text("greeting", Rule.length(1, 50)).scopes(Scope.GUILD).build();

    private static final SettingsSchema SCHEMA = SettingsSchema.of(Map.of(), LEVEL, GREETING);

    private final MovableClock clock = new MovableClock(START);

    /** Creates the suite. */
    protected AuditTests() {}

    /**
     * Starts a builder for a store on the test's database (the same database on every call within
     * one test).
     *
     * @return the builder
     * @throws Exception if it cannot be made
     */
    protected abstract StoreBuilder<?, ?> builder() throws Exception;

    /**
     * Runs statements on the test's database by hand, each committed; {@code configstore_audit}
     * and {@code configstore_settings} in them name the tables as the database needs it.
     *
     * @param statements the SQL
     * @throws Exception if one fails
     */
    protected abstract void sql(String... statements) throws Exception;

    /**
     * Makes the test's database refuse, with an error, every insert or update of {@code
     * configstore_settings} that stores {@code text} (a trigger).
     *
     * @param text the value to refuse
     * @throws Exception if the trigger cannot be made
     */
    protected abstract void refuseValue(String text) throws Exception;

    private ConfigStore open() throws Exception {
        return builder().clock(clock).build();
    }

    @Test
    void aChangeIsRecordedWithWhoWhenWhereAndTheValuesBeforeAndAfter() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            Actor.run("discord:42", () -> settings.set(LEVEL, ScopeId.guild(GUILD), 5));
            clock.advance(Duration.ofMinutes(1));
            Actor.Scope alice = Actor.begin("dashboard:alice");
            try {
                settings.set(LEVEL, ScopeId.guild(GUILD), 7);
                clock.advance(Duration.ofMinutes(1));
                settings.reset(LEVEL, ScopeId.guild(GUILD));
            } finally {
                alice.close();
            }
            assertThat(Actor.current()).isEmpty();

            assertThat(store.history(HistoryQuery.guild(GUILD)))
                    .containsExactly(
                            entry(
                                    START.plusSeconds(120),
                                    "dashboard:alice",
                                    AuditEntry.Scope.GUILD,
                                    "level",
                                    "7",
                                    null),
                            entry(START.plusSeconds(60), "dashboard:alice", AuditEntry.Scope.GUILD, "level", "5", "7"),
                            entry(START, "discord:42", AuditEntry.Scope.GUILD, "level", null, "5"));
            assertThat(store.history(HistoryQuery.guild(OTHER_GUILD))).isEmpty();
        }
    }

    @Test
    void theBuiltInSettingsAreRecordedUnderTheirColumnsWithTheStoresDefaultActor() throws Exception {
        try (ConfigStore store = builder().clock(clock).defaultActor("bot").build()) {
            store.loggingStore().setLoggingChannelId(GUILD, "300000000000000001");
            Actor.run("discord:42", () -> store.flaggerStore().setSilentFirstMsgDays(GUILD, 30));
            store.loggingStore().setLoggingChannelId(GUILD, "300000000000000002");

            assertThat(store.history(HistoryQuery.guild(GUILD)))
                    .containsExactly(
                            entry(
                                    START,
                                    "bot",
                                    AuditEntry.Scope.GUILD,
                                    "logging_channel_id",
                                    "300000000000000001",
                                    "300000000000000002"),
                            entry(START, "discord:42", AuditEntry.Scope.GUILD, "silent_first_msg_days", null, "30"),
                            entry(
                                    START,
                                    "bot",
                                    AuditEntry.Scope.GUILD,
                                    "logging_channel_id",
                                    null,
                                    "300000000000000001"));
        }
    }

    @Test
    void aGuildsHistoryHoldsItsChannelsButNotTheWholeBotsSettings() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            settings.set(LEVEL, ScopeId.global(), 50);
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 20);

            List<AuditEntry> guild = store.history(HistoryQuery.guild(GUILD));
            assertThat(guild).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(AuditEntry.Scope.CHANNEL);
                assertThat(entry.guildId()).isEqualTo(GUILD);
                assertThat(entry.channelId()).isEqualTo(CHANNEL);
                assertThat(entry.after()).contains("20");
                assertThat(entry.before()).isEmpty();
            });
            assertThat(store.history(HistoryQuery.global())).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(AuditEntry.Scope.GLOBAL);
                assertThat(entry.guildId()).isEmpty();
                assertThat(entry.newValue()).isEqualTo("50");
            });
        }
    }

    @Test
    void keyValueChangesAreRecordedByNamespace() throws Exception {
        try (ConfigStore store = open()) {
            CachedKeyValueStore<String, String> prefs = store.keyValueStore("prefs");
            Actor.run("job:import", () -> {
                prefs.put("lang", "de");
                prefs.put("lang", "fr");
                prefs.remove("lang");
            });
            store.keyValueStore("other").put("lang", "en");

            assertThat(store.history(HistoryQuery.namespace("prefs")))
                    .extracting(
                            AuditEntry::scope,
                            AuditEntry::namespace,
                            AuditEntry::key,
                            AuditEntry::actor,
                            AuditEntry::oldValue,
                            AuditEntry::newValue)
                    .containsExactly(
                            tuple(AuditEntry.Scope.NAMESPACE, "prefs", "lang", "job:import", "fr", null),
                            tuple(AuditEntry.Scope.NAMESPACE, "prefs", "lang", "job:import", "de", "fr"),
                            tuple(AuditEntry.Scope.NAMESPACE, "prefs", "lang", "job:import", null, "de"));
            assertThat(store.history(HistoryQuery.namespace("other"))).hasSize(1);
        }
    }

    @Test
    void writingTheValueAlreadyStoredRecordsNothing() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            settings.set(GREETING, ScopeId.guild(GUILD), "hi");
            settings.set(GREETING, ScopeId.guild(GUILD), "hi");
            settings.reset(LEVEL, ScopeId.guild(GUILD));

            assertThat(store.history(HistoryQuery.guild(GUILD))).hasSize(1);
        }
    }

    @Test
    void anAtomicUpdateRecordsEachChangeAndAFailedOneRecordsNothing() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            refuseValue("refused");

            assertThatThrownBy(() -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .set(LEVEL, ScopeId.guild(GUILD), 3)
                                    .set(GREETING, ScopeId.guild(GUILD), "refused")))
                    .isInstanceOf(StoreException.class);
            assertThat(store.history(HistoryQuery.guild(GUILD))).isEmpty();

            Actor.run(
                    "dashboard:bob",
                    () -> settings.update(
                            GUILD,
                            new SettingsUpdate()
                                    .set(LEVEL, ScopeId.guild(GUILD), 3)
                                    .set(GREETING, ScopeId.guild(GUILD), "hello")
                                    .set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 4)));

            assertThat(store.history(HistoryQuery.guild(GUILD)))
                    .extracting(AuditEntry::key, AuditEntry::scope, AuditEntry::newValue, AuditEntry::actor)
                    .containsExactlyInAnyOrder(
                            tuple("level", AuditEntry.Scope.GUILD, "3", "dashboard:bob"),
                            tuple("greeting", AuditEntry.Scope.GUILD, "hello", "dashboard:bob"),
                            tuple("level", AuditEntry.Scope.CHANNEL, "4", "dashboard:bob"));
        }
    }

    @Test
    void aChangeWhoseAuditEntryCannotBeWrittenIsNotMadeEither() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            settings.set(LEVEL, ScopeId.guild(GUILD), 5);
            sql("ALTER TABLE configstore_audit RENAME TO configstore_audit_away");
            try {
                assertThatThrownBy(() -> settings.set(LEVEL, ScopeId.guild(GUILD), 6))
                        .isInstanceOf(StoreException.class);
                assertThat(settings.get(LEVEL, GUILD)).contains(5);
            } finally {
                sql("ALTER TABLE configstore_audit_away RENAME TO configstore_audit");
            }
            try (ConfigStore fresh = open()) {
                assertThat(fresh.settings(SCHEMA).get(LEVEL, GUILD)).contains(5);
            }
            assertThat(store.history(HistoryQuery.guild(GUILD))).hasSize(1);
        }
    }

    @Test
    void forgettingAGuildRecordsEveryValueItRemoved() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 20);
            store.loggingStore().setLoggingChannelId(GUILD, "300000000000000001");
            clock.advance(Duration.ofSeconds(5));

            Actor.run("os:operator", () -> store.storedSettings().forget(GUILD));

            assertThat(store.history(HistoryQuery.guild(GUILD).since(START.plusSeconds(5))))
                    .extracting(AuditEntry::key, AuditEntry::oldValue, AuditEntry::newValue, AuditEntry::actor)
                    .containsExactlyInAnyOrder(
                            tuple("level", "20", null, "os:operator"),
                            tuple("logging_channel_id", "300000000000000001", null, "os:operator"));
        }
    }

    @Test
    void theHistoryIsFilteredByKeyAndTimeAndLimited() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            for (int level = 1; level <= 5; level++) {
                settings.set(LEVEL, ScopeId.guild(GUILD), level);
                settings.set(GREETING, ScopeId.guild(GUILD), "hi " + level);
                clock.advance(Duration.ofHours(1));
            }

            assertThat(store.history(HistoryQuery.guild(GUILD).key("level")))
                    .extracting(AuditEntry::newValue)
                    .containsExactly("5", "4", "3", "2", "1");
            assertThat(store.history(HistoryQuery.guild(GUILD)
                            .key("level")
                            .since(START.plus(Duration.ofHours(1)))
                            .until(START.plus(Duration.ofHours(3)))))
                    .extracting(AuditEntry::newValue)
                    .containsExactly("3", "2");
            assertThat(store.history(HistoryQuery.guild(GUILD).limit(3)))
                    .extracting(AuditEntry::newValue)
                    .containsExactly("hi 5", "5", "hi 4");
        }
    }

    @Test
    void entriesAreKeptForTheRetentionByTheStoresClockAndThenPruned() throws Exception {
        try (ConfigStore store = open()) {
            Settings settings = store.settings(SCHEMA);
            settings.set(LEVEL, ScopeId.guild(GUILD), 1);
            clock.advance(Duration.ofDays(30));
            settings.set(LEVEL, ScopeId.guild(GUILD), 2);

            clock.advance(Duration.ofDays(59)); // 89 days after the first change
            assertThat(store.pruneHistory()).isZero();
            assertThat(store.history(HistoryQuery.guild(GUILD))).hasSize(2);

            clock.advance(Duration.ofDays(1).plusMillis(1)); // just over 90 days
            assertThat(store.pruneHistory()).isEqualTo(1);
            assertThat(store.history(HistoryQuery.guild(GUILD)))
                    .singleElement()
                    .satisfies(entry -> assertThat(entry.newValue()).isEqualTo("2"));
        }
    }

    @Test
    void aShorterRetentionPrunesSooner() throws Exception {
        try (ConfigStore store =
                builder().clock(clock).auditRetention(Duration.ofDays(7)).build()) {
            store.settings(SCHEMA).set(LEVEL, ScopeId.guild(GUILD), 1);
            clock.advance(Duration.ofDays(7).plusMillis(1));

            assertThat(store.pruneHistory()).isEqualTo(1);
            assertThat(store.history(HistoryQuery.guild(GUILD))).isEmpty();
        }
    }

    @Test
    void theBuilderRefusesARetentionOrDefaultActorOutOfRange() throws Exception {
        assertThatThrownBy(() -> builder().auditRetention(Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("auditRetention must be between PT1H and 36525 days (100 years), got PT59M");
        assertThatThrownBy(() -> builder().defaultActor(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("actor must not be null or blank");
    }

    private static AuditEntry entry(
            Instant at,
            String actor,
            AuditEntry.Scope scope,
            String key,
            @Nullable String oldValue,
            @Nullable String newValue) {
        return new AuditEntry(at, actor, scope, GUILD, "", "", key, oldValue, newValue);
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the test's clock stays in UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
