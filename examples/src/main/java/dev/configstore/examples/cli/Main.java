package dev.configstore.examples.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The {@code configstore} program: see {@code configstore --help} and {@code docs/cli.md}. */
public final class Main {

    /** The setting of slf4j-simple, the tool's logging backend, for the level of every logger. */
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Main() {}

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // The tool reports every failure itself, in one line; the library's warnings would only
        // repeat it. With --verbose they are shown, with the library's other messages.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, Arrays.asList(args).contains("--verbose") ? "info" : "error");
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(Cli.run(args, out, err, System.getenv()));
    }
}
