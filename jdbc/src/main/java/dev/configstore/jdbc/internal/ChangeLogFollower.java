package dev.configstore.jdbc.internal;

import dev.configstore.ChangeFeedStats;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a change feed every backend shares: it takes entries read from a backend's change
 * log, in order, and turns them into {@link ChangeListener} calls for the stores that
 * subscribed to the table (and namespace) that changed.
 *
 * <p>It remembers the last sequence number it applied. Entries must arrive without holes: if
 * the next entry is not the next number, or the log's newest number went backwards (a replaced
 * or restored database), entries were lost, and every subscribed store is told that anything may
 * have changed. Changes this process made itself, recorded with {@link #recordOwnChange}, are
 * skipped: the store already dropped its entry when the write returned.
 *
 * <p>A listener that throws does not stop the others: the failure is logged and every other
 * listener still gets every change, so one faulty listener never leaves a cache stale.
 *
 * <p>A backend reads its log (by polling, or when notified) and calls {@link #apply} from one
 * thread at a time; the other methods may be called from any thread.
 */
public final class ChangeLogFollower {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.feed");
    private static final int MAX_REMEMBERED_OWN_CHANGES = 10_000;

    private record Target(String table, String namespace) {}

    private record Row(String table, String namespace, String key) {}

    private final String name;
    private final Map<Target, List<ChangeListener<String>>> listeners = new ConcurrentHashMap<>();
    /** Per row, the versions this process wrote whose log entries have not been read yet. */
    private final Map<Row, NavigableSet<Long>> ownChanges = new ConcurrentHashMap<>();

    private volatile long lastSeen;
    private final LongAdder changesRead = new LongAdder();
    private final LongAdder ownSkipped = new LongAdder();
    private final LongAdder externalApplied = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder cacheClears = new LongAdder();
    private final List<LongConsumer> delayListeners = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    /**
     * Creates a follower that starts after sequence {@code head}: changes up to it are not
     * applied (stores built afterwards start with empty caches).
     *
     * @param name the prefix of its log messages, such as the database file
     * @param head the newest sequence number in the log now, or {@code 0} if it is empty
     */
    public ChangeLogFollower(String name, long head) {
        this.name = Objects.requireNonNull(name, "name");
        this.lastSeen = head;
    }

    /**
     * Sends the changes of one table (and namespace) to a listener.
     *
     * @param table the table
     * @param namespace the namespace, or {@code ""}
     * @param listener called from the thread that calls {@link #apply}; if it throws, the failure
     *     is logged and the other listeners are still called
     * @return a handle that stops the calls
     */
    public ChangeSubscription subscribe(String table, String namespace, ChangeListener<String> listener) {
        List<ChangeListener<String>> forTarget =
                listeners.computeIfAbsent(new Target(table, namespace), target -> new CopyOnWriteArrayList<>());
        forTarget.add(listener);
        return () -> forTarget.remove(listener);
    }

    /**
     * Notes a change this process committed, so that its log entry is not applied a second time.
     *
     * @param table the table
     * @param namespace the namespace, or {@code ""}
     * @param key the key
     * @param version the version the change wrote
     */
    public void recordOwnChange(String table, String namespace, String key, long version) {
        if (ownChanges.size() >= MAX_REMEMBERED_OWN_CHANGES) {
            ownChanges.clear(); // at worst, a few own changes are applied twice
        }
        ownChanges.compute(new Row(table, namespace, key), (row, versions) -> {
            NavigableSet<Long> kept = versions == null ? new TreeSet<>() : versions;
            kept.add(version);
            return kept;
        });
    }

    /**
     * Returns the sequence number of the last entry applied: the next read starts after it.
     *
     * @return the last sequence number applied or skipped
     */
    public long lastSeen() {
        return lastSeen;
    }

    /**
     * Applies the entries read after {@link #lastSeen()}, in order.
     *
     * @param entries the entries with a sequence above {@link #lastSeen()}, in increasing order;
     *     may be only the first part of them
     * @param head the newest sequence number in the log, read before the entries, in the same
     *     snapshot
     */
    public void apply(List<LoggedChange> entries, long head) {
        long seen = lastSeen;
        if (head < seen) {
            gap("the change log's newest entry is " + head + ", below the " + seen
                    + " already read: the database was replaced or restored");
            lastSeen = head;
            return;
        }
        if (entries.isEmpty()) {
            if (head > seen) {
                gap("entries " + (seen + 1) + " to " + head
                        + " were removed from the change log before they were read");
                lastSeen = head;
            }
            return;
        }
        long first = entries.get(0).sequence();
        if (first != seen + 1) {
            gap("entries " + (seen + 1) + " to " + (first - 1)
                    + " were removed from the change log before they were read");
            lastSeen = Math.max(head, entries.get(entries.size() - 1).sequence());
            return;
        }
        for (LoggedChange entry : entries) {
            dispatch(entry);
            lastSeen = entry.sequence();
        }
        if (failing) {
            failing = false;
            log.info("{}: the change feed works again", name);
        }
    }

    /**
     * Applies entries of a log whose own numbers cannot be followed, because they have holes and
     * become visible out of order (a server's log, numbered before commit): the backend finds
     * its own way to read each entry once, and the entries are numbered in the order given.
     *
     * @param entries the entries newly read, in the order to apply them; their sequence numbers
     *     are ignored
     */
    public void applyInReadOrder(List<LoggedChange> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long base = lastSeen;
        List<LoggedChange> numbered = new ArrayList<>(entries.size());
        for (LoggedChange entry : entries) {
            numbered.add(new LoggedChange(
                    base + numbered.size() + 1,
                    entry.table(),
                    entry.namespace(),
                    entry.key(),
                    entry.version(),
                    entry.changedAtNanos()));
        }
        apply(numbered, base + numbered.size());
    }

    /**
     * Tells every subscribed store that anything may have changed: for a backend that finds out by
     * itself that changes were lost, for example because they were removed from its log before it
     * read them, or because a whole table was emptied. Counted as a gap; own changes recorded so
     * far are forgotten, and the position in the log stays where it is.
     *
     * @param why what was lost, for the log message
     */
    public void missedChanges(String why) {
        gap(Objects.requireNonNull(why, "why"));
    }

    /**
     * Counts a failed read of the log; the first of a series is logged at {@code warn}.
     *
     * @param failure what went wrong
     */
    public void readFailed(Exception failure) {
        errors.increment();
        if (!failing) {
            failing = true;
            log.warn(
                    "{}: reading the change log failed; changes made elsewhere are seen again once it works, and"
                            + " at the latest when cached values expire: {}",
                    name,
                    failure.toString());
        } else {
            log.debug("{}: reading the change log failed again: {}", name, failure.toString());
        }
    }

    /** Counts a connection the feed opened again after losing the one before. */
    public void reconnected() {
        reconnects.increment();
    }

    /**
     * Reports, for every change made elsewhere that is applied from now on and whose entry says
     * when it was made, how long after that its listeners were done with it: the time from the
     * change to the invalidation of the caches.
     *
     * @param listener called with the delay in nanoseconds, on the thread that calls {@link
     *     #apply}, after the change's listeners; if it throws, the failure is logged and nothing
     *     else changes
     * @return a handle that stops the calls
     */
    public ChangeSubscription watchDelays(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener");
        delayListeners.add(listener);
        return () -> delayListeners.remove(listener);
    }

    /**
     * Counts the end of a backend's reader that cannot go on (it met an {@link Error}), as one
     * error, and logs it at {@code error}: from now on, changes made elsewhere are seen only when
     * cached values expire.
     *
     * @param cause what stopped the reader
     */
    public void stopped(Throwable cause) {
        errors.increment();
        failing = true;
        log.error(
                "{}: the change feed stopped; changes made elsewhere are now seen only when cached values expire."
                        + " Restart the process to start it again",
                name,
                cause);
    }

    /**
     * Returns what the follower has done.
     *
     * @return a snapshot of its counters
     */
    public ChangeFeedStats stats() {
        return new ChangeFeedStats(
                changesRead.sum(),
                ownSkipped.sum(),
                externalApplied.sum(),
                gaps.sum(),
                errors.sum(),
                reconnects.sum(),
                cacheClears.sum());
    }

    private void dispatch(LoggedChange entry) {
        changesRead.increment();
        Row row = new Row(entry.table(), entry.namespace(), entry.key());
        boolean[] own = {false};
        // Only an entry of exactly a version this process wrote is its own. Anything else is
        // applied, even an older version: a writer outside configstore may reuse small versions
        // (a plain INSERT takes the column's default), and an extra invalidation costs one read.
        // Versions below the entry's belong to entries already read, so they are forgotten.
        ownChanges.computeIfPresent(row, (key, versions) -> {
            own[0] = versions.remove(entry.version());
            versions.headSet(entry.version()).clear();
            return versions.isEmpty() ? null : versions;
        });
        if (own[0]) {
            ownSkipped.increment();
            return;
        }
        if (entry.table().equals(CacheClears.TABLE)) {
            applyClear(CacheClears.Request.of(entry));
            return;
        }
        List<ChangeListener<String>> targets = listeners.get(new Target(entry.table(), entry.namespace()));
        if (targets != null) {
            for (ChangeListener<String> listener : targets) {
                try {
                    listener.keyChanged(entry.key());
                } catch (RuntimeException e) {
                    listenerFailed(listener, "key " + entry.key() + " of " + entry.table(), e);
                }
            }
        }
        externalApplied.increment();
        if (entry.changedAtNanos() != LoggedChange.UNKNOWN_TIME && !delayListeners.isEmpty()) {
            long delay = Math.max(0, System.nanoTime() - entry.changedAtNanos());
            for (LongConsumer listener : delayListeners) {
                try {
                    listener.accept(delay);
                } catch (RuntimeException e) {
                    log.warn("{}: change-delay listener {} threw; the feed goes on", name, listener, e);
                }
            }
        }
    }

    /**
     * Notes a cache clear this process asked for and already applied to its caches: it is
     * counted and logged now, and its log entry is skipped when it is read.
     *
     * @param request the clear, as its entry records it
     */
    public void clearedHere(CacheClears.Request request) {
        recordOwnChange(CacheClears.TABLE, request.scope(), request.key(), request.askedAtMicros());
        cacheClears.increment();
        CacheClears.logApplied(name, request);
    }

    /** Drops what a clear asked elsewhere covers, from every subscribed cache and listener. */
    private void applyClear(CacheClears.Request request) {
        switch (request.scope()) {
            case CacheClears.Request.GUILD -> {
                for (String table : List.of(JdbcGuildSettingsBackend.TABLE, JdbcSettingsBackend.TABLE)) {
                    for (ChangeListener<String> listener : listeners.getOrDefault(new Target(table, ""), List.of())) {
                        try {
                            listener.keyChanged(request.target());
                        } catch (RuntimeException e) {
                            listenerFailed(listener, "a cache clear of " + request.what(), e);
                        }
                    }
                }
            }
            case CacheClears.Request.NAMESPACE ->
                allChanged(listeners.getOrDefault(new Target(JdbcKeyValueBackend.TABLE, request.target()), List.of()));
            default -> listeners.values().forEach(this::allChanged);
        }
        cacheClears.increment();
        CacheClears.logApplied(name, request);
    }

    private void allChanged(List<ChangeListener<String>> targets) {
        for (ChangeListener<String> listener : targets) {
            try {
                listener.allChanged();
            } catch (RuntimeException e) {
                listenerFailed(listener, "a change of every key", e);
            }
        }
    }

    private void gap(String why) {
        gaps.increment();
        ownChanges.clear();
        log.info("{}: {}; dropping every cached value", name, why);
        listeners.values().forEach(this::allChanged);
    }

    private void listenerFailed(ChangeListener<String> listener, String change, RuntimeException e) {
        log.warn(
                "{}: change listener {} threw on {}; the other listeners still get it. Fix the listener: it"
                        + " misses this change",
                name,
                listener,
                change,
                e);
    }
}
