package dev.configstore;

import java.util.concurrent.atomic.LongAdder;

/** The store's counters; {@link LongAdder}s so that counting a hit takes no lock. */
final class StatsCounter {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writeFailures = new LongAdder();
    final LongAdder staleInstallsRefused = new LongAdder();
    final LongAdder staleServes = new LongAdder();
    final LongAdder externalChangesApplied = new LongAdder();
    final LongAdder externalFullInvalidations = new LongAdder();

    StoreStats snapshot() {
        return new StoreStats(
                hits.sum(),
                misses.sum(),
                loads.sum(),
                loadFailures.sum(),
                invalidations.sum(),
                writes.sum(),
                writeFailures.sum(),
                staleInstallsRefused.sum(),
                staleServes.sum(),
                externalChangesApplied.sum(),
                externalFullInvalidations.sum());
    }
}
