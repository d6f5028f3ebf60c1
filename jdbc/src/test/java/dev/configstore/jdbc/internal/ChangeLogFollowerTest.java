package dev.configstore.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ChangeFeedStats;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeLogFollowerTest {

    private final List<String> calls = new ArrayList<>();
    private final ChangeLogFollower follower = new ChangeLogFollower("test", 10);

    private void listen(String table, String namespace) {
        follower.subscribe(table, namespace, new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                calls.add(table + "/" + namespace + ": " + key);
            }

            @Override
            public void allChanged() {
                calls.add(table + "/" + namespace + ": everything");
            }
        });
    }

    private static LoggedChange change(long sequence, String table, String namespace, String key, long version) {
        return new LoggedChange(sequence, table, namespace, key, version);
    }

    private void listenToEveryTable() {
        listen("guild_config", "");
        listen("configstore_settings", "");
        listen("configstore_kv", "a");
        listen("configstore_kv", "b");
    }

    private static LoggedChange clear(long sequence, String scope, String target) {
        return change(sequence, CacheClears.TABLE, scope, target + ":alice", 1_765_000_000_000_000L);
    }

    @Test
    void aGuildClearReachesTheGuildsCachesOnly() {
        listenToEveryTable();

        follower.apply(List.of(clear(11, "guild", "123")), 11);

        assertThat(calls).containsExactly("guild_config/: 123", "configstore_settings/: 123");
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(1, 0, 0, 0, 0, 0, 1));
    }

    @Test
    void aNamespaceClearReachesThatNamespaceOnly() {
        listenToEveryTable();

        follower.apply(List.of(clear(11, "namespace", "b")), 11);

        assertThat(calls).containsExactly("configstore_kv/b: everything");
        assertThat(follower.stats().cacheClears()).isEqualTo(1);
    }

    @Test
    void aClearOfEverythingOrOfAScopeNotKnownYetReachesEveryCacheWithoutCountingAGap() {
        listenToEveryTable();

        follower.apply(List.of(clear(11, "all", ""), clear(12, "shard", "3")), 12);

        assertThat(calls).hasSize(8).allSatisfy(call -> assertThat(call).endsWith(": everything"));
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(2, 0, 0, 0, 0, 0, 2));
    }

    @Test
    void aClearAskedHereIsCountedOnceAndItsEntrySkipped() {
        listenToEveryTable();
        CacheClears.Request request = CacheClears.Request.of(clear(0, "all", ""));

        follower.clearedHere(request);
        follower.apply(List.of(clear(11, "all", "")), 11);

        assertThat(calls).isEmpty();
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(1, 1, 0, 0, 0, 0, 1));
    }

    @Test
    void anEntryOfATableNobodyFollowsChangesNothing() {
        listenToEveryTable();

        follower.apply(List.of(change(11, "configstore_something_newer", "x", "y", 1)), 11);

        assertThat(calls).isEmpty();
        assertThat(follower.stats().gaps()).isZero();
    }

    @Test
    void eachChangeMadeElsewhereWithATimeIsTimedAfterItsListenersRanAndOwnOnesAreNot() {
        List<Long> delays = new ArrayList<>();
        follower.subscribe("kv", "a", new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                calls.add("listener " + key + ", delays so far " + delays.size());
            }

            @Override
            public void allChanged() {}
        });
        ChangeSubscription watching = follower.watchDelays(delays::add);
        follower.recordOwnChange("kv", "a", "mine", 7);
        long madeAt = System.nanoTime();

        // Out of order, as a server's log is read: renumbering keeps each entry's time.
        follower.applyInReadOrder(List.of(
                new LoggedChange(40, "kv", "a", "x", 1, madeAt),
                new LoggedChange(41, "kv", "a", "mine", 7, madeAt),
                new LoggedChange(39, "kv", "a", "untimed", 2)));
        long appliedBy = System.nanoTime();
        watching.cancel();
        follower.applyInReadOrder(List.of(new LoggedChange(50, "kv", "a", "y", 3, madeAt)));

        assertThat(calls).startsWith("listener x, delays so far 0").contains("listener untimed, delays so far 1");
        assertThat(delays).singleElement().satisfies(delay -> assertThat(delay).isBetween(0L, appliedBy - madeAt));
    }

    @Test
    void aListenerOfDelaysThatThrowsChangesNothingElse() {
        listen("kv", "a");
        follower.watchDelays(delay -> {
            throw new IllegalStateException("broken meter");
        });

        follower.apply(List.of(new LoggedChange(11, "kv", "a", "x", 1, System.nanoTime())), 11);

        assertThat(calls).containsExactly("kv/a: x");
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(1, 0, 1, 0, 0, 0));
    }

    @Test
    void reconnectionsAreCounted() {
        follower.reconnected();
        follower.reconnected();

        assertThat(follower.stats().reconnects()).isEqualTo(2);
    }

    @Test
    void anEntrysAgeBecomesItsTimeOnThisProcesssClock() {
        assertThat(LoggedChange.changedAt(1_000_000, 250)).isEqualTo(750_000);
        assertThat(LoggedChange.changedAt(1_000_000, -5))
                .as("a server clock ahead")
                .isEqualTo(1_000_000);
        assertThat(LoggedChange.changedAt(0, Long.MAX_VALUE)).as("no overflow").isNegative();
    }

    @Test
    void entriesInOrderReachTheListenersOfTheirTableAndNamespace() {
        listen("guild_config", "");
        listen("kv", "a");

        follower.apply(
                List.of(
                        change(11, "guild_config", "", "1", 5),
                        change(12, "kv", "a", "x", 6),
                        change(13, "kv", "b", "y", 7)),
                13);

        assertThat(calls).containsExactly("guild_config/: 1", "kv/a: x");
        assertThat(follower.lastSeen()).isEqualTo(13);
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(3, 0, 3, 0, 0));
    }

    @Test
    void entriesOfALogReadOutOfOrderAreAppliedInTheOrderReadWithoutAGap() {
        listen("kv", "a");
        follower.recordOwnChange("kv", "a", "mine", 7);

        // A server's log: numbers with holes, and the late commit of a lower number read last.
        follower.applyInReadOrder(List.of(change(40, "kv", "a", "x", 1), change(42, "kv", "a", "mine", 7)));
        follower.applyInReadOrder(List.of());
        follower.applyInReadOrder(List.of(change(35, "kv", "a", "late", 2)));

        assertThat(calls).containsExactly("kv/a: x", "kv/a: late");
        assertThat(follower.lastSeen()).as("numbered after the start, as read").isEqualTo(13);
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(3, 1, 2, 0, 0));
    }

    @Test
    void ownChangesAreSkippedButLaterOnesByOthersAreNot() {
        listen("guild_config", "");
        follower.recordOwnChange("guild_config", "", "1", 100);

        follower.apply(
                List.of(
                        change(11, "guild_config", "", "1", 100),
                        change(12, "guild_config", "", "1", 0),
                        change(13, "guild_config", "", "1", 101)),
                13);

        assertThat(calls).containsExactly("guild_config/: 1", "guild_config/: 1");
        assertThat(follower.stats().ownChangesSkipped()).isEqualTo(1);
    }

    @Test
    void onlyTheExactVersionWrittenIsOwnSoAnOtherWritersSmallVersionIsApplied() {
        listen("guild_config", "");
        follower.recordOwnChange("guild_config", "", "1", 1_700_000_000_000_000L);

        follower.apply(List.of(change(11, "guild_config", "", "1", 0), change(12, "guild_config", "", "1", 1)), 12);

        assertThat(calls).containsExactly("guild_config/: 1", "guild_config/: 1");
        assertThat(follower.stats().ownChangesSkipped()).isZero();
    }

    @Test
    void severalOwnWritesToOneRowBeforeTheLogIsReadAreEachSkipped() {
        listen("guild_config", "");
        follower.recordOwnChange("guild_config", "", "1", 100);
        follower.recordOwnChange("guild_config", "", "1", 101);
        follower.recordOwnChange("guild_config", "", "1", 102);

        follower.apply(
                List.of(
                        change(11, "guild_config", "", "1", 100),
                        change(12, "guild_config", "", "1", 101),
                        change(13, "guild_config", "", "1", 103),
                        change(14, "guild_config", "", "1", 102)),
                14);

        // 103 was someone else's; 102 after it is not skipped either: versions below an entry
        // read are forgotten, and applying it costs one extra read at most.
        assertThat(calls).containsExactly("guild_config/: 1", "guild_config/: 1");
        assertThat(follower.stats().ownChangesSkipped()).isEqualTo(2);
    }

    @Test
    void aHoleBeforeTheFirstEntryDropsEverything() {
        listen("guild_config", "");
        listen("kv", "a");

        follower.apply(List.of(change(15, "guild_config", "", "1", 5)), 15);

        assertThat(calls).containsExactlyInAnyOrder("guild_config/: everything", "kv/a: everything");
        assertThat(follower.lastSeen()).isEqualTo(15);
        assertThat(follower.stats().gaps()).isEqualTo(1);
    }

    @Test
    void entriesRemovedWhileNothingWasReadAreAHoleToo() {
        listen("guild_config", "");

        follower.apply(List.of(), 12);

        assertThat(calls).containsExactly("guild_config/: everything");
        assertThat(follower.lastSeen()).isEqualTo(12);
    }

    @Test
    void aHeadBelowWhatWasReadMeansTheLogWasReplaced() {
        listen("guild_config", "");

        follower.apply(List.of(), 4);

        assertThat(calls).containsExactly("guild_config/: everything");
        assertThat(follower.lastSeen()).isEqualTo(4);
    }

    @Test
    void aBackendThatMissedChangesDropsEverythingWithoutMovingItsPosition() {
        listen("guild_config", "");
        listen("kv", "a");
        follower.recordOwnChange("guild_config", "", "1", 100);

        follower.missedChanges("the log was emptied");
        follower.apply(List.of(change(11, "guild_config", "", "1", 100)), 11);

        assertThat(calls)
                .containsExactlyInAnyOrder("guild_config/: everything", "kv/a: everything", "guild_config/: 1");
        assertThat(follower.lastSeen()).isEqualTo(11);
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(1, 0, 1, 1, 0));
    }

    @Test
    void nothingNewIsNothingToDo() {
        listen("guild_config", "");

        follower.apply(List.of(), 10);

        assertThat(calls).isEmpty();
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(0, 0, 0, 0, 0));
    }

    @Test
    void aCancelledSubscriptionHearsNothing() {
        ChangeSubscription subscription = follower.subscribe("t", "", new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                calls.add(key);
            }

            @Override
            public void allChanged() {
                calls.add("everything");
            }
        });
        subscription.cancel();

        follower.apply(List.of(change(11, "t", "", "k", 1)), 11);

        assertThat(calls).isEmpty();
    }

    private void listenAndThrow(String table, String namespace) {
        follower.subscribe(table, namespace, new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void allChanged() {
                throw new IllegalStateException("a broken listener");
            }
        });
    }

    @Test
    void aListenerThatThrowsLeavesTheOthersEveryEntryOfTheBatch() {
        listenAndThrow("guild_config", "");
        listen("guild_config", "");

        follower.apply(List.of(change(11, "guild_config", "", "1", 5), change(12, "guild_config", "", "2", 6)), 12);

        assertThat(calls).containsExactly("guild_config/: 1", "guild_config/: 2");
        assertThat(follower.lastSeen()).isEqualTo(12);
        assertThat(follower.stats()).isEqualTo(new ChangeFeedStats(2, 0, 2, 0, 0));
    }

    @Test
    void aListenerThatThrowsOnAGapLeavesTheOthersToDropEverything() {
        listenAndThrow("guild_config", "");
        listen("guild_config", "");
        listenAndThrow("kv", "a");
        listen("kv", "a");

        follower.missedChanges("the log was emptied");

        assertThat(calls).containsExactlyInAnyOrder("guild_config/: everything", "kv/a: everything");
        assertThat(follower.stats().gaps()).isEqualTo(1);
    }

    @Test
    void aReaderThatStoppedIsCountedAsAnError() {
        follower.stopped(new OutOfMemoryError("test"));

        assertThat(follower.stats().errors()).isEqualTo(1);
    }

    @Test
    void failedReadsAreCounted() {
        follower.readFailed(new IllegalStateException("disk gone"));
        follower.readFailed(new IllegalStateException("disk gone"));

        assertThat(follower.stats().errors()).isEqualTo(2);
    }
}
