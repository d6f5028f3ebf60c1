package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What an operator filters on: configstore logs under one logger per concern (listed in
 * docs/index.md), never under the names of its classes. The tests' SLF4J backend (slf4j-simple)
 * writes each message with its logger's name to {@code System.err}, read here.
 */
class LoggerNamesTest {

    private static final String GUILD = "100000000000000001";
    private static final String CHANNEL = "200000000000000001";

    @Test
    void openingAStoreAndChangingASettingLogUnderTheDocumentedLoggers() {
        Path file = TestDatabases.newFile();
        String logged = capturingStandardError(() -> {
            try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
                store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            }
        });

        assertThat(logged)
                .contains("INFO dev.configstore.database - configstore-sqlite " + file + ": opened")
                .contains("INFO dev.configstore.changes - ")
                .contains("guild " + GUILD);
        assertThat(logged.lines().filter(line -> line.contains(" dev.configstore.")))
                .as("configstore's log lines")
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line)
                        .containsPattern(" dev\\.configstore\\.(cache|changes|settings|feed|database|migrations) - "));
    }

    private static String capturingStandardError(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
