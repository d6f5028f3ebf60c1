package dev.configstore.reliability;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the checker found in a history: the violations, and the figures of the run.
 *
 * @param violations every violation found
 * @param reads reads that returned
 * @param failedReads reads that threw
 * @param writes writes by outcome
 * @param acknowledgedWritesLost acknowledged writes missing from the database at the end
 * @param delays for each acknowledged write another process read: nanoseconds from its start to
 *     the end of the first read by another process that began after it and returned it, sorted
 * @param maxStalenessNanos the largest time by which a read began after a definitely newer
 *     acknowledged write had returned (0 if none)
 * @param stalestRead the read with that staleness, or null
 */
record CheckResult(
        List<Violation> violations,
        long reads,
        long failedReads,
        Map<Op.Outcome, Long> writes,
        long acknowledgedWritesLost,
        List<Long> delays,
        long maxStalenessNanos,
        @Nullable Op stalestRead) {

    long operations() {
        return reads
                + failedReads
                + writes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The delay at a percentile (nearest rank), in nanoseconds, or -1 with no delay measured. */
    long delayPercentile(double percentile) {
        if (delays.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * delays.size());
        return delays.get(Math.max(0, Math.min(delays.size() - 1, rank - 1)));
    }

    /** Collects a result as the checker goes. */
    static final class Builder {
        private final List<Violation> violations = new ArrayList<>();
        private final List<Long> delays = new ArrayList<>();
        private long reads;
        private long failedReads;
        private final Map<Op.Outcome, Long> writes = new EnumMap<>(Op.Outcome.class);
        private long lost;
        private long maxStaleness;
        private @Nullable Op stalestRead;

        Builder(List<Op> ops) {
            for (Op.Outcome outcome : Op.Outcome.values()) {
                writes.put(outcome, 0L);
            }
            for (Op op : ops) {
                if (op.isWrite()) {
                    writes.merge(op.outcome(), 1L, Long::sum);
                } else if (op.outcome() == Op.Outcome.OK) {
                    reads++;
                } else {
                    failedReads++;
                }
            }
        }

        void violation(Violation violation) {
            violations.add(violation);
        }

        void delay(long nanos) {
            delays.add(nanos);
        }

        void staleness(long nanos, Op read) {
            if (nanos > maxStaleness) {
                maxStaleness = nanos;
                stalestRead = read;
            }
        }

        void lostWrites(long count) {
            lost += count;
        }

        CheckResult build() {
            List<Long> sorted = new ArrayList<>(delays);
            sorted.sort(null);
            return new CheckResult(
                    List.copyOf(violations),
                    reads,
                    failedReads,
                    Map.copyOf(writes),
                    lost,
                    List.copyOf(sorted),
                    maxStaleness,
                    stalestRead);
        }
    }
}
