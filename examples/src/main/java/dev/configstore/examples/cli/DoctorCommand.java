package dev.configstore.examples.cli;

import dev.configstore.StoreException;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code configstore doctor}: checks a database without changing it. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        header = "Checks the database's health without changing it.",
        description = "Checks the database without changing it: the file, SQLite's integrity check, the journal"
                + " mode, the schema version and pending migrations, and the change log. Exits with 3 if anything"
                + " is wrong.",
        footer = {"", "Example:", "  configstore --db /srv/bot/bot.db doctor"})
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    private record Check(String name, boolean ok, String detail) {}

    @Override
    public Integer call() throws IOException {
        List<Check> checks = new ArrayList<>();
        Path file = root.server() ? Path.of("") : root.file(false).toAbsolutePath();
        if (root.server()) {
            inspectServer(checks);
        } else if (!Files.isRegularFile(file)) {
            checks.add(new Check("file", false, file + " does not exist"));
        } else {
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            checks.add(new Check(
                    "file",
                    true,
                    file + ", " + Files.size(file) + " bytes"
                            + (Files.exists(wal) ? " (+ " + Files.size(wal) + " bytes of write-ahead log)" : "")));
            inspect(file, checks);
        }
        boolean healthy = checks.stream().allMatch(Check::ok);
        if (root.json) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (Check check : checks) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("check", check.name());
                item.put("ok", check.ok());
                item.put("detail", check.detail());
                json.add(item);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("healthy", healthy);
            report.put("checks", json);
            root.printJson(report);
        } else {
            Table table = new Table("CHECK", "STATUS", "DETAIL");
            checks.forEach(check -> table.row(check.name(), check.ok() ? "ok" : "PROBLEM", check.detail()));
            table.print(root.out);
            root.out.println(healthy ? "No problems found." : "Problems found; see the lines marked PROBLEM.");
        }
        return healthy ? Cli.OK : Cli.STORE;
    }

    private static void inspect(Path file, List<Check> checks) throws IOException {
        List<String> pending;
        try {
            // Refuses, with a message that says what to do, a file that is not a database or is damaged.
            pending = SqliteConfigStore.pendingMigrations(file);
        } catch (StoreException e) {
            checks.add(new Check("database", false, String.valueOf(e.getMessage())));
            return;
        }
        try (Connection connection = SqliteConfigStore.openReadOnlyConnection(file)) {
            String integrity = single(connection, "PRAGMA integrity_check");
            checks.add(new Check(
                    "integrity", "ok".equals(integrity), "ok".equals(integrity) ? "integrity_check: ok" : integrity));
            boolean wal = isWal(file);
            checks.add(new Check(
                    "journal mode",
                    wal,
                    wal
                            ? "wal"
                            : "rollback journal; configstore switches the file to WAL when it opens it to write"
                                    + " (run 'migrate')"));
            checks.add(new Check(
                    "pages",
                    true,
                    single(connection, "PRAGMA page_count") + " pages of " + single(connection, "PRAGMA page_size")
                            + " bytes, " + single(connection, "PRAGMA freelist_count") + " free"));
            checks.add(schema(pending, SqliteConfigStore.SCHEMA_VERSION));
            changeLog(connection, checks);
        } catch (SQLException e) {
            checks.add(new Check(
                    "database",
                    false,
                    "could not be read (" + String.valueOf(e.getMessage()).replace('\n', ' ')
                            + "). Retry; if it keeps failing, check the file, its folder and the disk."));
        } catch (StoreException e) {
            checks.add(new Check("database", false, String.valueOf(e.getMessage())));
        }
    }

    /**
     * Whether the file is in WAL mode, from its header (bytes 18 and 19, the file format's write
     * and read versions, are 2 in WAL mode): a connection that reads a file no process has open
     * reads it as immutable and reports a rollback journal whatever the file says.
     */
    private static boolean isWal(Path file) throws IOException {
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(header, 0, header.length) == header.length && header[18] == 2 && header[19] == 2;
        }
    }

    /** The checks on a server's schema: the server answers, the schema is current, the change log. */
    private void inspectServer(List<Check> checks) {
        List<String> pending;
        try {
            pending = root.pendingMigrations();
        } catch (StoreException e) {
            checks.add(new Check("server", false, String.valueOf(e.getMessage())));
            return;
        }
        checks.add(new Check("server", true, root.shownDatabase()));
        checks.add(schema(pending, root.schemaVersion()));
        if (pending.stream()
                .anyMatch(step -> step.startsWith("create table configstore_changes")
                        || step.startsWith("create schema")
                        || step.startsWith("create database"))) {
            checks.add(new Check("change log", false, "missing (run 'migrate')"));
            return;
        }
        try (Connection connection = DriverManager.getConnection(root.db)) {
            String entries = single(connection, "SELECT COUNT(*) FROM " + root.tablePrefix() + "configstore_changes");
            checks.add(new Check("change log", true, entries + ("1".equals(entries) ? " entry" : " entries")));
        } catch (SQLException e) {
            checks.add(new Check(
                    "server",
                    false,
                    "could not be read (" + String.valueOf(e.getMessage()).replace('\n', ' ') + ")"));
        }
    }

    private static Check schema(List<String> pending, int version) {
        return new Check(
                "schema",
                pending.isEmpty(),
                pending.isEmpty()
                        ? "version " + version + ", complete"
                        : pending.size()
                                + (pending.size() == 1 ? " pending migration step" : " pending migration steps")
                                + " (run 'migrate'): "
                                + String.join("; ", pending));
    }

    private static void changeLog(Connection connection, List<Check> checks) throws SQLException {
        if (!"1".equals(single(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'configstore_changes'"))) {
            checks.add(new Check("change log", false, "missing (run 'migrate')"));
            return;
        }
        String entries = single(connection, "SELECT COUNT(*) FROM configstore_changes");
        String range = single(
                connection, "SELECT COALESCE(MIN(seq), 0) || ' to ' || COALESCE(MAX(seq), 0) FROM configstore_changes");
        String triggers = single(
                connection,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'configstore\\_%' ESCAPE '\\'");
        boolean ok = "9".equals(triggers);
        checks.add(new Check(
                "change log",
                ok,
                entries + ("1".equals(entries) ? " entry (" : " entries (") + range + "), " + triggers
                        + " of 9 triggers" + (ok ? "" : "; run 'migrate' to restore them")));
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            return result.next() ? String.valueOf(result.getString(1)) : "";
        }
    }
}
