package dev.configstore.reliability;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: opens the database with configstore, prints {@code READY}, then runs threads
 * that each do random reads, puts and removes on a few keys of one namespace, recording every
 * operation in its history file, until a line {@code STOP} (or the end of its standard input);
 * then it closes the store and prints {@code STOPPED}. Every value it writes is unique: {@code
 * <process>-<thread>-<counter>}.
 *
 * <p>Arguments: database ({@code sqlite} or {@code postgres}), location (the file, or the schema
 * on the server at {@code CONFIGSTORE_PG_URL}), process name, threads, history file, seed, keys,
 * time-to-live in milliseconds.
 */
public final class Worker {

    /** The namespace of {@code configstore_kv} every process works on. */
    static final String NAMESPACE = "history";

    /** Percent of operations that are reads; of the rest, two thirds are puts, one third removes. */
    private static final int READ_PERCENT = 70;

    /** The longest pause between two operations of a thread, in microseconds. */
    private static final int MAX_PAUSE_MICROS = 3_000;

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private Worker() {}

    /**
     * Runs a worker.
     *
     * @param args see the class description
     * @throws Exception if the store cannot be opened or the history written
     */
    public static void main(String[] args) throws Exception {
        String database = args[0];
        String location = args[1];
        String process = args[2];
        int threads = Integer.parseInt(args[3]);
        Path historyFile = Path.of(args[4]);
        long seed = Long.parseLong(args[5]);
        List<String> keys = keys(Integer.parseInt(args[6]));
        Duration ttl = Duration.ofMillis(Long.parseLong(args[7]));

        try (HistoryLog history = HistoryLog.open(historyFile, process);
                OpenStore open = openStore(database, location, ttl)) {
            List<Loop> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                loops.add(new Loop(open.store, history, process, t, keys, new SplittableRandom(seed * 31 + t)));
            }
            StoppableLoop.runUntilStop(process, loops);
        }
        StoppableLoop.stopped();
    }

    /** The keys every process works on. */
    static List<String> keys(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("k" + i);
        }
        return keys;
    }

    private static OpenStore openStore(String database, String location, Duration ttl) {
        switch (database) {
            case "sqlite" -> {
                SqliteConfigStore store = SqliteConfigStore.builder(Path.of(location))
                        .cache(cache -> cache.expireAfterWrite(ttl))
                        .build();
                return new OpenStore(store::close, store.keyValueStore(NAMESPACE));
            }
            case "postgres" -> {
                PostgresConfigStore store = PostgresConfigStore.builder(PostgresTarget.url())
                        .schema(location)
                        .cache(cache -> cache.expireAfterWrite(ttl))
                        .build();
                return new OpenStore(store::close, store.keyValueStore(NAMESPACE));
            }
            default -> throw new IllegalArgumentException("database must be sqlite or postgres, got " + database);
        }
    }

    /** A store and the database handle that owns it. */
    private static final class OpenStore implements AutoCloseable {
        final Runnable owner;
        final CachedKeyValueStore<String, String> store;

        OpenStore(Runnable owner, CachedKeyValueStore<String, String> store) {
            this.owner = owner;
            this.store = store;
        }

        @Override
        public void close() {
            owner.run();
        }
    }

    /** One thread's random operations. */
    private static final class Loop extends StoppableLoop {
        private final CachedKeyValueStore<String, String> store;
        private final HistoryLog history;
        private final String process;
        private final int thread;
        private final List<String> keys;
        private final SplittableRandom random;
        private long written;

        Loop(
                CachedKeyValueStore<String, String> store,
                HistoryLog history,
                String process,
                int thread,
                List<String> keys,
                SplittableRandom random) {
            this.store = store;
            this.history = history;
            this.process = process;
            this.thread = thread;
            this.keys = keys;
            this.random = random;
        }

        @Override
        public void run() {
            while (!stop) {
                String key = keys.get(random.nextInt(keys.size()));
                int dice = random.nextInt(100);
                if (dice < READ_PERCENT) {
                    read(key);
                } else if (dice < READ_PERCENT + (100 - READ_PERCENT) * 2 / 3) {
                    written++;
                    write(key, process + "-" + thread + "-" + written);
                } else {
                    write(key, null);
                }
                LockSupport.parkNanos(random.nextInt(MAX_PAUSE_MICROS) * 1_000L);
            }
        }

        private void read(String key) {
            long start = System.nanoTime();
            try {
                Optional<String> value = store.get(key);
                history.read(thread, key, start, System.nanoTime(), Op.Outcome.OK, value.orElse(null), "");
            } catch (StoreException e) {
                history.read(thread, key, start, System.nanoTime(), Op.Outcome.FAILED, null, describe(e));
            } catch (RuntimeException e) {
                log.warn("{}: read of {} threw", process, key, e);
                history.read(thread, key, start, System.nanoTime(), Op.Outcome.FAILED, null, e.toString());
            }
        }

        private void write(String key, @Nullable String value) {
            long start = System.nanoTime();
            long seq = history.invoke(thread, value == null ? Op.Kind.REMOVE : Op.Kind.PUT, key, value, start);
            try {
                if (value == null) {
                    store.remove(key);
                } else {
                    store.put(key, value);
                }
                history.complete(seq, System.nanoTime(), Op.Outcome.OK, "");
            } catch (StoreException e) {
                Op.Outcome outcome =
                        e.reason() == StoreException.Reason.UNKNOWN ? Op.Outcome.UNKNOWN : Op.Outcome.FAILED;
                history.complete(seq, System.nanoTime(), outcome, describe(e));
            } catch (RuntimeException e) {
                // Not the store's documented way to fail: the outcome cannot be known.
                log.warn("{}: write of {} threw", process, key, e);
                history.complete(seq, System.nanoTime(), Op.Outcome.UNKNOWN, e.toString());
            }
        }

        private static String describe(StoreException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }
}
