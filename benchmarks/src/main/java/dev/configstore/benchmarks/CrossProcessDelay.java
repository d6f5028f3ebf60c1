package dev.configstore.benchmarks;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.mysql.MariaDbConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a write made by one process takes to be read by others, on PostgreSQL (or, with
 * {@code -Ddelay.database=mariadb}, MariaDB): one writer process and two reader processes, each a
 * {@link PostgresConfigStore} on the same schema (a {@link MariaDbConfigStore} on the same
 * database).
 *
 * <p>The writer puts a few keys in turn through {@code keyValueStore("delay")}, one every 20 to 50
 * ms, each with a new number as its value. Every reader runs threads that read those keys over
 * and over. The delay of a write, for one reader, is the time from just before the writer's
 * {@code put} to the end of the first read in that reader that returned the write's value (or a
 * later one of the same key). Both ends are {@link System#nanoTime()}, which on Linux is the
 * machine's monotonic clock and so comparable between processes.
 *
 * <p>{@code busy}: the readers' threads read without pause, and a burner process spins one
 * thread per core, so every core is loaded. {@code spin}: the same without the burner (the
 * readers' threads alone load every core). {@code quiet}: the readers' threads pause 200 µs
 * between rounds, and nothing burns. The first writes after the readers' JVMs started are
 * reported apart from the rest.
 *
 * <p>Run with {@code benchmarks/delay.sh}; arguments: {@code run busy|spin|quiet [writes] [threads
 * per reader]}.
 */
public final class CrossProcessDelay {

    private static final String NAMESPACE = "delay";
    private static final int KEYS = 4;
    private static final int FIRST = 5;

    private CrossProcessDelay() {}

    /**
     * Runs one role.
     *
     * @param args {@code run busy|spin|quiet [writes] [threads]}, or a child's role
     * @throws Exception if the measurement fails
     */
    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "run" ->
                run(
                        args.length > 1 ? args[1] : "busy",
                        args.length > 2 ? Integer.parseInt(args[2]) : 1_000,
                        args.length > 3 ? Integer.parseInt(args[3]) : 2);
            case "writer" -> writer(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            case "reader" ->
                reader(args[1], Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]), Path.of(args[4]));
            case "burn" -> burn();
            default -> throw new IllegalArgumentException("usage: run busy|spin|quiet [writes] [threads per reader]");
        }
    }

    /** Whether the run is on MariaDB rather than PostgreSQL; children inherit it. */
    private static boolean mariadb() {
        return "mariadb".equals(System.getProperty("delay.database", "postgres"));
    }

    private static ConfigStore open(String schema) {
        if (mariadb()) {
            return MariaDbConfigStore.builder(Databases.mariadbUrl())
                    .database(schema)
                    .cache(cache -> cache.expireAfterWrite(java.time.Duration.ofMinutes(10)))
                    .build();
        }
        return PostgresConfigStore.builder(Databases.postgresUrl())
                .schema(schema)
                .cache(cache -> cache.expireAfterWrite(java.time.Duration.ofMinutes(10)))
                .build();
    }

    private static void drop(String schema) {
        if (!mariadb()) {
            Databases.dropSchema(schema);
            return;
        }
        try (Connection connection = DriverManager.getConnection(Databases.mariadbUrl());
                Statement drop = connection.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS `" + schema + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the benchmark's database " + schema, e);
        }
    }

    /** A child process of this class, its output read line by line. */
    private record Child(Process process, BufferedReader out, PrintWriter in) {
        static Child start(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m"));
            // Extra options for the children, e.g. -XX:ThreadPriorityPolicy=1.
            String options = System.getProperty("delay.childOptions", "");
            if (!options.isBlank()) {
                command.addAll(Arrays.asList(options.trim().split("\\s+", -1)));
            }
            command.add("-Ddelay.database=" + System.getProperty("delay.database", "postgres"));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrossProcessDelay.class.getName()));
            command.addAll(Arrays.asList(args));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new Child(
                    process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        void await(String line) throws IOException {
            String got;
            while ((got = out.readLine()) != null) {
                if (got.equals(line)) {
                    return;
                }
                System.out.println(got);
            }
            throw new IllegalStateException("child ended before saying " + line);
        }

        void finish() throws InterruptedException {
            in.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("child did not end");
            }
        }
    }

    private static void run(String mode, int writes, int threads) throws Exception {
        boolean burn = mode.equals("busy");
        boolean busy = burn || mode.equals("spin");
        String schema = "configstore_delay_"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        Path dir = Files.createTempDirectory("configstore-delay");
        List<Child> burners = new ArrayList<>();
        try {
            open(schema).close(); // creates the schema once, before anyone races to
            Child writer = Child.start(
                    "writer",
                    schema,
                    Integer.toString(writes),
                    dir.resolve("writes").toString());
            writer.await("READY");
            if (burn) {
                burners.add(Child.start("burn"));
            }
            List<Child> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Child.start(
                        "reader",
                        schema,
                        Integer.toString(threads),
                        Boolean.toString(busy),
                        dir.resolve("reader" + r).toString()));
            }
            for (Child reader : readers) {
                reader.await("READY");
            }
            writer.in().println("GO");
            writer.await("DONE");
            writer.finish();
            for (Child reader : readers) {
                reader.finish();
            }
            report(mode, writes, threads, dir);
        } finally {
            for (Child burner : burners) {
                burner.process().destroyForcibly();
            }
            drop(schema);
        }
    }

    private static void writer(String schema, int writes, Path out) throws Exception {
        try (ConfigStore store = open(schema)) {
            CachedKeyValueStore<String, String> kv = store.keyValueStore(NAMESPACE);
            // Warms up this process's write path, so that the readers' start is what is measured.
            for (int i = 0; i < 200; i++) {
                kv.put("warm-up", Integer.toString(i));
            }
            for (int k = 0; k < KEYS; k++) {
                kv.put("k" + k, "0");
            }
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(in.readLine())) {
                throw new IllegalStateException("no GO");
            }
            long[] start = new long[writes + 1];
            long[] end = new long[writes + 1];
            for (int i = 1; i <= writes; i++) {
                start[i] = System.nanoTime();
                kv.put("k" + (i % KEYS), Integer.toString(i));
                end[i] = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                        ThreadLocalRandom.current().nextLong(20, 51)));
            }
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(out))) {
                for (int i = 1; i <= writes; i++) {
                    file.println(i + " " + start[i] + " " + end[i]);
                }
            }
            System.out.println("DONE");
        }
    }

    private static void reader(String schema, int threads, boolean busy, Path out) throws Exception {
        long started = System.nanoTime();
        try (ConfigStore store = open(schema)) {
            CachedKeyValueStore<String, String> kv = store.keyValueStore(NAMESPACE);
            AtomicLongArray seen = new AtomicLongArray(1 << 20);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (int k = 0; k < KEYS; k++) {
                            Optional<String> value = kv.get("k" + k);
                            long now = System.nanoTime();
                            int v = Integer.parseInt(value.orElse("0"));
                            if (v > 0 && v < seen.length() && seen.get(v) == 0) {
                                seen.compareAndSet(v, 0, now);
                            }
                        }
                        if (!busy) {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                });
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // until the coordinator closes our input
            }
            workers.forEach(Thread::interrupt);
            for (Thread worker : workers) {
                worker.join();
            }
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(out))) {
                file.println(
                        "started " + started + " " + ProcessHandle.current().pid());
                for (int v = 1; v < seen.length(); v++) {
                    if (seen.get(v) != 0) {
                        file.println(v + " " + seen.get(v));
                    }
                }
            }
        }
    }

    private static void burn() {
        for (int t = 0; t < Runtime.getRuntime().availableProcessors(); t++) {
            Thread thread = new Thread(() -> {
                long x = 0;
                while (x != -1) {
                    x = x * 31 + System.nanoTime();
                }
            });
            thread.start();
        }
    }

    private static void report(String mode, int writes, int threads, Path dir) throws IOException {
        long[] start = new long[writes + 1];
        for (String line : Files.readAllLines(dir.resolve("writes"))) {
            String[] parts = line.split(" ", 3);
            start[Integer.parseInt(parts[0])] = Long.parseLong(parts[1]);
        }
        List<Double> steady = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        int missing = 0;
        for (int r = 0; r < 2; r++) {
            Map<Integer, Long> seen = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("reader" + r))) {
                String[] parts = line.split(" ", 3);
                if (!parts[0].equals("started")) {
                    seen.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                }
            }
            for (int i = 1; i <= writes; i++) {
                // The first read of this value, or of a later value of the same key.
                long at = Long.MAX_VALUE;
                for (int j = i; j <= writes; j += KEYS) {
                    Long t = seen.get(j);
                    if (t != null) {
                        at = Math.min(at, t);
                    }
                }
                if (at == Long.MAX_VALUE) {
                    missing++;
                    continue;
                }
                double ms = (at - start[i]) / 1e6;
                (i <= FIRST ? first : steady).add(ms);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s, %d threads per reader: %s; first %d writes after start: %s; never read: %d%n",
                mode,
                threads,
                summary(steady),
                FIRST,
                firstWrites(first),
                missing);
    }

    private static String summary(List<Double> delays) {
        if (delays.isEmpty()) {
            return "no samples";
        }
        double[] sorted =
                delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "n=%d p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                sorted.length,
                percentile(sorted, 0.50),
                percentile(sorted, 0.90),
                percentile(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    private static String firstWrites(List<Double> delays) {
        StringBuilder text = new StringBuilder();
        for (double d : delays) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", d));
        }
        return text + " ms";
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
