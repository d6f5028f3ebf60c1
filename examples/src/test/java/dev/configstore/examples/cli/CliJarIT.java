package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Result badDays = run("flags", "set-silent-days", GUILD, "366");
        Result usage = run("logging", "sett");
        Result missing = run("--db", "missing.db", "--no-create", "show", GUILD);
        Files.writeString(folder.resolve("corrupt.db"), "garbage ".repeat(1000));
        Result corrupt = run("--db", "corrupt.db", "show", GUILD);

        assertThat(badId.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(badId.err())
                .startsWith("configstore: guildId must be a Discord snowflake")
                .contains("larger than");
        assertThat(badDays.exitCode()).isEqualTo(Cli.VALIDATION);
        assertThat(badDays.err().strip())
                .isEqualTo("configstore: Silent days threshold must be between 7 and 365 days, got 366");
        assertThat(usage.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(missing.exitCode()).isEqualTo(Cli.STORE);
        assertThat(missing.err()).contains("missing.db does not exist");
        assertThat(corrupt.exitCode()).isEqualTo(Cli.STORE);
        assertThat(corrupt.err())
                .contains("is not a SQLite database or is damaged")
                .doesNotContain("\tat ");
        assertThat(folder.resolve("missing.db")).doesNotExist();
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
