package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.mysql.MariaDbConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.testkit.RequiresServer.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the tool on a real database server ({@code --db jdbc:…://… --schema …}), each
 * test in a schema (PostgreSQL) or database (MariaDB) of its own, dropped afterwards. Each server
 * runs it through a small subclass.
 */
abstract class CliServerTests {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path folder;

    final String schema = newSchema();

    /** The server. */
    abstract Server server();

    /** A table of the test's schema, qualified for SQL. */
    abstract String table(String name);

    /** Drops a schema (or database) and everything in it, if it exists. */
    abstract String dropSchema(String name);

    /** Whether a schema (or database) exists: a query that returns its count. */
    abstract String countSchema(String name);

    /** Drops the trigger that logs changes to configstore_kv, and what doctor then names. */
    abstract String[] dropKeyValueTrigger();

    private static String newSchema() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "cs_cli_" + HexFormat.of().formatHex(bytes);
    }

    @AfterEach
    void dropSchemas() throws Exception {
        sql(dropSchema(schema), dropSchema(schema + "_copy"));
    }

    private CliRun cli(String... args) {
        return inSchema(schema, args);
    }

    private CliRun inSchema(String schema, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--db";
        all[1] = server().url();
        all[2] = "--schema";
        all[3] = schema;
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRun.run(all);
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(server().url());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    boolean schemaExists(String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(server().url());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(countSchema(name))) {
            row.next();
            return row.getInt(1) == 1;
        }
    }

    @Test
    void migrateListsTheStepsWithoutChangingAnythingThenAppliesThem() throws Exception {
        CliRun dryRun = cli("migrate", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("create ").contains(schema).contains("Nothing was changed");
        assertThat(schemaExists(schema)).isFalse();
        assertThat(cli("doctor").exitCode()).isEqualTo(Cli.STORE);

        CliRun migrate = cli("migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(schemaExists(schema)).isTrue();
        assertThat(cli("migrate", "--dry-run").out()).contains("is current (version");
        CliRun doctor = cli("doctor");
        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        assertThat(doctor.out()).contains("No problems found.").doesNotContain("password");

        String[] trigger = dropKeyValueTrigger();
        sql(trigger[0]);
        CliRun broken = cli("doctor");
        assertThat(broken.exitCode()).isEqualTo(Cli.STORE);
        assertThat(broken.out()).contains("PROBLEM", trigger[1]);
    }

    @Test
    void settingsAreSetShownListedCountedAndCopiedToAnotherSchema() throws Exception {
        assertThat(cli("logging", "set", GUILD, CHANNEL).exitCode()).isZero();
        assertThat(cli("flags", "set-silent-days", GUILD, "30").exitCode()).isZero();
        assertThat(cli("logging", "get", GUILD).out()).contains(CHANNEL + "  database");
        assertThat(cli("show", GUILD).out())
                .contains(CHANNEL)
                .contains("30")
                .contains(schema)
                .doesNotContain("password");
        assertThat(cli("list").out()).contains("1 guild with settings").contains(CHANNEL);
        CliRun stats = cli("stats", "--json");
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("\"guilds_with_settings\":1").contains("\"change_log_entries\":");

        Path exported = folder.resolve("settings.jsonl");
        assertThat(cli("export", "--output", exported.toString()).exitCode()).isZero();
        assertThat(Files.readString(exported)).contains(GUILD);
        CliRun imported = inSchema(schema + "_copy", "import", exported.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(inSchema(schema + "_copy", "logging", "get", GUILD).out()).contains(CHANNEL + "  database");
    }

    @Test
    void aChangeMadeByAnotherProgramIsPrintedByWatch() throws Exception {
        assertThat(cli("logging", "set", GUILD, CHANNEL).exitCode()).isZero();
        CliTest.Watch watch = CliTest.Watch.start(server().url(), "--schema", schema);
        watch.awaitOutput("Watching ");

        sql("UPDATE " + table("guild_config") + " SET silent_first_msg_days = 21");
        watch.awaitOutput("silent days 21");

        assertThat(watch.stop()).isZero();
        assertThat(watch.output())
                .contains("guild " + GUILD + ": logging " + CHANNEL + ", flags (none), silent days 21")
                .doesNotContain("password");
    }

    @Test
    void aDatabaseTheToolCannotUseIsRefusedInOneLineAndNothingIsCreatedWhateverTheServer() throws Exception {
        Path notSqlite = Files.writeString(folder.resolve("notes.txt"), "not a database");
        for (String db : new String[] {
            folder.toString(),
            "/dev/null",
            notSqlite.toString(),
            "jdbc:oracle:thin:@db:1521:bot",
            "https://example.org/x"
        }) {
            CliRun run = CliRun.run("--db", db, "show", GUILD);
            assertThat(run.exitCode()).as(db).isEqualTo(Cli.VALIDATION);
            assertThat(run.err().lines()).as(db).hasSize(1);
            assertThat(run.err()).as(db).startsWith("configstore: --db " + db);
        }
        assertThat(Files.readString(notSqlite)).isEqualTo("not a database");
        try (var listing = Files.list(folder)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    /** A store on the test's schema, as the application opens it. */
    private ConfigStore application() {
        return server() == Server.POSTGRES
                ? PostgresConfigStore.builder(server().url()).schema(schema).build()
                : MariaDbConfigStore.builder(server().url()).database(schema).build();
    }

    private DeclaredSettingsCli declared() {
        return new DeclaredSettingsCli(this::cli, this::application);
    }

    @Test
    void declaredSettingsAreGotSetAndResetAtEveryScopeWithTheSameRules() throws Exception {
        declared().getSetAndResetEveryScope();
    }

    @Test
    void showAndListIncludeDeclaredSettings() throws Exception {
        declared().showAndListIncludeDeclaredSettings();
    }

    @Test
    void exportThenImportIntoAnEmptySchemaRoundTripsByteForByte() throws Exception {
        declared()
                .exportThenImportIntoAnEmptyDatabaseRoundTripsByteForByte(
                        args -> inSchema(schema + "_copy", args), folder);
    }

    @Test
    void forgetRemovesEveryValueOfAGuildOnlyWithYes() throws Exception {
        declared().forgetRemovesEveryValueOfAGuildOnlyWithYes();
    }

    @Test
    void historyShowsWhoChangedWhatNewestFirst() throws Exception {
        declared().historyShowsWhoChangedWhatNewestFirst();
    }

    @Test
    void watchPrintsChangesToDeclaredSettings() throws Exception {
        declared().declare();
        declared().watchPrintsDeclaredSettingChanges(CliTest.Watch.start(server().url(), "--schema", schema));
    }
}
