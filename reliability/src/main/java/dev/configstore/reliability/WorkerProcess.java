package dev.configstore.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link Worker}: a JVM started with this JVM's class path, talked to line by line
 * through its standard input and output; what it logs goes to {@code <name>.err} in the run's
 * folder.
 */
final class WorkerProcess {

    /** What the reader thread puts in the queue when the worker's output ends. */
    private static final String END = "\u0000end";

    final String name;
    private final Process process;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "output of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    static WorkerProcess start(String name, Target target, WorkloadRun.Settings settings, long seed)
            throws IOException {
        Path folder = target.folder();
        return start(
                name,
                folder,
                target.workerEnvironment(),
                Worker.class,
                List.of(
                        target.name(),
                        target.location(),
                        name,
                        Integer.toString(settings.threads()),
                        folder.resolve(name + ".history").toString(),
                        Long.toString(seed),
                        Integer.toString(settings.keys()),
                        Long.toString(settings.ttl().toMillis())));
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's class path; what it logs goes to {@code
     * <name>.err} in {@code folder}.
     */
    static WorkerProcess start(
            String name, Path folder, Map<String, String> environment, Class<?> main, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: several share two cores with the database.
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.dev.configstore=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(folder.resolve(name + ".err").toFile());
        builder.environment().putAll(environment);
        return new WorkerProcess(name, builder.start());
    }

    private void readOutput() {
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process is gone; END says so.
        }
        lines.add(END);
    }

    /** Waits for the worker to print {@code expected}; fails if it exits first or takes longer than the timeout. */
    void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("worker " + name + " did not print " + expected + " within " + timeout
                        + "; see " + name + ".err");
            }
            if (line.equals(expected)) {
                return;
            }
            if (line.equals(END)) {
                throw new IllegalStateException("worker " + name + " exited before printing " + expected
                        + " (exit code " + exitCode() + "); see " + name + ".err");
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it (SIGSTOP) where it is, as a process that gets no CPU for a while; {@link #resume} goes on. */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused worker go on (SIGCONT). */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed: " + output);
        }
    }

    /** Kills it with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Asks it to stop, and waits until it has closed its store and exited. */
    void stop(Duration timeout) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            // Nothing in a run ends a worker but the run itself: one that is gone has crashed.
            throw new IllegalStateException("worker " + name + " exited by itself before the run stopped it (exit code "
                    + process.exitValue() + describeSignal(process.exitValue()) + "); see " + name + ".err");
        }
        input.write("STOP\n");
        input.flush();
        awaitLine("STOPPED", timeout);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("worker " + name + " printed STOPPED but did not exit");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("worker " + name + " exited with code " + process.exitValue());
        }
    }

    /** Names the signal of an exit code above 128, the shell's way of saying a signal ended a process. */
    private static String describeSignal(int exitCode) {
        return switch (exitCode) {
            case 134 -> ", SIGABRT";
            case 135 -> ", SIGBUS";
            case 137 -> ", SIGKILL";
            case 139 -> ", SIGSEGV";
            default -> "";
        };
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
