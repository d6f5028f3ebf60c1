package dev.configstore.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: starts the worker processes on a database, lets the nemesis inject faults for the
 * run's duration (and at least until it has injected each kind once), stops everything, reads each
 * key on a fresh connection and checks the merged history.
 */
final class WorkloadRun implements Fault.Run {

    private static final Logger log = LoggerFactory.getLogger(WorkloadRun.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHELL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What a run does.
     *
     * @param processes worker processes running at any time
     * @param threads threads per worker
     * @param keys keys every thread works on
     * @param duration how long the workload runs
     * @param nemesis whether faults are injected
     * @param faultPause the mean pause between two faults
     * @param ttl the stores' time-to-live
     * @param seed the seed of every random choice (operations interleave as they will)
     */
    record Settings(
            int processes,
            int threads,
            int keys,
            Duration duration,
            boolean nemesis,
            Duration faultPause,
            Duration ttl,
            long seed) {}

    private final Settings settings;
    private final Target target;
    private final SplittableRandom random;
    private final List<String> keys;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final Map<String, Integer> faults = new LinkedHashMap<>();
    private final CountDownLatch stopNemesis = new CountDownLatch(1);
    private final CountDownLatch nemesisRound = new CountDownLatch(1);
    private final AtomicReference<@Nullable Throwable> nemesisFailure = new AtomicReference<>();
    private @Nullable HistoryLog shellLog;
    private int workersStarted;
    private int kills;
    private long shellValues;

    WorkloadRun(Settings settings, Target target) {
        this.settings = settings;
        this.target = target;
        this.random = new SplittableRandom(settings.seed());
        this.keys = Worker.keys(settings.keys());
    }

    RunReport run() throws Exception {
        long began = System.nanoTime();
        Files.createDirectories(target.folder());
        target.prepare();
        List<Fault> kinds = new ArrayList<>();
        for (Fault fault : Fault.all()) {
            if (fault.appliesTo(target)) {
                kinds.add(fault);
                faults.put(fault.name(), 0);
            } else if (fault instanceof Fault.ShellWriter) {
                log.warn("{}: no {} on the PATH, so no shell writes in this run", target.name(), target.shell());
            }
        }
        try (HistoryLog shell = HistoryLog.open(target.folder().resolve("shell.history"), "shell")) {
            shellLog = shell;
            List<WorkerProcess> starting = new ArrayList<>();
            for (int i = 0; i < settings.processes(); i++) {
                starting.add(newWorker());
            }
            for (WorkerProcess worker : starting) {
                worker.awaitLine("READY", START_TIMEOUT);
            }
            synchronized (workers) {
                workers.addAll(starting);
            }
            log.info("{}: {} workers ready, running for {}", target.name(), settings.processes(), settings.duration());
            Thread nemesis = new Thread(() -> runNemesis(kinds), "nemesis");
            if (settings.nemesis()) {
                nemesis.start();
            }
            // Pacing, not a wait for a race: the run lasts this long.
            stopNemesis.await(settings.duration().toNanos(), TimeUnit.NANOSECONDS);
            if (settings.nemesis()) {
                while (!nemesisRound.await(1, TimeUnit.SECONDS) && nemesis.isAlive()) {
                    // Every kind of fault is injected at least once, however slow the machine.
                }
                stopNemesis.countDown();
                nemesis.join();
            }
            Throwable failure = nemesisFailure.get();
            if (failure != null) {
                throw new IllegalStateException("the nemesis failed", failure);
            }
            for (WorkerProcess worker : workers) {
                worker.stop(STOP_TIMEOUT);
            }
        } finally {
            synchronized (workers) {
                for (WorkerProcess worker : workers) {
                    if (worker.isAlive()) {
                        worker.kill();
                    }
                }
            }
        }
        long finalRead = System.nanoTime();
        Map<String, Optional<String>> finalValues = target.finalValues(keys);
        List<Op> ops = History.read(target.folder());
        CheckResult result = HistoryChecker.check(
                ops,
                finalValues,
                finalRead,
                target.crossProcessBound().toNanos(),
                settings.ttl().toNanos());
        RunReport report = new RunReport(
                target.name(),
                settings,
                target.crossProcessBound(),
                workersStarted,
                kills,
                Map.copyOf(faults),
                result,
                Duration.ofNanos(System.nanoTime() - began),
                target.folder());
        Files.writeString(target.folder().resolve("report.txt"), report.text(), StandardCharsets.UTF_8);
        return report;
    }

    private WorkerProcess newWorker() throws IOException {
        workersStarted++;
        return WorkerProcess.start("w" + workersStarted, target, settings, random.nextLong());
    }

    private void runNemesis(List<Fault> kinds) {
        try {
            int next = 0;
            while (true) {
                long pause = (long) (settings.faultPause().toNanos() * (0.5 + random.nextDouble()));
                if (stopNemesis.await(pause, TimeUnit.NANOSECONDS)) {
                    return;
                }
                Fault fault = kinds.get(next);
                String what = fault.inject(this);
                faults.merge(fault.name(), 1, Integer::sum);
                log.info("{}: nemesis {}: {}", target.name(), fault.name(), what);
                next = (next + 1) % kinds.size();
                if (next == 0) {
                    nemesisRound.countDown();
                }
            }
        } catch (Throwable e) {
            nemesisFailure.set(e);
            nemesisRound.countDown();
        }
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public int random(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public String killAndReplaceWorker() throws Exception {
        WorkerProcess victim;
        synchronized (workers) {
            victim = workers.remove(random.nextInt(workers.size()));
        }
        victim.kill();
        kills++;
        WorkerProcess replacement = newWorker();
        replacement.awaitLine("READY", START_TIMEOUT);
        synchronized (workers) {
            workers.add(replacement);
        }
        return "killed " + victim.name + " with SIGKILL, started " + replacement.name;
    }

    @Override
    public boolean recordShellWrite(String key, @Nullable String value, List<String> command) throws Exception {
        HistoryLog shell = shellLog;
        if (shell == null) {
            throw new IllegalStateException("no run in progress");
        }
        long start = System.nanoTime();
        long seq = shell.invoke(0, value == null ? Op.Kind.REMOVE : Op.Kind.PUT, key, value, start);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(SHELL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        long end = System.nanoTime();
        boolean ok = !process.isAlive() && process.exitValue() == 0 && output.isEmpty();
        // A shell that failed may or may not have written: its outcome stays unknown.
        shell.complete(seq, end, ok ? Op.Outcome.OK : Op.Outcome.UNKNOWN, ok ? "" : "shell said: " + output);
        if (!ok) {
            log.warn("{}: shell write of {} failed: {}", target.name(), key, output);
        }
        return ok;
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public String uniqueShellValue() {
        shellValues++;
        return "shell-" + shellValues;
    }
}
