package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.sqlite.SqliteConfigStore;
import dev.configstore.testkit.ReadOnlyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool, {@code examples/target/configstore.jar}, run as its own process the way the
 * README says, in a fresh folder: exit codes and messages as a user sees them.
 */
class CliJarIT {

    private static final String GUILD = "123456789012345678";

    @TempDir
    Path folder;

    private record Result(int exitCode, String out, String err) {}

    private Result run(String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("configstore.cli.jar", "target/configstore.jar");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(args));
        Path out = folder.resolve("out.txt");
        Path err = folder.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        int code = process.waitFor();
        return new Result(
                code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmesRunCommandStoresASettingThatShowThenShows() throws Exception {
        Result set = run("logging", "set", GUILD, "987654321098765432");
        Result show = run("show", GUILD);

        assertThat(set.exitCode()).isZero();
        assertThat(folder.resolve("configstore.db")).isRegularFile();
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("logging channel         987654321098765432  database");
        assertThat(show.err()).isEmpty();
    }

    @Test
    void badInputGetsOneLineAndTheDocumentedExitCode() throws Exception {
        Result badId = run("logging", "set", "12345678901234567890123", "1");
        Result badChannel = run("flags", "set-channel", GUILD, "0123");
        Result badIdNoCreate = run("--no-create", "logging", "set", "0123", "1");
        Result sixDays = run("flags", "set-silent-days", GUILD, "6");
        Result badDays = run("flags", "set-silent-days", GUILD, "366");
        Result usage = run("logging", "sett");
        Result noCommand = run();
        Result missing = run("--db", "missing.db", "--no-create", "show", GUILD);
        Files.writeString(folder.resolve("corrupt.db"), "garbage ".repeat(1000));
        Result corrupt = run("--db", "corrupt.db", "show", GUILD);

        assertThat(badId.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(badId, "configstore: guildId must be a Discord snowflake");
        assertThat(badId.err()).contains("larger than");
        assertThat(badChannel.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(badChannel, "configstore: channelId must be a Discord snowflake");
        assertThat(badIdNoCreate.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(badIdNoCreate, "configstore: guildId must be a Discord snowflake");
        assertThat(sixDays.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(sixDays, "configstore: Silent days threshold must be between 7 and 365 days, got 6");
        assertThat(badDays.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(badDays, "configstore: Silent days threshold must be between 7 and 365 days, got 366");
        assertThat(folder.resolve("configstore.db"))
                .as("a bad argument creates no database")
                .doesNotExist();
        assertThat(usage.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(noCommand.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(noCommand.out()).isEmpty();
        assertThat(noCommand.err()).contains("Missing required subcommand");
        assertThat(missing.exitCode()).isEqualTo(Cli.STORE);
        assertOneLine(missing, "configstore: The database ");
        assertThat(missing.err()).contains("missing.db does not exist");
        assertThat(corrupt.exitCode()).isEqualTo(Cli.VALIDATION);
        assertOneLine(corrupt, "configstore: --db corrupt.db is not a SQLite database");
        assertThat(folder.resolve("missing.db")).doesNotExist();
    }

    @Test
    void verbosePrintsTheStackTraceThatIsOtherwiseLeftOut() throws Exception {
        Result quiet = run("--db", "missing.db", "--no-create", "show", GUILD);
        Result verbose = run("--db", "missing.db", "--no-create", "--verbose", "show", GUILD);

        assertOneLine(quiet, "configstore: The database ");
        assertThat(verbose.exitCode()).isEqualTo(Cli.STORE);
        assertThat(verbose.err()).startsWith(quiet.err()).contains("\tat dev.configstore.");
    }

    @Test
    void aReadOnlyFileCanBeShownButNotChangedWhileTheBotHasItOpen() throws Exception {
        run("logging", "set", GUILD, "987654321098765432");
        Path file = folder.resolve("configstore.db");
        try (SqliteConfigStore bot = SqliteConfigStore.open(file)) {
            Optional<ReadOnlyFile> made = ReadOnlyFile.make(file);
            Assumptions.assumeTrue(made.isPresent(), "this file system or user cannot make a file read-only");
            try {
                Result set = run("logging", "set", GUILD, "111111111111111111");
                Result show = run("show", GUILD);

                assertThat(set.exitCode()).isEqualTo(Cli.STORE);
                assertOneLine(set, "configstore: The database ");
                assertThat(set.err()).contains("is read-only for this process");
                assertThat(show.exitCode()).as(show.err()).isZero();
                assertThat(show.err()).isEmpty();
                assertThat(show.out()).contains("logging channel         987654321098765432  database");
            } finally {
                made.get().close();
            }
            assertThat(bot.loggingStore().getLoggingChannelId(GUILD)).contains("987654321098765432");
        }
        Result alone = run("show", GUILD);
        assertThat(alone.exitCode()).isZero();
    }

    @Test
    void aReadOnlyFileNoProcessHasOpenIsRefusedInOneLine() throws Exception {
        run("logging", "set", GUILD, "987654321098765432");
        Path file = folder.resolve("configstore.db");
        Optional<ReadOnlyFile> made = ReadOnlyFile.make(file);
        Assumptions.assumeTrue(made.isPresent(), "this file system or user cannot make a file read-only");
        try {
            Result set = run("logging", "set", GUILD, "111111111111111111");
            Result show = run("show", GUILD);

            assertThat(set.exitCode()).isEqualTo(Cli.STORE);
            assertOneLine(set, "configstore: The database ");
            assertThat(show.exitCode()).isEqualTo(Cli.STORE);
            assertOneLine(show, "configstore: The database ");
            assertThat(show.err()).contains("no process has it open");
            assertThat(folder.resolve("configstore.db-wal")).doesNotExist();
            assertThat(folder.resolve("configstore.db-shm")).doesNotExist();
        } finally {
            made.get().close();
        }
    }

    /** The error stream holds exactly one line, starting with {@code start}: no stack trace. */
    private static void assertOneLine(Result result, String start) {
        assertThat(result.err()).startsWith(start).endsWith(System.lineSeparator());
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void helpAndVersionWork() throws Exception {
        Result help = run("--help");
        Result version = run("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Commands:", "logging", "doctor", "Exit codes");
        assertThat(version.out()).startsWith("configstore 0.1.0");
    }
}
