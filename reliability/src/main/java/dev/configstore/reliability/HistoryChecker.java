package dev.configstore.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a merged history, key by key, against what the store promises. Every decision uses only
 * what the history proves: a write {@code a} is definitely older than a write {@code b} when
 * {@code a} returned before {@code b} was called ({@code a.end < b.start}); writes that overlap
 * are concurrent, and a write whose outcome is unknown is concurrent with everything after its
 * start. A remove writes "absent", which every remove and the initial state share, so a read of
 * "absent" is judged by the most recent of them it may have seen.
 *
 * <ol>
 *   <li>No read returns a value never written, the value of a failed write, or a value whose write
 *       began after the read returned.
 *   <li>No stale read: a read {@code r} of write {@code w}'s value is a violation if an
 *       acknowledged write {@code w2} of the key is definitely newer than {@code w} and had
 *       returned more than the bound before {@code r} began: bound 0 when {@code w2} and {@code r}
 *       are in one process (read-your-writes), the database's cross-process bound otherwise, never
 *       more than the time-to-live.
 *   <li>Monotonic reads: within a process, a read that begins after another read returned never
 *       returns a value definitely older than the one that read returned.
 *   <li>No acknowledged write lost: once every process stopped, the value a fresh connection reads
 *       is not definitely older than any acknowledged write.
 * </ol>
 *
 * <p>It also measures, for each acknowledged write that another process read, the time from the
 * write's start to the end of the first read by another process that began after it and returned
 * its value; and the largest staleness of any read: how long before it began a definitely newer
 * acknowledged write had returned.
 */
final class HistoryChecker {

    /** The process name of the final reads. */
    static final String FINAL = "final";

    private HistoryChecker() {}

    /**
     * Checks a history.
     *
     * @param ops every operation of the run, of every process
     * @param finalValues each key's value as a fresh connection read it after every process stopped
     * @param finalRead when those final reads began
     * @param crossProcessBoundNanos how long after a write returned another process may still read
     *     what it replaced
     * @param ttlNanos the stores' time-to-live, the bound that holds whatever happens
     */
    static CheckResult check(
            List<Op> ops,
            Map<String, Optional<String>> finalValues,
            long finalRead,
            long crossProcessBoundNanos,
            long ttlNanos) {
        long bound = Math.min(crossProcessBoundNanos, ttlNanos);
        Map<String, List<Op>> byKey = new LinkedHashMap<>();
        for (Op op : ops) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (String key : finalValues.keySet()) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>());
        }
        CheckResult.Builder result = new CheckResult.Builder(ops);
        for (Map.Entry<String, List<Op>> entry : byKey.entrySet()) {
            new KeyCheck(entry.getKey(), entry.getValue(), bound, result).run(finalValues, finalRead);
        }
        return result.build();
    }

    /** The checks of one key. */
    private static final class KeyCheck {
        private final String key;
        private final List<Op> reads = new ArrayList<>();
        private final Map<String, Op> byValue = new HashMap<>();
        private final EndIndex acknowledgedByEnd;
        private final Map<String, EndIndex> acknowledgedByEndPerProcess = new HashMap<>();
        private final StartIndex acknowledgedByStart;
        private final RemoveIndex removes;
        private final long bound;
        private final CheckResult.Builder result;
        private final IdentityHashMap<Op, Source> sources = new IdentityHashMap<>();

        KeyCheck(String key, List<Op> ops, long bound, CheckResult.Builder result) {
            this.key = key;
            this.bound = bound;
            this.result = result;
            List<Op> acknowledged = new ArrayList<>();
            List<Op> possibleRemoves = new ArrayList<>();
            Map<String, List<Op>> acknowledgedPerProcess = new HashMap<>();
            for (Op op : ops) {
                if (!op.isWrite()) {
                    if (op.outcome() == Op.Outcome.OK) {
                        reads.add(op);
                    }
                    continue;
                }
                String value = op.value();
                if (value != null && byValue.put(value, op) != null) {
                    throw new IllegalStateException("the workload wrote " + value + " twice to key " + key);
                }
                if (op.acknowledged()) {
                    acknowledged.add(op);
                    acknowledgedPerProcess
                            .computeIfAbsent(op.process(), p -> new ArrayList<>())
                            .add(op);
                }
                if (op.kind() == Op.Kind.REMOVE && op.outcome() != Op.Outcome.FAILED) {
                    possibleRemoves.add(op);
                }
            }
            acknowledgedByEnd = new EndIndex(acknowledged);
            acknowledgedPerProcess.forEach(
                    (process, list) -> acknowledgedByEndPerProcess.put(process, new EndIndex(list)));
            acknowledgedByStart = new StartIndex(acknowledged);
            removes = new RemoveIndex(possibleRemoves);
        }

        void run(Map<String, Optional<String>> finalValues, long finalRead) {
            Map<Op, Op> firstForeignRead = new HashMap<>();
            for (Op read : reads) {
                Source source = source(read);
                if (source == null) {
                    continue;
                }
                sources.put(read, source);
                checkStaleness(read, source);
                Op write = source.write;
                if (read.value() != null
                        && write != null
                        && write.acknowledged()
                        && !read.process().equals(write.process())
                        && read.start() > write.start()) {
                    firstForeignRead.merge(write, read, (a, b) -> a.start() <= b.start() ? a : b);
                }
            }
            firstForeignRead.forEach((write, read) -> result.delay(read.end() - write.start()));
            checkMonotonicReads();
            if (finalValues.containsKey(key)) {
                checkFinal(finalValues.getOrDefault(key, Optional.empty()).orElse(null), finalRead);
            }
        }

        /**
         * The write a read may have returned the value of, or null (and a violation) if none. For
         * "absent": the remove (or the initial state) that ended last among those begun before the
         * read returned.
         */
        private @Nullable Source source(Op read) {
            String value = read.value();
            if (value == null) {
                Op remove = removes.latestEndingStartedBefore(read.end());
                return new Source(remove, remove == null ? Long.MIN_VALUE : remove.end());
            }
            Op write = byValue.get(value);
            if (write == null) {
                result.violation(new Violation(
                        Violation.Rule.NEVER_WRITTEN,
                        "key " + key + ": the read returned a value no write in the history wrote",
                        List.of(read)));
                return null;
            }
            if (write.outcome() == Op.Outcome.FAILED) {
                result.violation(new Violation(
                        Violation.Rule.FAILED_WRITE_OBSERVED,
                        "key " + key + ": the read returned the value of a write that failed",
                        List.of(read, write)));
                return null;
            }
            if (write.start() > read.end()) {
                result.violation(new Violation(
                        Violation.Rule.READ_BEFORE_WRITE,
                        "key " + key + ": the read returned a value whose write began after the read returned",
                        List.of(read, write)));
                return null;
            }
            return new Source(write, write.end());
        }

        private void checkStaleness(Op read, Source source) {
            Op newer = newestAllowedWrite(read);
            if (newer != null && newer.start() > source.end) {
                List<Op> involved = new ArrayList<>();
                involved.add(read);
                if (source.write != null) {
                    involved.add(source.write);
                }
                involved.add(newer);
                boolean sameProcess = newer.process().equals(read.process());
                result.violation(new Violation(
                        Violation.Rule.STALE_READ,
                        "key " + key + ": the read began " + millis(read.start() - newer.end())
                                + " after a definitely newer acknowledged write "
                                + (sameProcess ? "of its own process" : "of another process")
                                + " returned (bound " + millis(sameProcess ? 0 : bound) + "), and returned "
                                + (source.write == null ? "the initial absence" : "an older value"),
                        involved));
            }
            Op replacement = acknowledgedByStart.earliestEndingStartedAfter(source.end);
            if (replacement != null && replacement.end() < read.start()) {
                result.staleness(read.start() - replacement.end(), read);
            }
        }

        /**
         * Of the acknowledged writes a read must not miss (ended more than the bound before it began,
         * or before it began if of its own process), the one that began last.
         */
        private @Nullable Op newestAllowedWrite(Op read) {
            Op anyProcess = acknowledgedByEnd.latestStartingEndedBefore(saturatedMinus(read.start(), bound));
            EndIndex own = acknowledgedByEndPerProcess.get(read.process());
            Op ownProcess = own == null ? null : own.latestStartingEndedBefore(read.start());
            if (anyProcess == null) {
                return ownProcess;
            }
            if (ownProcess == null) {
                return anyProcess;
            }
            return ownProcess.start() > anyProcess.start() ? ownProcess : anyProcess;
        }

        private void checkMonotonicReads() {
            Map<String, List<Op>> perProcess = new HashMap<>();
            for (Op read : reads) {
                if (sources.containsKey(read)) {
                    perProcess
                            .computeIfAbsent(read.process(), p -> new ArrayList<>())
                            .add(read);
                }
            }
            for (List<Op> processReads : perProcess.values()) {
                processReads.sort(Comparator.comparingLong(Op::end));
                long[] ends = new long[processReads.size()];
                Op[] newestSoFar = new Op[processReads.size()];
                Op best = null;
                for (int i = 0; i < processReads.size(); i++) {
                    Op read = processReads.get(i);
                    ends[i] = read.end();
                    if (best == null || lower(read) > lower(best)) {
                        best = read;
                    }
                    newestSoFar[i] = best;
                }
                for (Op later : processReads) {
                    int before = countBelow(ends, later.start());
                    if (before == 0) {
                        continue;
                    }
                    Op earlier = newestSoFar[before - 1];
                    if (upper(later) < lower(earlier)) {
                        Source earlierSource = sources.get(earlier);
                        Source laterSource = sources.get(later);
                        List<Op> involved = new ArrayList<>(List.of(later, earlier));
                        if (laterSource != null && laterSource.write != null) {
                            involved.add(laterSource.write);
                        }
                        if (earlierSource != null && earlierSource.write != null) {
                            involved.add(earlierSource.write);
                        }
                        result.violation(new Violation(
                                Violation.Rule.NON_MONOTONIC_READ,
                                "key " + key + ": a read returned a value definitely older than one an earlier read"
                                        + " of the same process returned",
                                involved));
                    }
                }
            }
        }

        /** When the write a read returned ended: the latest that read's value can be from. */
        private long upper(Op read) {
            Source source = sources.get(read);
            return source == null ? Long.MAX_VALUE : source.end;
        }

        /** The start of the write a read returned: nothing it reads later may be definitely older. */
        private long lower(Op read) {
            Source source = sources.get(read);
            return read.value() == null || source == null || source.write == null
                    ? Long.MIN_VALUE
                    : source.write.start();
        }

        private void checkFinal(@Nullable String value, long finalRead) {
            Op read = new Op(FINAL, 0, Op.Kind.GET, key, value, finalRead, finalRead, Op.Outcome.OK, "");
            Source source = source(read);
            if (source == null) {
                return;
            }
            Op newest = acknowledgedByEnd.latestStartingEndedBefore(finalRead);
            if (newest == null || newest.start() <= source.end) {
                return;
            }
            List<Op> lost = acknowledgedByStart.startedAfter(source.end);
            result.lostWrites(lost.size());
            List<Op> involved = new ArrayList<>();
            involved.add(read);
            if (source.write != null) {
                involved.add(source.write);
            }
            involved.addAll(lost);
            result.violation(new Violation(
                    Violation.Rule.ACKNOWLEDGED_WRITE_LOST,
                    "key " + key + ": after every process stopped the database held "
                            + (source.write == null ? "the initial absence" : "a value")
                            + " older than " + lost.size() + " acknowledged write(s)",
                    involved));
        }
    }

    /** The write a read's value came from (null: the initial state), and when it ended. */
    private record Source(@Nullable Op write, long end) {}

    /** Writes sorted by end, to find the one that began last among those ended before a time. */
    private static final class EndIndex {
        private final long[] ends;
        private final Op[] latestStart;

        EndIndex(List<Op> writes) {
            List<Op> sorted = new ArrayList<>(writes);
            sorted.sort(Comparator.comparingLong(Op::end));
            ends = new long[sorted.size()];
            latestStart = new Op[sorted.size()];
            Op best = null;
            for (int i = 0; i < sorted.size(); i++) {
                Op op = sorted.get(i);
                ends[i] = op.end();
                if (best == null || op.start() > best.start()) {
                    best = op;
                }
                latestStart[i] = best;
            }
        }

        @Nullable
        Op latestStartingEndedBefore(long time) {
            int count = countBelow(ends, time);
            return count == 0 ? null : latestStart[count - 1];
        }
    }

    /** Writes sorted by start, to find the one that ended first among those begun after a time. */
    private static final class StartIndex {
        private final long[] starts;
        private final Op[] sorted;
        private final Op[] earliestEnd;

        StartIndex(List<Op> writes) {
            sorted = writes.toArray(new Op[0]);
            Arrays.sort(sorted, Comparator.comparingLong(Op::start));
            starts = new long[sorted.length];
            earliestEnd = new Op[sorted.length];
            Op best = null;
            for (int i = sorted.length - 1; i >= 0; i--) {
                starts[i] = sorted[i].start();
                if (best == null || sorted[i].end() < best.end()) {
                    best = sorted[i];
                }
                earliestEnd[i] = best;
            }
        }

        @Nullable
        Op earliestEndingStartedAfter(long time) {
            int first = countAtOrBelow(starts, time);
            return first == sorted.length ? null : earliestEnd[first];
        }

        List<Op> startedAfter(long time) {
            int first = countAtOrBelow(starts, time);
            return List.of(Arrays.copyOfRange(sorted, first, sorted.length));
        }
    }

    /** Removes sorted by start, to find the one that ended last among those begun before a time. */
    private static final class RemoveIndex {
        private final long[] starts;
        private final Op[] latestEnd;

        RemoveIndex(List<Op> removes) {
            Op[] sorted = removes.toArray(new Op[0]);
            Arrays.sort(sorted, Comparator.comparingLong(Op::start));
            starts = new long[sorted.length];
            latestEnd = new Op[sorted.length];
            Op best = null;
            for (int i = 0; i < sorted.length; i++) {
                starts[i] = sorted[i].start();
                if (best == null || sorted[i].end() > best.end()) {
                    best = sorted[i];
                }
                latestEnd[i] = best;
            }
        }

        @Nullable
        Op latestEndingStartedBefore(long time) {
            int count = countBelow(starts, time);
            return count == 0 ? null : latestEnd[count - 1];
        }
    }

    /** How many of the sorted values are below {@code limit}. */
    static int countBelow(long[] sorted, long limit) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < limit) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** How many of the sorted values are at or below {@code limit}. */
    static int countAtOrBelow(long[] sorted, long limit) {
        return limit == Long.MAX_VALUE ? sorted.length : countBelow(sorted, limit + 1);
    }

    static long saturatedMinus(long time, long amount) {
        long result = time - amount;
        return result > time ? Long.MIN_VALUE : result;
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
