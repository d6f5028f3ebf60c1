package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.sqlite.SqliteConfigStore;
import dev.configstore.testkit.Await;
import dev.configstore.testkit.ReadOnlyFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tool run in this JVM, against temporary databases. */
class CliTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";

    @TempDir
    Path folder;

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private String db() {
        return folder.resolve("bot.db").toString();
    }

    private CliRun cli(String... args) {
        return cli(Map.of(), args);
    }

    private CliRun cli(Map<String, String> environment, String... args) {
        String[] withDb = new String[args.length + 2];
        withDb[0] = "--db";
        withDb[1] = db();
        System.arraycopy(args, 0, withDb, 2, args.length);
        return CliRun.run(environment, withDb);
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void setThenShowPrintsEverySettingWithItsSource() {
        assertThat(cli("logging", "set", GUILD, CHANNEL).exitCode()).isZero();

        CliRun show = cli(Map.of("SILENT_FIRST_MSG_DAYS", "30"), "show", GUILD);

        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains("logging channel         " + CHANNEL + "  database")
                .contains("flagged-report channel  (none)              default")
                .contains("silent days             30                  environment");
        assertThat(show.err()).isEmpty();
    }

    @Test
    void showPrintsJsonForScripts() {
        cli("flags", "set-channel", GUILD, CHANNEL);

        CliRun show = cli(Map.of("LOGGING_CHANNEL", "555555555555555555"), "show", GUILD, "--json");

        assertThat(show.out().strip())
                .isEqualTo("{\"guild_id\":\"" + GUILD + "\","
                        + "\"logging_channel_id\":{\"value\":\"555555555555555555\",\"source\":\"environment\"},"
                        + "\"flags_channel_id\":{\"value\":\"" + CHANNEL + "\",\"source\":\"database\"},"
                        + "\"silent_first_msg_days\":{\"value\":7,\"source\":\"default\"}}");
    }

    @Test
    void everyFlagsCommandWorksAndClearingBringsDefaultsBack() {
        assertThat(cli("flags", "set-channel", GUILD, CHANNEL).exitCode()).isZero();
        assertThat(cli("flags", "set-silent-days", GUILD, "45").out()).contains("45           database");
        assertThat(cli("flags", "get", GUILD).out()).contains(CHANNEL + "  database");
        assertThat(cli("flags", "clear-channel", GUILD).out()).contains("(none)         default");
        assertThat(cli("flags", "clear-silent-days", GUILD).out()).contains("7            default");
        assertThat(cli("logging", "clear", GUILD).out()).contains("(none)           default");
        assertThat(cli("logging", "get", GUILD).exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123", "-1", "12a", " 1", "18446744073709551616", ""})
    void anIdThatIsNotASnowflakeIsAValidationErrorAndWritesNothing(String id) throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        byte[] before = Files.readAllBytes(folder.resolve("bot.db"));

        CliRun run = cli("logging", "set", id, CHANNEL);
        CliRun channel = cli("flags", "set-channel", GUILD, id);

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err())
                .startsWith("configstore: guildId must be a Discord snowflake")
                .doesNotContain("\tat ");
        assertThat(run.err().strip()).doesNotContain("\n");
        assertThat(channel.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(channel.err()).startsWith("configstore: channelId must be a Discord snowflake");
        assertThat(Files.readAllBytes(folder.resolve("bot.db"))).isEqualTo(before);
        assertThat(cli("logging", "get", GUILD).out()).contains(CHANNEL);
        assertThat(cli("export").out()).contains("\"flags_channel_id\":null");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "logging get 0123",
                "logging set 0123 " + CHANNEL,
                "logging set " + GUILD + " 0123",
                "logging clear 0123",
                "flags get 0123",
                "flags set-channel " + GUILD + " 0123",
                "flags clear-channel 0123",
                "flags set-silent-days " + GUILD + " 6",
                "flags set-silent-days 0123 30",
                "flags clear-silent-days 0123",
                "show 0123"
            })
    void aBadArgumentIsRefusedBeforeTheDatabaseIsOpenedOrCreated(String command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));

        CliRun created = cli(args.toArray(String[]::new));
        args.add(0, "--no-create");
        CliRun notCreated = cli(args.toArray(String[]::new));

        for (CliRun run : List.of(created, notCreated)) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
            assertThat(run.err()).startsWith("configstore: ").doesNotContain("\tat ");
            assertThat(run.err().strip()).doesNotContain("\n");
        }
        assertThat(created.err()).isEqualTo(notCreated.err());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).as("files in the folder").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"6", "366", "0"})
    void silentDaysOutOfRangeAreAValidationError(String days) {
        CliRun run = cli("flags", "set-silent-days", GUILD, days);

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err().strip())
                .isEqualTo("configstore: Silent days threshold must be between 7 and 365 days, got " + days);
        assertThat(cli("flags", "get", GUILD).out()).contains("7            default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+30", "-5", "\u0663\u0660", "\uff13\uff10", " 30", "30 "})
    void silentDaysNotWrittenInAsciiDigitsAreAUsageErrorAndWriteNothing(String days) throws Exception {
        CliRun run = cli("flags", "set-silent-days", GUILD, days);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.USAGE);
        assertThat(run.err())
                .contains("'" + days + "' is not a whole number of days (the digits 0-9 only, no sign or spaces)");
        assertThat(filesIn(folder)).isEmpty();
    }

    @Test
    void silentDaysWithLeadingZerosOrTooManyDigitsAreReadAsTheirValue() {
        CliRun zeros = cli("flags", "set-silent-days", GUILD, "030");
        CliRun huge = cli("flags", "set-silent-days", GUILD, "99999999999");

        assertThat(zeros.exitCode()).as(zeros.err()).isZero();
        assertThat(zeros.out()).contains("30           database");
        assertThat(huge.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(huge.err().strip())
                .isEqualTo("configstore: Silent days threshold must be between 7 and 365 days, got 99999999999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+30", "\"\u0663\u0660\"", "\"30\"", "30.0", "3e1"})
    void importedSilentDaysMustBeAJsonIntegerInAsciiDigits(String days) throws Exception {
        Path input = folder.resolve("days.jsonl");
        Files.writeString(input, "{\"guild_id\":\"" + GUILD + "\",\"silent_first_msg_days\":" + days + "}\n");

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err()).contains("has 1 problem; nothing was imported", "line 1: ");
        assertThat(filesIn(folder)).containsExactly("days.jsonl");
    }

    @Test
    void silentDaysFromTheEnvironmentMustBeAsciiDigits() {
        CliRun run = cli(Map.of("SILENT_FIRST_MSG_DAYS", "\u0663\u0660"), "show", GUILD);

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err()).contains("Environment variable SILENT_FIRST_MSG_DAYS must be a whole number of days");
    }

    @Test
    void usageErrorsExitWithOneAndSayWhatToRun() {
        CliRun unknown = cli("bogus");
        CliRun missing = cli("logging", "set", GUILD);
        CliRun notANumber = cli("flags", "set-silent-days", GUILD, "thirty");

        assertThat(List.of(unknown.exitCode(), missing.exitCode(), notANumber.exitCode()))
                .containsOnly(Cli.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument at index 2: 'bogus'", "Run 'configstore --help'");
        assertThat(missing.err()).contains("Missing required parameter: 'CHANNEL'", "configstore logging set --help");
        assertThat(notANumber.err())
                .contains("'thirty' is not a whole number of days (the digits 0-9 only, no sign or spaces)");
    }

    @Test
    void aMissingFileWithNoCreateIsAStoreErrorAndIsNotCreated() {
        CliRun run = cli("--no-create", "show", GUILD);

        assertThat(run.exitCode()).isEqualTo(Cli.STORE);
        assertThat(run.err()).contains("does not exist");
        assertThat(folder.resolve("bot.db")).doesNotExist();
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws Exception {
        Files.writeString(folder.resolve("bot.db"), "not a database at all\n".repeat(100), StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(folder.resolve("bot.db"));

        CliRun run = cli("show", GUILD);

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("bot.db is not a SQLite database", "Nothing was changed");
        assertThat(Files.readAllBytes(folder.resolve("bot.db"))).isEqualTo(before);
        assertThat(cli("doctor").exitCode()).isEqualTo(Cli.STORE);
    }

    @Test
    void aReadOnlyFileIsRefusedWithoutLeavingFilesBesideItWhenNoProcessHasItOpen() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Path file = folder.resolve("bot.db");
        Map<String, String> before = listing(folder);
        Optional<ReadOnlyFile> made = ReadOnlyFile.make(file);
        Assumptions.assumeTrue(made.isPresent(), "this file system or user cannot make a file read-only");
        try {
            CliRun set = cli("logging", "set", GUILD, "111111111111111111");
            CliRun show = cli("show", GUILD);

            assertThat(set.exitCode()).isEqualTo(Cli.STORE);
            assertThat(set.err()).startsWith("configstore: ").contains("is read-only for this process");
            assertThat(show.exitCode()).isEqualTo(Cli.STORE);
            assertThat(show.err()).startsWith("configstore: ").contains("no process has it open");
            for (CliRun run : List.of(set, show)) {
                assertThat(run.err().strip()).doesNotContain("\n");
            }
            assertThat(listing(folder)).isEqualTo(before);
        } finally {
            made.get().close();
        }
        assertThat(cli("logging", "get", GUILD).out()).contains(CHANNEL);
    }

    @Test
    void aReadOnlyFileCanBeReadButNotChangedWhileTheBotHasItOpen() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Path file = folder.resolve("bot.db");
        try (SqliteConfigStore bot = SqliteConfigStore.open(file)) {
            Optional<ReadOnlyFile> made = ReadOnlyFile.make(file);
            Assumptions.assumeTrue(made.isPresent(), "this file system or user cannot make a file read-only");
            try {
                CliRun set = cli("logging", "set", GUILD, "111111111111111111");
                CliRun show = cli("show", GUILD);
                CliRun list = cli("list", "--json");
                CliRun export = cli("export");

                assertThat(set.exitCode()).isEqualTo(Cli.STORE);
                assertThat(set.err()).contains("is read-only for this process");
                assertThat(show.exitCode()).as(show.err()).isZero();
                assertThat(show.out()).contains("logging channel         " + CHANNEL + "  database");
                assertThat(list.out()).contains("\"total\":1");
                assertThat(export.out()).contains(CHANNEL);
            } finally {
                made.get().close();
            }
            assertThat(bot.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        }
    }

    @Test
    void listPagesThroughGuildsWithSettings() {
        for (int i = 0; i < 5; i++) {
            cli("logging", "set", Long.toString(100_000_000_000_000_000L + i), CHANNEL);
        }

        CliRun second = cli("list", "--page", "2", "--page-size", "2");
        CliRun json = cli("list", "--page-size", "4", "--json");

        assertThat(second.out())
                .contains("100000000000000002", "100000000000000003", "page 2 of 3 (5 guilds with settings)")
                .doesNotContain("100000000000000001");
        assertThat(json.out())
                .startsWith("{\"page\":1,\"pages\":2,\"total\":5,\"guilds\":[{\"guild_id\":\"100000000000000000\"");
        assertThat(cli("list", "--page-size", "0").exitCode()).isEqualTo(Cli.VALIDATION);
    }

    @Test
    void migrateListsPendingStepsOnADryRunThenAppliesThem() throws Exception {
        sql(
                "CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)",
                "INSERT INTO guild_config VALUES ('" + GUILD + "', '" + CHANNEL + "')");
        byte[] before = Files.readAllBytes(folder.resolve("bot.db"));

        CliRun dryRun = cli("migrate", "--dry-run");

        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out())
                .contains(
                        "Pending ",
                        "add column guild_config.flags_channel_id TEXT",
                        "Nothing was changed (--dry-run).");
        assertThat(Files.readAllBytes(folder.resolve("bot.db"))).isEqualTo(before);

        CliRun apply = cli("migrate");
        assertThat(apply.out()).contains("Applied ", "create table configstore_changes");
        assertThat(cli("migrate").out()).contains("is current (version " + SqliteConfigStore.SCHEMA_VERSION + ")");
        assertThat(cli("logging", "get", GUILD).out()).contains(CHANNEL + "  database");
    }

    @Test
    void doctorAndADryRunLeaveTheFileAndItsFolderAsTheyWere() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        sql("DROP TRIGGER configstore_kv_updated");
        Map<String, String> before = listing(folder);

        CliRun doctor = cli("doctor");
        CliRun dryRun = cli("migrate", "--dry-run");

        assertThat(doctor.exitCode()).isEqualTo(Cli.STORE);
        assertThat(doctor.out()).contains("journal mode  ok       wal", "1 pending migration step");
        assertThat(dryRun.out()).contains("Pending 1 step");
        assertThat(listing(folder)).isEqualTo(before);
    }

    @Test
    void doctorAndADryRunOnACopyWithItsWriteAheadLogChangeNeither() throws Exception {
        Path live = folder.resolve("live/bot.db");
        Path copy = folder.resolve("copy/bot.db");
        Files.createDirectories(copy.getParent());
        try (SqliteConfigStore store = SqliteConfigStore.open(live)) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            Files.copy(live, copy);
            Files.copy(live.resolveSibling("bot.db-wal"), copy.resolveSibling("bot.db-wal"));
        }
        byte[] database = Files.readAllBytes(copy);
        byte[] log = Files.readAllBytes(copy.resolveSibling("bot.db-wal"));

        CliRun doctor = CliRun.run("--db", copy.toString(), "doctor");
        CliRun dryRun = CliRun.run("--db", copy.toString(), "migrate", "--dry-run");

        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        assertThat(doctor.out()).contains("1 entry (1 to 1)");
        assertThat(dryRun.out()).contains("is current");
        assertThat(Files.readAllBytes(copy)).isEqualTo(database);
        assertThat(Files.readAllBytes(copy.resolveSibling("bot.db-wal"))).isEqualTo(log);
    }

    @Test
    void doctorExplainsAFileThatIsNotADatabaseInOneLine() throws Exception {
        Files.writeString(folder.resolve("bot.db"), "not a database at all\n".repeat(100), StandardCharsets.UTF_8);

        CliRun doctor = cli("doctor");

        assertThat(doctor.exitCode()).isEqualTo(Cli.STORE);
        assertThat(doctor.out())
                .contains("database  PROBLEM  The file " + folder.resolve("bot.db")
                        + " is not a SQLite database or is damaged")
                .contains("Restore it from a backup")
                .doesNotContain("SQLiteException", "[SQLITE_");
    }

    /** Every file in a folder with a digest of its content. */
    private static Map<String, String> listing(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(folder)) {
            for (Path path : paths.toList()) {
                files.put(
                        path.getFileName().toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
            }
        }
        return files;
    }

    @Test
    void doctorReportsAHealthyFileAndAMissingTrigger() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);

        CliRun healthy = cli("doctor");
        assertThat(healthy.exitCode()).isZero();
        assertThat(healthy.out())
                .contains(
                        "integrity     ok",
                        "schema        ok      version " + SqliteConfigStore.SCHEMA_VERSION,
                        "No problems found.");

        sql("DROP TRIGGER configstore_kv_updated");
        CliRun sick = cli("doctor", "--json");
        assertThat(sick.exitCode()).isEqualTo(Cli.STORE);
        assertThat(sick.out()).startsWith("{\"healthy\":false").contains("8 of 9 triggers");

        assertThat(cli("doctor").out()).contains("PROBLEM", "create trigger configstore_kv_updated");
        assertThat(CliRun.run("--db", folder.resolve("none.db").toString(), "doctor")
                        .exitCode())
                .isEqualTo(Cli.STORE);
    }

    @Test
    void doctorReportsAndMigrateRestoresARenamedOrDroppedKeyValueColumnAndATrigger() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        sql(
                "INSERT INTO configstore_kv (namespace, key, value, version, updated_at_s)"
                        + " VALUES ('welcome', 'greeting', 'hello', 1, 0)",
                "DROP TRIGGER configstore_kv_inserted",
                "ALTER TABLE configstore_kv RENAME COLUMN value TO val",
                "ALTER TABLE configstore_kv DROP COLUMN updated_at_s");

        CliRun doctor = cli("doctor");
        assertThat(doctor.exitCode()).as(doctor.out()).isEqualTo(Cli.STORE);
        assertThat(doctor.out())
                .contains(
                        "schema        PROBLEM",
                        "rename column configstore_kv.val back to value",
                        "add column configstore_kv.updated_at_s",
                        "create trigger configstore_kv_inserted");

        CliRun migrate = cli("migrate");
        assertThat(migrate.exitCode()).as(migrate.out()).isZero();
        assertThat(migrate.out()).contains("Applied 3 steps", "rename column configstore_kv.val back to value");
        assertThat(cli("doctor").exitCode()).isZero();
        assertThat(cli("migrate").out()).contains("nothing to do");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT value, updated_at_s FROM configstore_kv")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("hello");
            assertThat(row.getLong(2)).isZero();
        }
    }

    @Test
    void exportThenImportIntoAnotherDatabaseRoundTrips() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        cli("flags", "set-silent-days", "223456789012345678", "30");
        Path exported = folder.resolve("settings.jsonl");

        assertThat(cli("export", "--output", exported.toString()).out()).contains("Exported 2 guilds");
        CliRun imported = CliRun.run("--db", folder.resolve("other.db").toString(), "import", exported.toString());

        assertThat(imported.exitCode()).isZero();
        assertThat(imported.out()).contains("Imported 2 guilds");
        assertThat(CliRun.run("--db", folder.resolve("other.db").toString(), "export")
                        .out())
                .isEqualTo(Files.readString(exported));
    }

    @Test
    void exportToAFileReportsInJsonWhenAskedAndRefusesAFolderThatDoesNotExist() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Path exported = folder.resolve("settings.jsonl");

        CliRun json = cli("export", "--output", exported.toString(), "--json");
        CliRun missing = CliRun.run(
                "--db", folder.resolve("fresh/none.db").toString(), "export", "--output", "missing/dir/settings.jsonl");

        assertThat(json.exitCode()).isZero();
        assertThat(json.out().strip()).isEqualTo("{\"exported\":1,\"output\":\"" + exported + "\"}");
        assertThat(exported).content().contains(CHANNEL);
        assertThat(missing.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(missing.err().strip())
                .startsWith("configstore: cannot write the export to missing/dir/settings.jsonl: the folder ")
                .endsWith("does not exist. Create it, or choose another path.")
                .doesNotContain("\n");
        assertThat(folder.resolve("fresh")).doesNotExist();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("bot.db", "settings.jsonl");
        }
    }

    @Test
    void exportRefusesAFifoAndLeavesItAPipe() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Path fifo = folder.resolve("pipe");
        run("mkfifo", fifo.toString());

        CliRun run = cli("export", "--output", fifo.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
        assertThat(run.out()).doesNotContain("Exported");
        assertThat(run.err().strip())
                .isEqualTo("configstore: cannot write the export to " + fifo + ": it is a named pipe (FIFO), not a"
                        + " regular file, and configstore will not replace it. Give the path of a regular file, or"
                        + " leave out --output and redirect the output.");
        assertThat(fileType(fifo)).isEqualTo("fifo");
        assertThat(filesIn(folder)).containsExactlyInAnyOrder("bot.db", "pipe");
    }

    @Test
    void exportRefusesADeviceNodeAndLeavesItADevice() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        // A node of the same device as /dev/null, made in the test's own folder: nothing is ever
        // written to the system's nodes.
        Path device = folder.resolve("null-device");
        Assumptions.assumeTrue(
                new ProcessBuilder("mknod", device.toString(), "c", "1", "3")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0,
                "mknod needs root");

        CliRun run = cli("export", "--output", device.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err()).contains("it is a character device, not a regular file");
        assertThat(fileType(device)).isEqualTo("character special file");
    }

    @Test
    void exportThroughASymbolicLinkWritesTheFileItPointsToAndKeepsTheLink() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Files.createDirectory(folder.resolve("real"));
        Path target = folder.resolve("real/settings.jsonl");
        Files.writeString(target, "old\n");
        Path link = Files.createSymbolicLink(folder.resolve("link.jsonl"), Path.of("real/settings.jsonl"));
        Path dangling = Files.createSymbolicLink(folder.resolve("new.jsonl"), Path.of("real/new.jsonl"));
        Path toFifo = Files.createSymbolicLink(folder.resolve("to-pipe"), folder.resolve("pipe"));
        run("mkfifo", folder.resolve("pipe").toString());

        CliRun throughLink = cli("export", "--output", link.toString());
        CliRun throughDangling = cli("export", "--output", dangling.toString());
        CliRun throughLinkToFifo = cli("export", "--output", toFifo.toString());

        assertThat(throughLink.exitCode()).as(throughLink.err()).isZero();
        assertThat(throughLink.out()).contains("Exported 1 guild to " + link);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).content().contains(CHANNEL).doesNotContain("old");
        assertThat(throughDangling.exitCode()).as(throughDangling.err()).isZero();
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(folder.resolve("real/new.jsonl")).content().contains(CHANNEL);
        assertThat(throughLinkToFifo.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(throughLinkToFifo.err())
                .contains(folder.resolve("pipe").toRealPath() + " is a named pipe (FIFO), not a regular file");
        assertThat(Files.isSymbolicLink(toFifo)).isTrue();
        assertThat(fileType(folder.resolve("pipe"))).isEqualTo("fifo");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
    }

    /** The file's type as stat(1) names it, without following a link. */
    private static String fileType(Path file) throws Exception {
        Process process = new ProcessBuilder("stat", "-c", "%F", file.toString()).start();
        String type = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).isZero();
        return type;
    }

    private static List<String> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    @Test
    void anImportLineGivingAFieldTwiceIsRefusedNamingTheFieldAndTheLine() throws Exception {
        Path input = folder.resolve("twice.jsonl");
        Files.writeString(
                input,
                String.join(
                        "\n",
                        "{\"guild_id\":\"111111111111111111\",\"logging_channel_id\":\"" + CHANNEL + "\"}",
                        "{\"guild_id\":\"222222222222222222\",\"guild_id\":\"333333333333333333\"}"));

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err())
                .contains("has 1 problem; nothing was imported")
                .contains("line 2: field \"guild_id\" is given more than once; give each field once");
        assertThat(cli("list").out()).contains("0 guilds with settings");
    }

    @Test
    void anImportFileThatIsNotUtf8IsAValidationErrorSayingWhere() throws Exception {
        Path input = folder.resolve("latin1.jsonl");
        byte[] first = "{\"guild_id\":\"111111111111111111\"}\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "{\"guild_id\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[first.length + second.length];
        System.arraycopy(first, 0, bytes, 0, first.length);
        System.arraycopy(second, 0, bytes, first.length, second.length);
        Files.write(input, bytes);

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err().strip())
                .isEqualTo("configstore: the import file " + input + " is not UTF-8 text: line 2 has the byte 0xE9,"
                        + " which is not valid UTF-8 there (byte 17 of the line, " + (first.length + 17)
                        + " of the file); nothing was imported. Save the file as UTF-8, then import it again.");
        assertThat(folder.resolve("bot.db")).doesNotExist();
    }

    @Test
    void anImportLineWithAnythingAfterItsJsonObjectIsRefused() throws Exception {
        Path input = folder.resolve("two.jsonl");
        Files.writeString(
                input,
                String.join(
                        "\n",
                        "{\"guild_id\":\"111111111111111111\"}{\"guild_id\":\"222222222222222222\"}",
                        "{\"guild_id\":\"333333333333333333\",\"logging_channel_id\":\"" + CHANNEL + "\"} junk",
                        "{\"guild_id\":\"444444444444444444\",\"logging_channel_id\":\"" + CHANNEL + "\"}"));

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err())
                .contains("has 2 problems; nothing was imported")
                .contains("line 1: text after the JSON object; write one guild per line")
                .contains("line 2: text after the JSON object; write one guild per line");
        assertThat(cli("list").out()).contains("0 guilds with settings");
    }

    @Test
    void anImportWithAnyInvalidRowWritesNothingAndListsEveryProblem() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Path input = folder.resolve("bad.jsonl");
        Files.writeString(
                input,
                String.join(
                        "\n",
                        "{\"guild_id\":\"111111111111111111\",\"logging_channel_id\":\"222222222222222222\"}",
                        "{\"guild_id\":\"0123\"}",
                        "{\"guild_id\":\"333333333333333333\",\"silent_first_msg_days\":366}",
                        "not json",
                        "{\"guild_id\":\"444444444444444444\",\"colour\":\"blue\"}",
                        "{\"guild_id\":\"111111111111111111\"}",
                        "{\"guild_id\":\"" + GUILD + "\",\"logging_channel_id\":null}"));

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err())
                .contains("has 5 problems; nothing was imported")
                .contains("line 2: guild_id must be a snowflake")
                .contains("line 3: silent_first_msg_days must be a whole number from 7 to 365, got 366")
                .contains("line 4: not JSON")
                .contains("line 5: unknown field \"colour\"")
                .contains("line 6: guild 111111111111111111 is listed again (first on line 1)");
        assertThat(cli("list").out()).contains("1 guild with settings").contains(CHANNEL);
    }

    @Test
    void cacheClearDropsAGuildsEntriesInARunningBotThatHasNotSeenAChange() throws Exception {
        String other = "223456789012345678";
        cli("logging", "set", GUILD, CHANNEL);
        cli("logging", "set", other, CHANNEL);
        try (SqliteConfigStore bot = SqliteConfigStore.open(Path.of(db()))) {
            assertThat(bot.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            assertThat(bot.loggingStore().getLoggingChannelId(other)).contains(CHANNEL);
            // Changed behind the bot's back: the change-log entry names a table no store follows.
            sql(
                    "BEGIN",
                    "UPDATE guild_config SET logging_channel_id = '111111111111111111'",
                    "UPDATE configstore_changes SET table_name = 'elsewhere'",
                    "COMMIT");
            assertThat(bot.loggingStore().getLoggingChannelId(GUILD))
                    .as("stale")
                    .contains(CHANNEL);

            CliRun run = cli("cache", "clear", "--guild", GUILD, "--by", "alice");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("guild " + GUILD, "asked by alice");
            Await.until(
                    "the bot to apply the clear", () -> bot.changeFeedStats().cacheClears() == 1);
            assertThat(bot.loggingStore().getLoggingChannelId(GUILD)).contains("111111111111111111");
            assertThat(bot.loggingStore().getLoggingChannelId(other))
                    .as("another guild stays cached")
                    .contains(CHANNEL);
            assertThat(bot.changeFeedStats().cacheClears()).isEqualTo(1);
        }
    }

    @Test
    void whoeverTheToolCanRecordAsMakingAChangeCanAlsoAskForAClear() {
        String who = "os:" + "a".repeat(197);

        CliRun set = cli("logging", "set", GUILD, CHANNEL, "--by", who);
        CliRun clear = cli("cache", "clear", "--by", who);

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(clear.exitCode()).as(clear.err()).isZero();
        assertThat(clear.out()).contains("asked by " + who);
    }

    @Test
    void cacheClearRefusesAGuildAndANamespaceTogether() {
        CliRun run = cli("cache", "clear", "--guild", GUILD, "--namespace", "welcome");

        assertThat(run.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err()).contains("--guild and --namespace cannot be used together");
    }

    @Test
    void statsCountsWhatTheDatabaseHolds() {
        cli("logging", "set", GUILD, CHANNEL);

        CliRun stats = cli("stats", "--json");

        assertThat(stats.exitCode()).isZero();
        assertThat(stats.out()).contains("\"guilds_with_settings\":1", "\"guild_rows\":1", "\"change_log_entries\":1");
    }

    @Test
    void watchPrintsAChangeMadeByAnotherProgram() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        CountDownLatch watching = new CountDownLatch(1);
        StringWriter output = new StringWriter();
        Writer signalling = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                output.write(buffer, offset, length);
                if (output.toString().contains("Watching ")) {
                    watching.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Future<Integer> watch = threads.submit(() -> Cli.run(
                new String[] {"--db", db(), "watch", "--count", "1"},
                new PrintWriter(signalling),
                new PrintWriter(new StringWriter()),
                Map.of()));
        assertThat(watching.await(30, TimeUnit.SECONDS)).isTrue();

        sql("UPDATE guild_config SET silent_first_msg_days = 21");

        assertThat(watch.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(output.toString())
                .contains("guild " + GUILD + ": logging " + CHANNEL + ", flags (none), silent days 21");
    }

    @Test
    void watchWithoutACountRunsUntilInterruptedAndPrintsEveryChange() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Watch watch = Watch.start(db());
        watch.awaitOutput("Watching ");

        sql("UPDATE guild_config SET silent_first_msg_days = 21");
        watch.awaitOutput("silent days 21");
        sql("UPDATE guild_config SET silent_first_msg_days = 22");
        watch.awaitOutput("silent days 22");

        assertThat(watch.thread.isAlive())
                .as("still watching after two changes")
                .isTrue();
        assertThat(watch.stop()).isZero();
        assertThat(watch.output())
                .contains("guild " + GUILD + ": logging " + CHANNEL + ", flags (none), silent days 21")
                .contains("guild " + GUILD + ": logging " + CHANNEL + ", flags (none), silent days 22");
    }

    @Test
    void watchReportsPossiblyMissedChangesAsJson() throws Exception {
        cli("logging", "set", GUILD, CHANNEL);
        Watch watch = Watch.start(db(), "--json");
        watch.awaitOutput("\"watching\"");
        // A change committed together with the emptying of the change log: the watch can only
        // report it as changes it may have missed.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("UPDATE guild_config SET silent_first_msg_days = 30");
            statement.execute("DELETE FROM configstore_changes");
            connection.commit();
        }
        watch.awaitOutput("all_changed");

        assertThat(watch.stop()).isZero();
        assertThat(watch.output().lines())
                .hasSize(2)
                .satisfiesExactly(
                        first -> assertThat(first).matches("\\{\"at\":\"[^\"]+\",\"watching\":\"[^\"]+bot.db\"\\}"),
                        second -> assertThat(second).matches("\\{\"at\":\"[^\"]+\",\"all_changed\":true\\}"));
    }

    /** The tool's {@code watch} running on a thread of the test, its output collected. */
    record Watch(Thread thread, StringBuilder out, AtomicInteger exitCode) {

        static Watch start(String db, String... options) {
            StringBuilder out = new StringBuilder();
            AtomicInteger exitCode = new AtomicInteger(-1);
            Writer collecting = new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    synchronized (out) {
                        out.append(buffer, offset, length);
                        out.notifyAll();
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            List<String> args = new ArrayList<>(List.of("--db", db, "watch"));
            args.addAll(List.of(options));
            Thread thread = new Thread(() -> exitCode.set(Cli.run(
                    args.toArray(String[]::new),
                    new PrintWriter(collecting),
                    new PrintWriter(new StringWriter()),
                    Map.of())));
            thread.start();
            return new Watch(thread, out, exitCode);
        }

        String output() {
            synchronized (out) {
                return out.toString();
            }
        }

        /** Waits, at most 30 seconds, until the watch has printed {@code text}. */
        void awaitOutput(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (out) {
                while (out.indexOf(text) < 0) {
                    long left = deadline - System.nanoTime();
                    assertThat(left)
                            .as("printed \"%s\" within 30 s; printed: %s", text, out)
                            .isPositive();
                    TimeUnit.NANOSECONDS.timedWait(out, left);
                }
            }
        }

        /** Interrupts the watch, as its shutdown hook does on Ctrl-C, and returns its exit code. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("stopped when interrupted").isFalse();
            return exitCode.get();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void watchWithACountBelowOneIsAUsageErrorAndOpensNothing(String count) throws Exception {
        // In a thread of its own: a count that was taken would watch until interrupted.
        CliRun run = threads.submit(() -> cli("watch", "--count", count)).get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.USAGE);
        assertThat(run.err())
                .startsWith("configstore: --count must be at least 1, got " + count
                        + "; leave it out to watch until interrupted (Ctrl-C)")
                .contains("Run 'configstore watch --help' for usage.");
        assertThat(filesIn(folder)).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun bare = CliRun.run();
        CliRun optionsOnly = CliRun.run("--json");

        for (CliRun run : List.of(bare, optionsOnly)) {
            assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err())
                    .startsWith("configstore: Missing required subcommand")
                    .contains("configstore --help");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "logging",
                "logging set",
                "flags",
                "flags set-silent-days",
                "show",
                "list",
                "migrate",
                "doctor",
                "export",
                "import",
                "watch",
                "stats"
            })
    void everyCommandHasHelpWithAnExample(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        CliRun help = CliRun.run(args);

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: configstore").containsPattern("Examples?:");
    }

    @Test
    void verboseShowsWhereAFailureHappened() {
        CliRun quiet = cli("--no-create", "show", GUILD);
        CliRun verbose = cli("--no-create", "--verbose", "show", GUILD);

        assertThat(quiet.err()).doesNotContain("\tat ");
        assertThat(verbose.err()).contains("\tat dev.configstore");
    }

    private DeclaredSettingsCli declared() {
        return new DeclaredSettingsCli(this::cli, () -> SqliteConfigStore.open(Path.of(db())));
    }

    @Test
    void historyShowsWhoChangedWhatNewestFirst() throws Exception {
        declared().historyShowsWhoChangedWhatNewestFirst();
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
    void exportThenImportIntoAnEmptyDatabaseRoundTripsByteForByte() throws Exception {
        String other = folder.resolve("empty.db").toString();
        declared()
                .exportThenImportIntoAnEmptyDatabaseRoundTripsByteForByte(
                        args -> {
                            String[] all = new String[args.length + 2];
                            all[0] = "--db";
                            all[1] = other;
                            System.arraycopy(args, 0, all, 2, args.length);
                            return CliRun.run(all);
                        },
                        folder);
    }

    @Test
    void forgetRemovesEveryValueOfAGuildOnlyWithYes() throws Exception {
        declared().forgetRemovesEveryValueOfAGuildOnlyWithYes();
    }

    @Test
    void watchPrintsChangesToDeclaredSettings() throws Exception {
        declared().declare();
        declared().watchPrintsDeclaredSettingChanges(Watch.start(db()));
    }

    @Test
    void anImportWithABadDeclarationOrValueLineWritesNothing() throws Exception {
        Path input = folder.resolve("bad.jsonl");
        Files.writeString(
                input,
                String.join(
                        "\n",
                        "{\"guild_id\":\"" + GUILD + "\",\"logging_channel_id\":\"" + CHANNEL + "\"}",
                        "{\"application\":\"bot\",\"version\":1,\"settings\":[{\"key\":\"volume\",\"type\":\"int\","
                                + "\"scopes\":\"guild\",\"rules\":[\"length(1,2)\"],\"custom_rules\":[],\"default\":null,"
                                + "\"environment\":null,\"description\":\"\"}]}",
                        "{\"scope\":\"server\",\"guild_id\":\"" + GUILD + "\",\"channel_id\":null,\"key\":\"prefix\","
                                + "\"value\":\"?\"}",
                        "{\"scope\":\"channel\",\"guild_id\":\"" + GUILD + "\",\"channel_id\":null,\"key\":\"prefix\","
                                + "\"value\":\"?\"}",
                        "{\"scope\":\"guild\",\"guild_id\":\"" + GUILD + "\",\"channel_id\":null,\"key\":\"prefix\","
                                + "\"value\":\"?\",\"extra\":1}"));

        CliRun run = cli("import", input.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(Cli.VALIDATION);
        assertThat(run.err())
                .contains("has 4 problems; nothing was imported")
                .contains("line 2: the declaration of volume cannot be read")
                .contains("line 3: scope must be global, guild or channel, got \"server\"")
                .contains("line 4: ")
                .contains("line 5: unknown field \"extra\" of a stored value");
        assertThat(cli("export").out()).isEmpty();
    }
}
