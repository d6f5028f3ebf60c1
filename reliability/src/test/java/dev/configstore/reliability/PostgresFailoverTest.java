package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.postgres.PostgresConfigStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Crash failovers of a real primary to its real streaming standby, under a writer process and two
 * reader processes on the multi-host URL, checked with the history checker.
 *
 * <p>Each run: the processes work for a few seconds; the primary's WAL sender is frozen (SIGSTOP)
 * for 300 ms, so that the commits of that moment reach the primary's disk but not the standby; the
 * primary is killed (SIGKILL of every server process); the standby is promoted. Then the run goes
 * on until every reader's change feed has dropped its caches, and one poll interval and a few
 * seconds more.
 *
 * <p>The truth afterwards is the new primary: each key is written once, so a value missing from it
 * was lost in the failover. Checked: once a reader's feed has reconnected (dropped its caches) and
 * one poll interval has passed, it serves no value the new primary lacks and no read is stale
 * (the history checker's rules, with lost writes taken out of the history); operations that failed
 * said UNAVAILABLE or UNKNOWN; a write that said it failed was not applied. Acknowledged writes are
 * lost only with an asynchronous standby, and none with a synchronous one.
 */
@RequiresFailover
class PostgresFailoverTest {

    private static final Duration SLOT = Duration.ofMillis(25);
    private static final int WINDOW_SLOTS = 400;
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration FREEZE = Duration.ofMillis(300);
    /** From the crash of the primary to the promotion of the standby. */
    private static final Duration OUTAGE = Duration.ofSeconds(1);
    /** How far past the old primary's last transaction id the new one gets before the readers come back. */
    private static final long PASSED_IDS = 20;

    private static final Duration AFTER_RECONNECT = Duration.ofSeconds(3);
    /** How long to wait for the readers' feeds to drop their caches before checking without it. */
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(15);

    @Test
    void anAsynchronousStandbyLosesUnreplicatedCommitsAndNoCacheServesThemAfterReconnecting() throws Exception {
        Report report = failover("async", false);

        assertThat(report.lostAcknowledged)
                .as("the frozen WAL sender should have kept some acknowledged commits from the standby;\n%s", report)
                .isNotEmpty();
    }

    @Test
    void aSynchronousStandbyKeepsEveryAcknowledgedWrite() throws Exception {
        Report report = failover("sync", true);

        assertThat(report.lostAcknowledged)
                .as("acknowledged writes lost with a synchronous standby\n%s", report)
                .isEmpty();
    }

    /** One run; fails on any broken guarantee, and returns what it measured. */
    private static Report failover(String name, boolean synchronous) throws Exception {
        Path folder = Path.of("target", "failover-runs", name + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        Files.createDirectories(folder);
        LocalPostgres primary = null;
        LocalPostgres standby = null;
        Report report;
        try {
            primary = LocalPostgres.primary(folder.resolve("primary"));
            standby = primary.standby(folder.resolve("standby"));
            if (synchronous) {
                primary.requireSynchronousStandby();
            }
            primary.awaitStandby(synchronous);
            report = new Run(folder, primary, standby).run();
            Files.writeString(folder.resolve("report.txt"), report.toString(), StandardCharsets.UTF_8);
            System.out.println("failover run " + name + ":\n" + report);
            report.assertGuarantees();
        } finally {
            if (primary != null) {
                primary.close();
            }
            if (standby != null) {
                standby.close();
            }
            LocalPostgres.restoreFolders();
        }
        // Kept for a look after a failure; a run that passed leaves nothing behind.
        primary.delete();
        standby.delete();
        return report;
    }

    /** The run itself. */
    private static final class Run {
        private final Path folder;
        private final LocalPostgres primary;
        private final LocalPostgres standby;
        private final String schema = "cs_failover";
        private final String url;

        Run(Path folder, LocalPostgres primary, LocalPostgres standby) {
            this.folder = folder;
            this.primary = primary;
            this.standby = standby;
            this.url = "jdbc:postgresql://" + primary.hostAndPort() + "," + standby.hostAndPort()
                    + "/postgres?user=postgres&targetServerType=primary";
        }

        Report run() throws Exception {
            PostgresConfigStore.builder(url)
                    .schema(schema)
                    .disableChangeFeed()
                    .build()
                    .close();
            Map<String, String> environment = Map.of("CONFIGSTORE_PG_URL", url);
            List<WorkerProcess> workers = new ArrayList<>();
            List<String> readers = List.of("r1", "r2");
            Report report = new Report();
            try {
                workers.add(start("w", "writer", environment, 1));
                for (String reader : readers) {
                    workers.add(start(reader, "reader", environment, 2));
                }
                for (WorkerProcess worker : workers) {
                    worker.awaitLine("READY", Duration.ofSeconds(90));
                }
                // The run's pacing: the workers work this long before the fault.
                Thread.sleep(BEFORE.toMillis());
                report.freeze = System.nanoTime();
                primary.freezeWalSender();
                Thread.sleep(FREEZE.toMillis());
                long oldNext = primary.nextTransactionId();
                // r1 goes on through the failover; r2 comes back only once the new primary has
                // handed out the transaction ids the old one used last, as a reader that
                // reconnects late finds it: ids it saw committed are then reused by other
                // transactions, and nothing "goes backwards".
                WorkerProcess late = workers.get(workers.size() - 1);
                late.pause();
                report.crash = System.nanoTime();
                primary.crash();
                // A failover manager takes a moment to notice and promote: no primary meanwhile.
                Thread.sleep(OUTAGE.toMillis());
                report.promoteStart = System.nanoTime();
                standby.promote();
                report.promoted = System.nanoTime();
                awaitTransactionId(standby, oldNext + PASSED_IDS);
                report.resumed = System.nanoTime();
                late.resume();
                awaitReconnections(readers, report);
                Thread.sleep(POLL.plusMillis(AFTER_RECONNECT.toMillis()).toMillis());
                for (WorkerProcess worker : workers) {
                    worker.stop(Duration.ofSeconds(90));
                }
            } finally {
                for (WorkerProcess worker : workers) {
                    if (worker.isAlive()) {
                        worker.kill();
                    }
                }
            }
            report.finalRead = System.nanoTime();
            report.analyse(History.read(folder), finalValues(), readers, this::reconnection);
            return report;
        }

        private WorkerProcess start(String name, String role, Map<String, String> environment, int threads)
                throws IOException {
            return WorkerProcess.start(
                    name,
                    folder,
                    environment,
                    FailoverWorker.class,
                    List.of(
                            role,
                            schema,
                            name,
                            Integer.toString(threads),
                            folder.resolve(name + ".history").toString(),
                            folder.resolve(name + ".feed").toString(),
                            Long.toString(name.hashCode()),
                            Long.toString(SLOT.toMillis()),
                            Integer.toString(WINDOW_SLOTS),
                            Long.toString(TTL.toMillis())));
        }

        /** Waits until the server hands out transaction ids from {@code id} on (the writer keeps writing). */
        private static void awaitTransactionId(LocalPostgres server, long id) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.nextTransactionId() < id) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the new primary did not reach transaction id " + id
                            + " within 60 s: is the writer writing? See w.history and w.err");
                }
                // Polling the server's state; the workers run meanwhile.
                Thread.sleep(20);
            }
        }

        /**
         * Waits until every reader's change feed has dropped its caches after the crash, or {@link
         * #RECONNECT_WAIT} has passed (the run then goes on, and the check says which never did).
         */
        private void awaitReconnections(List<String> readers, Report report) throws Exception {
            long deadline = report.resumed + RECONNECT_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (String reader : readers) {
                    all &= reconnection(reader, report.crash) != null;
                }
                if (all) {
                    return;
                }
                // Polling the workers' feed files for an event; the workers run meanwhile.
                Thread.sleep(20);
            }
        }

        /** When a reader's feed first counted a gap after {@code since}, or null. */
        private @Nullable Long reconnection(String reader, long since) {
            Path file = folder.resolve(reader + ".feed");
            List<String> lines;
            try {
                lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long gapsBefore = 0;
            for (String line : lines) {
                String[] f = line.split(" ", -1);
                if (f.length != 3) {
                    continue;
                }
                long at = Long.parseLong(f[0]);
                long gaps = Long.parseLong(f[1]);
                if (at <= since) {
                    gapsBefore = gaps;
                } else if (gaps > gapsBefore) {
                    return at;
                }
            }
            return null;
        }

        /** Every key's value as the new primary holds it. */
        private Map<String, Optional<String>> finalValues() throws SQLException {
            Map<String, Optional<String>> values = new HashMap<>();
            try (Connection connection = standby.connect();
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT key, value FROM \"" + schema + "\".configstore_kv WHERE namespace = ?")) {
                statement.setString(1, FailoverWorker.NAMESPACE);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        values.put(rows.getString(1), Optional.of(rows.getString(2)));
                    }
                }
            }
            return values;
        }
    }

    /** Finds when a reader's feed dropped its caches after a time. */
    private interface Reconnections {
        @Nullable
        Long after(String reader, long since);
    }

    /** What a run measured and found. */
    private static final class Report {
        long freeze;
        long crash;
        long promoteStart;
        long promoted;
        long resumed;
        long finalRead;
        final Map<String, @Nullable Long> reconnected = new LinkedHashMap<>();
        final List<Op> lostAcknowledged = new ArrayList<>();
        final List<Op> failedButApplied = new ArrayList<>();
        final List<Op> servedLost = new ArrayList<>();
        final Set<String> failureReasons = new TreeSet<>();

        @Nullable
        CheckResult result;

        long writesBefore;
        double writeP50Millis;
        double writeP99Millis;
        long firstWriteAfter = -1;
        long wrongReadsAfterCrash;
        long lastWrongRead = -1;
        long checkedReads;
        final Map<String, Long> cutoffs = new LinkedHashMap<>();

        void analyse(
                List<Op> ops,
                Map<String, Optional<String>> finalValues,
                List<String> readers,
                Reconnections reconnections) {
            Set<String> survivors = new HashSet<>();
            finalValues.values().forEach(value -> value.ifPresent(survivors::add));
            Set<String> lost = new HashSet<>();
            Map<String, Op> survivingWrite = new HashMap<>();
            List<Long> durations = new ArrayList<>();
            List<Op> kept = new ArrayList<>();
            for (Op op : ops) {
                if (!op.isWrite()) {
                    continue;
                }
                String value = java.util.Objects.requireNonNull(op.value(), "the writer only puts");
                boolean survived = survivors.contains(value);
                if (op.outcome() == Op.Outcome.FAILED) {
                    failureReasons.add("write " + reason(op));
                    if (survived) {
                        failedButApplied.add(op);
                    }
                } else if (!survived) {
                    if (op.outcome() == Op.Outcome.UNKNOWN) {
                        failureReasons.add("write " + reason(op));
                    }
                    lost.add(value);
                    if (op.acknowledged()) {
                        lostAcknowledged.add(op);
                    }
                    continue;
                } else {
                    survivingWrite.put(op.key(), op);
                }
                if (op.outcome() == Op.Outcome.UNKNOWN) {
                    failureReasons.add("write " + reason(op));
                }
                if (op.acknowledged() && op.start() < freeze) {
                    durations.add(op.end() - op.start());
                }
                if (op.acknowledged() && op.start() > crash && (firstWriteAfter < 0 || op.end() < firstWriteAfter)) {
                    firstWriteAfter = op.end();
                }
                kept.add(op);
            }
            durations.sort(null);
            writesBefore = durations.size();
            writeP50Millis = percentile(durations, 0.50);
            writeP99Millis = percentile(durations, 0.99);
            for (String reader : readers) {
                Long at = reconnections.after(reader, crash);
                reconnected.put(reader, at);
                // Without a reconnection seen, the check starts where it would at the latest.
                long from = (at == null ? Math.max(promoted, reader.equals("r2") ? resumed : 0) + 3_000_000_000L : at)
                        + POLL.toNanos();
                cutoffs.put(reader, from);
            }
            for (Op op : ops) {
                if (op.isWrite()) {
                    continue;
                }
                if (op.outcome() != Op.Outcome.OK) {
                    failureReasons.add("read " + reason(op));
                    continue;
                }
                if (op.start() > crash && wrong(op, lost, survivingWrite)) {
                    wrongReadsAfterCrash++;
                    lastWrongRead = Math.max(lastWrongRead, op.start());
                }
                Long cutoff = cutoffs.get(op.process());
                if (cutoff == null || op.start() < cutoff) {
                    continue;
                }
                checkedReads++;
                if (op.value() != null && lost.contains(op.value())) {
                    servedLost.add(op);
                } else {
                    kept.add(op);
                }
            }
            Map<String, Optional<String>> finals = new HashMap<>();
            for (Op op : kept) {
                finals.put(op.key(), finalValues.getOrDefault(op.key(), Optional.empty()));
            }
            result = HistoryChecker.check(kept, finals, finalRead, PostgresTarget.BOUND.toNanos(), TTL.toNanos());
        }

        /** Whether a read after the crash returned what the new primary does not hold, or missed what it held. */
        private static boolean wrong(Op read, Set<String> lost, Map<String, Op> survivingWrite) {
            String value = read.value();
            if (value != null) {
                return lost.contains(value);
            }
            Op write = survivingWrite.get(read.key());
            return write != null && write.end() + PostgresTarget.BOUND.toNanos() < read.start();
        }

        private static String reason(Op op) {
            int colon = op.detail().indexOf(':');
            return colon < 0 ? op.detail() : op.detail().substring(0, colon);
        }

        private static double percentile(List<Long> sorted, double p) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
        }

        void assertGuarantees() {
            CheckResult checked = java.util.Objects.requireNonNull(result, "analysed");
            assertThat(servedLost)
                    .as(
                            "reads that served a value the new primary does not hold, after the reader's feed had"
                                    + " reconnected and one poll interval had passed\n%s",
                            this)
                    .isEmpty();
            assertThat(checked.violations())
                    .as("history checker, after each reader's reconnection plus one poll\n%s", this)
                    .isEmpty();
            assertThat(failedButApplied)
                    .as("writes that said they failed but were applied\n%s", this)
                    .isEmpty();
            assertThat(reconnected.values())
                    .as("each reader's change feed dropped its caches after the failover\n%s", this)
                    .doesNotContainNull();
            assertThat(failureReasons)
                    .as("why operations failed during the failover\n%s", this)
                    .allSatisfy(reason -> assertThat(reason).matches("(read|write) (UNAVAILABLE|UNKNOWN)"));
            assertThat(checkedReads)
                    .as("reads checked after the reconnection\n%s", this)
                    .isPositive();
            assertThat(firstWriteAfter)
                    .as("a write succeeded on the new primary\n%s", this)
                    .isPositive();
        }

        private String at(long time) {
            return time < 0 ? "never" : String.format(Locale.ROOT, "%+.0f ms", (time - crash) / 1e6);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            text.append("  timeline (from the crash of the primary):\n");
            text.append("    WAL sender frozen ").append(at(freeze)).append('\n');
            text.append("    primary killed    ").append(at(crash)).append('\n');
            text.append("    promotion asked   ").append(at(promoteStart)).append('\n');
            text.append("    promotion done    ").append(at(promoted)).append('\n');
            text.append("    r2 resumed        ").append(at(resumed)).append('\n');
            text.append("    first write acknowledged by the new primary ")
                    .append(at(firstWriteAfter))
                    .append('\n');
            reconnected.forEach((reader, time) -> text.append("    ")
                    .append(reader)
                    .append("'s feed dropped its caches ")
                    .append(time == null ? "never" : at(time))
                    .append(", checked from ")
                    .append(at(cutoffs.getOrDefault(reader, -1L)))
                    .append('\n'));
            text.append("  acknowledged writes before the fault: ")
                    .append(writesBefore)
                    .append(String.format(Locale.ROOT, ", p50 %.2f ms, p99 %.2f ms%n", writeP50Millis, writeP99Millis));
            text.append("  acknowledged writes lost: ")
                    .append(lostAcknowledged.size())
                    .append('\n');
            text.append("  reads after the crash that were wrong for the new primary: ")
                    .append(wrongReadsAfterCrash)
                    .append(", the last one ")
                    .append(at(lastWrongRead))
                    .append('\n');
            text.append("  reads checked: ").append(checkedReads).append('\n');
            text.append("  served lost values after reconnecting: ")
                    .append(servedLost.size())
                    .append('\n');
            servedLost.stream()
                    .limit(5)
                    .forEach(op -> text.append("    ").append(op).append('\n'));
            text.append("  failures: ").append(failureReasons).append('\n');
            text.append("  writes said failed but applied: ")
                    .append(failedButApplied)
                    .append('\n');
            if (result != null) {
                text.append("  history checker: ")
                        .append(result.violations().size())
                        .append(" violations\n");
                result.violations().stream()
                        .limit(5)
                        .forEach(v -> text.append("    ").append(v).append('\n'));
            }
            return text.toString();
        }
    }
}
