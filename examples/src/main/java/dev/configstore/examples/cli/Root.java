package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code configstore} command: the options every subcommand shares. */
@Command(
        name = "configstore",
        mixinStandardHelpOptions = true,
        versionProvider = Root.Version.class,
        description = "Reads and changes a bot's per-guild settings in its configstore SQLite database, checks the"
                + " database's health, and moves settings in and out as JSON lines. Commands that open the database"
                + " run its migrations first, as the bot does when it starts.",
        subcommands = {
            LoggingCommand.class,
            FlagsCommand.class,
            ShowCommand.class,
            ListCommand.class,
            MigrateCommand.class,
            DoctorCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            WatchCommand.class,
            StatsCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  configstore logging set 123456789012345678 987654321098765432",
            "  configstore --db /srv/bot/bot.db show 123456789012345678",
            "  configstore list --json",
            "",
            "Exit codes: 0 done, 1 usage error, 2 validation error (nothing written),",
            "3 store error (or doctor found a problem)."
        })
// Not Runnable: without a command, picocli reports a missing subcommand as a usage error.
final class Root {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Option(
            names = "--db",
            paramLabel = "FILE",
            defaultValue = "configstore.db",
            scope = ScopeType.INHERIT,
            description = "The database file (default: ${DEFAULT-VALUE} in the current folder).")
    Path database = Path.of("configstore.db");

    @Option(
            names = "--no-create",
            scope = ScopeType.INHERIT,
            description = "Fail if the database file does not exist, instead of creating it.")
    boolean noCreate;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON, for scripts.")
    boolean json;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of failures, and the library's log messages.")
    boolean verbose;

    final PrintWriter out;
    final PrintWriter err;
    final Map<String, String> environment;

    Root(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** Opens the database to change it, with the environment's defaults, without a change feed. */
    SqliteConfigStore open() {
        return builder().disableChangeFeed().build();
    }

    /**
     * Opens the database for a command that only reads it, without a change feed: as {@link
     * #open()} does if the file can be written, read-only (not migrated) if it cannot, so that a
     * file an operator may only read can still be looked at.
     */
    SqliteConfigStore openForReading() {
        return readingBuilder().disableChangeFeed().build();
    }

    SqliteConfigStore.Builder readingBuilder() {
        SqliteConfigStore.Builder builder = builder();
        if (Files.exists(database) && !Files.isWritable(database)) {
            builder.readOnly();
        }
        return builder;
    }

    private SqliteConfigStore.Builder builder() {
        return SqliteConfigStore.builder(database).createIfMissing(!noCreate).defaults(ConfigDefaults.of(environment));
    }

    /** Prints a value as one line of JSON. */
    void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** The tool's version, from its jar. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Root.class.getPackage().getImplementationVersion();
            return new String[] {"configstore " + (version == null ? "(development build)" : version)};
        }
    }
}
