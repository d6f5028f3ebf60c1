package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.StoreException;
import dev.configstore.jdbc.Actor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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

    @Test
    void everyCommittedChangeIsLoggedOnceWithWhoMadeItAndAFailedOneNotAtAll() {
        Path file = TestDatabases.newFile();
        String logged = capturingStandardError(() -> {
            try (SqliteConfigStore store =
                    SqliteConfigStore.builder(file).defaultActor("bot").build()) {
                Actor.run("discord:42", () -> store.keyValueStore("prefs").put("lang", "de"));
                store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
                sql(file, "ALTER TABLE configstore_audit RENAME TO configstore_audit_away");
                assertThatThrownBy(() -> store.keyValueStore("prefs").put("lang", "fr"))
                        .isInstanceOf(StoreException.class);
                sql(file, "ALTER TABLE configstore_audit_away RENAME TO configstore_audit");
                store.keyValueStore("prefs").put("lang", "de"); // unchanged: nothing to log
            }
        });

        assertThat(logged.lines().filter(line -> line.contains(" dev.configstore.changes - ")))
                .hasSize(2)
                .satisfiesExactly(
                        line -> assertThat(line)
                                .endsWith(file.getFileName() + ": discord:42 changed key \"lang\" of namespace prefs:"
                                        + " (none) -> \"de\""),
                        line -> assertThat(line)
                                .endsWith(": bot changed setting logging_channel_id of guild " + GUILD
                                        + ": (none) -> \"" + CHANNEL + "\""));
    }

    private static void sql(Path file, String statement) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
