package dev.configstore.examples.cli;

import dev.configstore.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the {@code configstore} tool: parses the arguments, runs the command, and turns every
 * failure into one line on the error stream and an exit code.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><td>0</td><td>done</td></tr>
 *   <tr><td>1</td><td>usage error: unknown command or option, missing or malformed argument</td></tr>
 *   <tr><td>2</td><td>validation error: an id that is not a snowflake, silent days out of range, a bad
 *       import file; nothing was written</td></tr>
 *   <tr><td>3</td><td>store error: the database (or another file named on the command line) could
 *       not be opened, read or written, or {@code doctor} found a problem</td></tr>
 * </table>
 */
public final class Cli {

    /** The command succeeded. */
    public static final int OK = 0;

    /** The command line was wrong: unknown command or option, missing or malformed argument. */
    public static final int USAGE = 1;

    /** An argument or input broke a rule; nothing was written. */
    public static final int VALIDATION = 2;

    /** The database or another file could not be used, or {@code doctor} found a problem. */
    public static final int STORE = 3;

    private Cli() {}

    /**
     * Runs the tool.
     *
     * @param args the command line, without the program name
     * @param out where results go
     * @param err where errors go
     * @param environment the environment variables that supply defaults ({@code LOGGING_CHANNEL},
     *     {@code FLAGGED_REPORT_CHANNEL_ID}, {@code SILENT_FIRST_MSG_DAYS})
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        Root root = new Root(out, err, environment);
        CommandLine commandLine = new CommandLine(root)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, arguments) -> {
                    err.println("configstore: " + e.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
                    err.println("Run 'configstore " + commandPath(e.getCommandLine()) + "--help' for usage.");
                    err.flush();
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, command, parseResult) -> {
                    int code;
                    if (e instanceof IllegalArgumentException) {
                        code = VALIDATION;
                        err.println("configstore: " + e.getMessage());
                    } else if (e instanceof StoreException) {
                        code = STORE;
                        err.println("configstore: " + e.getMessage());
                    } else if (e instanceof IOException io) {
                        code = STORE;
                        err.println("configstore: " + describe(io));
                    } else {
                        code = STORE;
                        err.println("configstore: " + e + " (run with --verbose to see where it happened)");
                    }
                    if (root.verbose) {
                        e.printStackTrace(err);
                    }
                    err.flush();
                    return code;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Says which file a failure is about and what to check, on one line. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist"
                    + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")")
                    + ". Check the path; create the folder if it is missing.";
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile() + ". Check its permissions and those of its folder.";
        }
        if (e instanceof FileSystemException failed && failed.getFile() != null) {
            return "cannot use " + failed.getFile() + " ("
                    + (failed.getReason() == null ? "file system error" : failed.getReason())
                    + "). Check the path, the permissions and the free disk space.";
        }
        return "a file could not be read or written ("
                + String.valueOf(e.getMessage()).replace('\n', ' ')
                + "). Check the paths, the permissions and the free disk space.";
    }

    private static String commandPath(CommandLine commandLine) {
        StringBuilder path = new StringBuilder();
        for (CommandLine current = commandLine; current.getParent() != null; current = current.getParent()) {
            path.insert(0, current.getCommandName() + " ");
        }
        return path.toString();
    }
}
