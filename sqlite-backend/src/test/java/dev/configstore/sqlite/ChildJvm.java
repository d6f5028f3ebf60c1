package dev.configstore.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A second process for tests: a JVM running a main class from the test class path. The test
 * talks to it through its standard input and output, line by line, so that every handshake is a
 * line read, never a wait for time to pass.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader output;
    private final Writer input;

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static ChildJvm start(Class<?> mainClass, String... arguments) throws IOException {
        return start(java.util.Map.of(), mainClass, arguments);
    }

    /** Starts a child with {@code environment} added to this process's environment. */
    static ChildJvm start(java.util.Map<String, String> environment, Class<?> mainClass, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        return new ChildJvm(builder.start());
    }

    /** The next line the child printed, or null once it has exited and everything was read. */
    @Nullable
    String readLine() throws IOException {
        return output.readLine();
    }

    /** Reads lines until one equals {@code expected}; fails if the child exits first. */
    void awaitLine(String expected) throws IOException {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("the child process exited before printing " + expected);
    }

    void sendLine(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    /**
     * Kills the child with SIGKILL and waits for it to be gone. What it printed before dying can
     * still be read afterwards (killing through the process handle leaves the pipes open).
     */
    void kill() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int waitForExit() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
