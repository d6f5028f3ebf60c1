package dev.configstore.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the tool in this JVM: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err), environment);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(String... args) {
        return run(Map.of(), args);
    }
}
