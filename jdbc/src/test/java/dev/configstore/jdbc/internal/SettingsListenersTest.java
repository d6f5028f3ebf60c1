package dev.configstore.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingChange;
import dev.configstore.settings.SettingSubscription;
import dev.configstore.settings.SettingsSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listeners' dispatcher over stored rows held in memory: each change delivered once however
 * many notifications name it, changes between two reads delivered as one, a gap re-reading every
 * listened setting, rows configstore could not have written left out, invalid texts given as
 * absent values, failed reads tried again, and nothing after close.
 */
class SettingsListenersTest {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";
    private static final long TIMEOUT_SECONDS = 30;

    private static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();
    private static final Setting<String> TAG =
            Setting.text("tag").scopes(Scope.GUILD).build();

    /** The stored rows, by scope, guild, channel and key, changed by the tests. */
    private final Map<List<String>, String> table = new ConcurrentHashMap<>();

    private final AtomicBoolean failing = new AtomicBoolean();
    private final CountDownLatch failedRead = new CountDownLatch(1);

    private final SettingsListeners listeners = new SettingsListeners(
            SettingsSchema.of(Map.of(), LEVEL, TAG),
            new SettingsListeners.StoredRows() {
                @Override
                public List<JdbcSettingsBackend.StoredRow> ofGuild(String guildId) {
                    return rows(row -> row.guildId().equals(guildId));
                }

                @Override
                public List<JdbcSettingsBackend.StoredRow> ofKey(String key) {
                    return rows(row -> row.key().equals(key));
                }
            },
            "test");

    private List<JdbcSettingsBackend.StoredRow> rows(
            java.util.function.Predicate<JdbcSettingsBackend.StoredRow> which) {
        if (failing.get()) {
            failedRead.countDown();
            throw new StoreException(
                    StoreException.Reason.UNAVAILABLE,
                    "the test's database is down",
                    new java.sql.SQLException("down"));
        }
        List<JdbcSettingsBackend.StoredRow> rows = new ArrayList<>();
        table.forEach((place, text) -> {
            JdbcSettingsBackend.StoredRow row =
                    new JdbcSettingsBackend.StoredRow(place.get(0), place.get(1), place.get(2), place.get(3), text);
            if (which.test(row)) {
                rows.add(row);
            }
        });
        return rows;
    }

    private void store(String scope, String guild, String channel, String key, @Nullable String text) {
        if (text == null) {
            table.remove(List.of(scope, guild, channel, key));
        } else {
            table.put(List.of(scope, guild, channel, key), text);
        }
    }

    @AfterEach
    void close() {
        listeners.close();
    }

    /** What a listener was told, in order. */
    private static final class Recorded<T> {
        final BlockingQueue<SettingChange<T>> changes = new LinkedBlockingQueue<>();

        void add(SettingChange<T> change) {
            changes.add(change);
        }

        SettingChange<T> next() throws InterruptedException {
            SettingChange<T> change = changes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (change == null) {
                throw new AssertionError("no change was delivered in " + TIMEOUT_SECONDS + " s");
            }
            return change;
        }
    }

    private static SettingChange<Integer> level(ScopeId where, @Nullable String before, @Nullable String after) {
        return new SettingChange<>(
                LEVEL,
                where,
                Optional.ofNullable(before).map(Integer::valueOf),
                Optional.ofNullable(after).map(Integer::valueOf),
                Optional.ofNullable(before),
                Optional.ofNullable(after));
    }

    @Test
    void aChangeIsDeliveredOnceHoweverManyNotificationsNameIt() throws Exception {
        store("guild", GUILD, "", "level", "10");
        Recorded<Integer> recorded = new Recorded<>();
        listeners.add(LEVEL, recorded::add);

        store("guild", GUILD, "", "level", "20");
        listeners.changed(GUILD);
        listeners.changed(GUILD);
        listeners.allChanged();
        store("channel", GUILD, CHANNEL, "level", "30");
        listeners.changed(GUILD);

        assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), "10", "20"));
        assertThat(recorded.next()).isEqualTo(level(ScopeId.channel(GUILD, CHANNEL), null, "30"));
    }

    @Test
    void changesBetweenTwoReadsAreDeliveredAsOneFromTheOldestToTheNewest() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        listeners.add(TAG, change -> {
            held.countDown();
            await(release);
        });
        Recorded<Integer> recorded = new Recorded<>();
        listeners.add(LEVEL, recorded::add);

        store("guild", GUILD, "", "tag", "x");
        listeners.changed(GUILD);
        await(held);
        // The listener thread is busy: these three changes are read together.
        store("global", "", "", "level", "1");
        listeners.changed("");
        store("global", "", "", "level", "2");
        listeners.changed("");
        store("guild", OTHER_GUILD, "", "level", "5");
        store("guild", OTHER_GUILD, "", "level", null);
        listeners.changed(OTHER_GUILD);
        store("global", "", "", "level", "3");
        listeners.changed("");
        release.countDown();

        assertThat(recorded.next()).isEqualTo(level(ScopeId.global(), null, "3"));
        store("global", "", "", "level", "4");
        listeners.changed("");
        assertThat(recorded.next())
                .as("the changes that ended where they began, and the later notifications, gave nothing")
                .isEqualTo(level(ScopeId.global(), "3", "4"));
    }

    @Test
    void aGapReadsEveryListenedSettingAgain() throws Exception {
        store("guild", GUILD, "", "level", "10");
        Recorded<Integer> levels = new Recorded<>();
        Recorded<String> tags = new Recorded<>();
        listeners.add(LEVEL, levels::add);
        listeners.add(TAG, tags::add);

        store("guild", GUILD, "", "level", null);
        store("channel", OTHER_GUILD, CHANNEL, "level", "7");
        store("guild", OTHER_GUILD, "", "tag", "t");
        listeners.allChanged();

        List<SettingChange<Integer>> got = List.of(levels.next(), levels.next());
        assertThat(got)
                .containsExactlyInAnyOrder(
                        level(ScopeId.guild(GUILD), "10", null),
                        level(ScopeId.channel(OTHER_GUILD, CHANNEL), null, "7"));
        assertThat(tags.next().newValue()).contains("t");
    }

    @Test
    void anInvalidTextIsAnAbsentValueWithItsTextAndRowsConfigstoreCouldNotWriteAreLeftOut() throws Exception {
        Recorded<Integer> recorded = new Recorded<>();
        listeners.add(LEVEL, recorded::add);
        Recorded<String> tags = new Recorded<>();
        listeners.add(TAG, tags::add);

        store("channel", GUILD, "not a channel", "level", "5");
        store("galaxy", GUILD, "", "level", "5");
        store("guild", GUILD, "", "unknown", "5");
        store("channel", GUILD, CHANNEL, "tag", "at a scope tag does not allow");
        store("guild", GUILD, "", "level", "101");
        listeners.changed(GUILD);

        assertThat(tags.next())
                .isEqualTo(new SettingChange<>(
                        TAG,
                        ScopeId.channel(GUILD, CHANNEL),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("at a scope tag does not allow")));
        assertThat(recorded.next())
                .isEqualTo(new SettingChange<>(
                        LEVEL,
                        ScopeId.guild(GUILD),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("101")));
        store("guild", GUILD, "", "level", "50");
        listeners.changed(GUILD);
        assertThat(recorded.next())
                .isEqualTo(new SettingChange<>(
                        LEVEL,
                        ScopeId.guild(GUILD),
                        Optional.empty(),
                        Optional.of(50),
                        Optional.of("101"),
                        Optional.of("50")));
    }

    @Test
    void aReadThatFailsIsTriedAgainUntilItSucceeds() throws Exception {
        Recorded<Integer> recorded = new Recorded<>();
        listeners.add(LEVEL, recorded::add);

        failing.set(true);
        store("guild", GUILD, "", "level", "10");
        listeners.changed(GUILD);
        await(failedRead);
        failing.set(false);

        // Delivered by the retry, about a second later, with no other notification.
        assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), null, "10"));
    }

    @Test
    void aRegistrationWhoseFirstReadFailsRegistersNothing() throws Exception {
        failing.set(true);
        assertThatThrownBy(() -> listeners.add(LEVEL, change -> {})).isInstanceOf(StoreException.class);
        failing.set(false);

        store("guild", GUILD, "", "level", "10");
        Recorded<Integer> recorded = new Recorded<>();
        listeners.add(LEVEL, recorded::add);
        store("guild", GUILD, "", "level", "11");
        listeners.changed(GUILD);
        assertThat(recorded.next()).isEqualTo(level(ScopeId.guild(GUILD), "10", "11"));
    }

    @Test
    void nothingIsDeliveredAfterCloseAndNoListenerIsAdded() throws Exception {
        Recorded<Integer> recorded = new Recorded<>();
        SettingSubscription subscription = listeners.add(LEVEL, recorded::add);
        assertThat(subscription.toString()).contains("level");

        listeners.close();
        store("guild", GUILD, "", "level", "10");
        listeners.changed(GUILD);
        listeners.allChanged();
        assertThatThrownBy(() -> listeners.add(LEVEL, change -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        subscription.close();
        assertThat(recorded.changes).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("waited " + TIMEOUT_SECONDS + " s for a latch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
