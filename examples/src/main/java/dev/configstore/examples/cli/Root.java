package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.mysql.MariaDbConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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
            SettingCommands.Get.class,
            SettingCommands.Set.class,
            SettingCommands.Reset.class,
            ShowCommand.class,
            ListCommand.class,
            MigrateCommand.class,
            DoctorCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            WatchCommand.class,
            StatsCommand.class,
            ForgetCommand.class,
            HistoryCommand.class,
            CacheCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  configstore logging set 123456789012345678 987654321098765432",
            "  configstore set 123456789012345678 prefix '?'",
            "  configstore --db /srv/bot/bot.db show 123456789012345678",
            "  configstore list --json",
            "",
            "Exit codes: 0 done, 1 usage error, 2 validation error (nothing written),",
            "3 store error (or doctor found a problem)."
        })
// Not Runnable: without a command, picocli reports a missing subcommand as a usage error.
final class Root {

    private static final String POSTGRES_URL = "jdbc:postgresql:";
    private static final String MARIADB_URL = "jdbc:mariadb:";
    private static final String MYSQL_URL = "jdbc:mysql:";
    /** A URL's scheme: letters, then a colon; longer than one letter, so that C:\ is a path. */
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Option(
            names = "--db",
            paramLabel = "FILE|URL",
            defaultValue = "configstore.db",
            scope = ScopeType.INHERIT,
            description = "The database: a SQLite file (default: ${DEFAULT-VALUE} in the current folder), or a"
                    + " PostgreSQL or MariaDB JDBC URL (jdbc:postgresql://host:5432/db?user=…,"
                    + " jdbc:mariadb://host:3306/?user=…).")
    String db = "configstore.db";

    @Option(
            names = "--schema",
            paramLabel = "NAME",
            defaultValue = "configstore",
            scope = ScopeType.INHERIT,
            description = "With a PostgreSQL URL: the schema that holds configstore's tables; with a MariaDB URL: the"
                    + " database (default: ${DEFAULT-VALUE}).")
    String schema = "configstore";

    @Option(
            names = "--no-create",
            scope = ScopeType.INHERIT,
            description = "Fail if the database file does not exist, instead of creating it.")
    boolean noCreate;

    @Option(
            names = "--by",
            paramLabel = "WHO",
            scope = ScopeType.INHERIT,
            description = "Who makes the changes, as the audit trail records them (default: os: and your user name,"
                    + " such as os:alice).")
    @Nullable
    String by;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON, for scripts.")
    boolean json;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of failures, and the library's log messages.")
    boolean verbose;

    /** The SQLite file, once {@link #file(boolean)} has looked into it and let it through. */
    private @Nullable Path checkedFile;

    final PrintWriter out;
    final PrintWriter err;
    final Map<String, String> environment;

    Root(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** Whether {@code --db} names a PostgreSQL database. */
    boolean postgres() {
        return db.startsWith(POSTGRES_URL);
    }

    /** Whether {@code --db} names a MariaDB (or MySQL-protocol) server. */
    boolean mariadb() {
        return db.startsWith(MARIADB_URL) || db.startsWith(MYSQL_URL);
    }

    /** Whether {@code --db} names a database server rather than a SQLite file. */
    boolean server() {
        return postgres() || mariadb();
    }

    /** How statements name configstore's tables on the server: qualified by the schema or database. */
    String tablePrefix() {
        return postgres() ? "\"" + schema + "\"." : mariadb() ? "`" + schema + "`." : "";
    }

    /** What opening the database would migrate, read without changing anything. */
    List<String> pendingMigrations() {
        if (postgres()) {
            return PostgresConfigStore.pendingMigrations(db, schema);
        }
        if (mariadb()) {
            return MariaDbConfigStore.pendingMigrations(db, schema);
        }
        return SqliteConfigStore.pendingMigrations(file());
    }

    /** The schema version this tool writes on the database {@code --db} names. */
    int schemaVersion() {
        return postgres()
                ? PostgresConfigStore.SCHEMA_VERSION
                : mariadb() ? MariaDbConfigStore.SCHEMA_VERSION : SqliteConfigStore.SCHEMA_VERSION;
    }

    /**
     * The SQLite file {@code --db} names, checked: a JDBC URL of another database, a folder, a
     * device or a file that is not a SQLite database is refused (with nothing created) before
     * anything opens it.
     *
     * @throws IllegalArgumentException if {@code --db} is not a SQLite file (or one to create)
     */
    Path file() {
        return file(true);
    }

    /**
     * The SQLite file {@code --db} names, checked as {@link #file()} does, except that a file that
     * is not a SQLite database is let through if {@code refuseOthers} is false (for {@code
     * doctor}, which reports it as a problem).
     */
    Path file(boolean refuseOthers) {
        Path checked = checkedFile;
        if (refuseOthers && checked != null) {
            // Looked into once, before any store of this process opened it: see shownDatabase().
            return checked;
        }
        if (URL.matcher(db).lookingAt() && !server()) {
            throw new IllegalArgumentException("--db " + db + " is not a SQLite file or a database this tool knows:"
                    + " give the path of a SQLite file, or a JDBC URL starting with " + POSTGRES_URL + " or "
                    + MARIADB_URL);
        }
        Path file = Path.of(db);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--db " + db + " is a folder, not a database file: give the path of a"
                    + " SQLite file in it (for example " + file.resolve("configstore.db") + ")");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--db " + db + " is not a regular file (a device, a pipe or a socket):"
                    + " give the path of a SQLite database file");
        }
        if (refuseOthers && Files.isRegularFile(file) && !looksLikeSqlite(file)) {
            throw new IllegalArgumentException("--db " + db + " is not a SQLite database (its first bytes are not"
                    + " SQLite's header); check the path. Nothing was changed.");
        }
        if (refuseOthers) {
            checkedFile = file;
        }
        return file;
    }

    private static boolean looksLikeSqlite(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(SQLITE_HEADER.length);
            // An empty file is what SQLite makes a new database from.
            return header.length == 0 || Arrays.equals(header, SQLITE_HEADER);
        } catch (IOException e) {
            // Unreadable: opening it reports why, with the store's own message.
            return true;
        }
    }

    /** Opens the database to change it, with the environment's defaults, without a change feed. */
    ConfigStore open() {
        return serverBuilder()
                .map(builder -> build(builder, false))
                .orElseGet(() -> sqliteBuilder().disableChangeFeed().build());
    }

    /**
     * Opens the database for a command that only reads it, without a change feed: as {@link
     * #open()} does, except that a SQLite file the operator may only read is opened read-only
     * (not migrated), so that it can still be looked at.
     */
    ConfigStore openForReading() {
        return server() ? open() : readingBuilder().disableChangeFeed().build();
    }

    /** Opens the database for reading, with its change feed on: for a command that watches it. */
    ConfigStore openWatching() {
        return serverBuilder()
                .map(builder -> build(builder, true))
                .orElseGet(() -> readingBuilder().build());
    }

    /**
     * Opens the database to read and change it, with its change feed on and read at least every
     * {@code feedInterval}: for a program that shows values live (the dashboard).
     */
    ConfigStore openLive(Duration feedInterval) {
        return serverBuilder()
                .map(builder ->
                        (ConfigStore) builder.changeFeedInterval(feedInterval).build())
                .orElseGet(
                        () -> readingBuilder().changeFeedInterval(feedInterval).build());
    }

    SqliteConfigStore.Builder readingBuilder() {
        SqliteConfigStore.Builder builder = sqliteBuilder();
        Path file = file();
        if (Files.exists(file) && !Files.isWritable(file)) {
            builder.readOnly();
        }
        return builder;
    }

    private SqliteConfigStore.Builder sqliteBuilder() {
        return SqliteConfigStore.builder(file())
                .createIfMissing(!noCreate)
                .defaults(ConfigDefaults.of(environment))
                .defaultActor(actor());
    }

    /** Who makes this run's changes: {@code --by}, else {@code os:} and the user's name. */
    String actor() {
        return by != null ? by : "os:" + System.getProperty("user.name", "unknown");
    }

    private static ConfigStore build(StoreBuilder<?, ?> builder, boolean changeFeed) {
        if (!changeFeed) {
            builder.disableChangeFeed();
        }
        return builder.build();
    }

    /** The builder of a store on the server {@code --db} names, or empty for a SQLite file. */
    private Optional<StoreBuilder<?, ?>> serverBuilder() {
        if (postgres()) {
            return Optional.of(PostgresConfigStore.builder(db)
                    .schema(schema)
                    .defaults(ConfigDefaults.of(environment))
                    .defaultActor(actor()));
        }
        if (mariadb()) {
            return Optional.of(MariaDbConfigStore.builder(db)
                    .database(schema)
                    .defaults(ConfigDefaults.of(environment))
                    .defaultActor(actor()));
        }
        return Optional.empty();
    }

    /**
     * {@code --db} for messages, without a password a URL may hold. It does not look into a SQLite
     * file: commands print it while their store has the file open, and opening and closing the
     * file here would drop every lock SQLite holds on it in this process (POSIX locks belong to the
     * process), so that another process could take itself for the file's last user and delete its
     * write-ahead log.
     */
    String shownDatabase() {
        return server()
                ? db.replaceAll("(?i)(password=)[^&]*", "$1…") + (postgres() ? ", schema " : ", database ") + schema
                : Path.of(db).toAbsolutePath().toString();
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
