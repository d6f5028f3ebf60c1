package dev.configstore.reliability;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.postgres.PostgresConfigStore;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker process of the failover runs, on the PostgreSQL server(s) at {@code
 * CONFIGSTORE_PG_URL} (a multi-host URL). Keys are time slots shared by every process of the
 * machine ({@link System#nanoTime()} divided by the slot length): a writer puts a new, unique
 * value into the current slot's key once per slot, so each key is written once and a value lost
 * in a failover stays lost; readers read keys of the recent slots, and a few slots ahead (which
 * caches their absence just before they are written). Both record every operation in their
 * history file, as {@link Worker} does.
 *
 * <p>A monitor thread appends a line {@code <nanoTime> <gaps> <errors>} to the feed file each time
 * the store's change feed counts a gap or an error, so that a run knows when each process dropped
 * its caches.
 *
 * <p>Arguments: role ({@code writer} or {@code reader}), schema, process name, threads, history
 * file, feed file, seed, slot length in milliseconds, slots read back, time-to-live in
 * milliseconds.
 */
public final class FailoverWorker {

    /** The namespace of {@code configstore_kv} every process works on. */
    static final String NAMESPACE = "failover";

    /** Slots ahead of the current one that readers also read. */
    static final int LOOKAHEAD = 4;

    private static final long MONITOR_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int MAX_READ_PAUSE_MICROS = 2_000;

    private FailoverWorker() {}

    /**
     * Runs a worker until a line {@code STOP} (or the end of its standard input).
     *
     * @param args see the class description
     * @throws Exception if the store cannot be opened or the history written
     */
    public static void main(String[] args) throws Exception {
        boolean writer = switch (args[0]) {
            case "writer" -> true;
            case "reader" -> false;
            default -> throw new IllegalArgumentException("role must be writer or reader, got " + args[0]);
        };
        String schema = args[1];
        String process = args[2];
        int threads = Integer.parseInt(args[3]);
        Path historyFile = Path.of(args[4]);
        Path feedFile = Path.of(args[5]);
        long seed = Long.parseLong(args[6]);
        long slotNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[7]));
        int window = Integer.parseInt(args[8]);
        Duration ttl = Duration.ofMillis(Long.parseLong(args[9]));

        try (HistoryLog history = HistoryLog.open(historyFile, process);
                FileOutputStream feed = new FileOutputStream(feedFile.toFile(), true);
                PostgresConfigStore store = PostgresConfigStore.builder(PostgresTarget.url())
                        .schema(schema)
                        .cache(cache -> cache.expireAfterWrite(ttl))
                        .build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore(NAMESPACE);
            List<StoppableLoop> loops = new ArrayList<>();
            for (int t = 0; t < (writer ? 1 : threads); t++) {
                loops.add(
                        writer
                                ? new WriterLoop(values, history, process, slotNanos)
                                : new ReaderLoop(
                                        values, history, t, new SplittableRandom(seed * 31 + t), slotNanos, window));
            }
            loops.add(new MonitorLoop(store, feed));
            StoppableLoop.runUntilStop(process, loops);
        }
        StoppableLoop.stopped();
    }

    /** The key of a slot. */
    static String key(long slot) {
        return "s" + slot;
    }

    /** Puts one new value into each slot's key, at the start of the slot. */
    private static final class WriterLoop extends StoppableLoop {
        private final CachedKeyValueStore<String, String> store;
        private final HistoryLog history;
        private final String process;
        private final long slotNanos;
        private long written;

        WriterLoop(CachedKeyValueStore<String, String> store, HistoryLog history, String process, long slotNanos) {
            this.store = store;
            this.history = history;
            this.process = process;
            this.slotNanos = slotNanos;
        }

        @Override
        public void run() {
            long last = Long.MIN_VALUE;
            while (!stop) {
                long slot = System.nanoTime() / slotNanos;
                if (slot != last) {
                    last = slot;
                    written++;
                    put(key(slot), process + "-" + written);
                }
                // Pacing: one write per slot, whenever the previous one returned.
                LockSupport.parkNanos((slot + 1) * slotNanos - System.nanoTime());
            }
        }

        private void put(String key, String value) {
            long start = System.nanoTime();
            long seq = history.invoke(0, Op.Kind.PUT, key, value, start);
            try {
                store.put(key, value);
                history.complete(seq, System.nanoTime(), Op.Outcome.OK, "");
            } catch (StoreException e) {
                Op.Outcome outcome =
                        e.reason() == StoreException.Reason.UNKNOWN ? Op.Outcome.UNKNOWN : Op.Outcome.FAILED;
                history.complete(seq, System.nanoTime(), outcome, e.reason() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                history.complete(seq, System.nanoTime(), Op.Outcome.UNKNOWN, "threw " + e);
            }
        }
    }

    /** Reads random keys of the recent slots and a few ahead. */
    private static final class ReaderLoop extends StoppableLoop {
        private final CachedKeyValueStore<String, String> store;
        private final HistoryLog history;
        private final int thread;
        private final SplittableRandom random;
        private final long slotNanos;
        private final int window;

        ReaderLoop(
                CachedKeyValueStore<String, String> store,
                HistoryLog history,
                int thread,
                SplittableRandom random,
                long slotNanos,
                int window) {
            this.store = store;
            this.history = history;
            this.thread = thread;
            this.random = random;
            this.slotNanos = slotNanos;
            this.window = window;
        }

        @Override
        public void run() {
            while (!stop) {
                long slot = System.nanoTime() / slotNanos + LOOKAHEAD - random.nextInt(window + LOOKAHEAD);
                String key = key(slot);
                long start = System.nanoTime();
                try {
                    Optional<String> value = store.get(key);
                    history.read(thread, key, start, System.nanoTime(), Op.Outcome.OK, value.orElse(null), "");
                } catch (StoreException e) {
                    history.read(
                            thread,
                            key,
                            start,
                            System.nanoTime(),
                            Op.Outcome.FAILED,
                            null,
                            e.reason() + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    history.read(thread, key, start, System.nanoTime(), Op.Outcome.FAILED, null, "threw " + e);
                }
                LockSupport.parkNanos(random.nextInt(MAX_READ_PAUSE_MICROS) * 1_000L);
            }
        }
    }

    /** Notes when the change feed's gaps and errors change. */
    private static final class MonitorLoop extends StoppableLoop {
        private final PostgresConfigStore store;
        private final FileOutputStream out;

        MonitorLoop(PostgresConfigStore store, FileOutputStream out) {
            this.store = store;
            this.out = out;
        }

        @Override
        public void run() {
            long gaps = 0;
            long errors = 0;
            while (!stop) {
                ChangeFeedStats stats = store.changeFeedStats();
                if (stats.gaps() != gaps || stats.errors() != errors) {
                    gaps = stats.gaps();
                    errors = stats.errors();
                    try {
                        out.write((System.nanoTime() + " " + gaps + " " + errors + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                // Sampling period of the monitor: how precisely a run knows when caches were dropped.
                LockSupport.parkNanos(MONITOR_NANOS);
            }
        }
    }
}
