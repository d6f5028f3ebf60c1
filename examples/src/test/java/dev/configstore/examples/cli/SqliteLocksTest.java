package dev.configstore.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.sqlite.SqliteConfigStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's locks are POSIX locks, which belong to the process: closing any descriptor of the
 * database file drops every lock the process's connections hold on it. Then a {@code sqlite3}
 * shell that exits takes itself for the file's last user and deletes the write-ahead log under
 * the open store, which refuses every write after. Commands print the database's name while their
 * store has the file open ({@code watch}, the dashboard), so naming it must not open the file.
 */
class SqliteLocksTest {

    @TempDir
    Path folder;

    @Test
    void namingTheDatabaseWhileAStoreHasItOpenLeavesSqlitesLocksInPlace() throws Exception {
        Path db = folder.resolve("bot.db");
        StringWriter ignored = new StringWriter();
        Root root = new Root(new PrintWriter(ignored), new PrintWriter(ignored), Map.of());
        root.db = db.toString();
        try (SqliteConfigStore store = SqliteConfigStore.open(root.file())) {
            store.keyValueStore("prefs").put("lang", "de");

            assertThat(root.shownDatabase()).isEqualTo(db.toAbsolutePath().toString());
            assertThat(root.file()).isEqualTo(db);
            assertThat(Databases.shown(db.toString(), "configstore"))
                    .isEqualTo(db.toAbsolutePath().toString());

            Process shell = new ProcessBuilder(
                            "sqlite3", "-cmd", ".timeout 5000", db.toString(), "UPDATE configstore_kv SET value = 'fr'")
                    .redirectErrorStream(true)
                    .start();
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(shell.exitValue())
                    .as(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();

            assertThat(Files.exists(Path.of(db + "-wal")))
                    .as("the write-ahead log, still in place")
                    .isTrue();
            store.keyValueStore("prefs").put("lang", "en");
            assertThat(store.keyValueStore("prefs").get("lang")).contains("en");
        }
    }
}
