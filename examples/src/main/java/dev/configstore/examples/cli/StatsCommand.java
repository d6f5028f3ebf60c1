package dev.configstore.examples.cli;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code configstore stats}. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Counts what the database holds: guilds, key-value entries by namespace, change-log entries.",
        footer = {"", "Example:", "  configstore stats --json"})
final class StatsCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Override
    public Integer call() throws IOException, SQLException {
        Map<String, Object> stats = new LinkedHashMap<>();
        try (ConfigStore store = root.openForReading()) {
            String prefix = "";
            if (root.server()) {
                stats.put("database", root.shownDatabase());
                prefix = root.tablePrefix();
            } else {
                stats.put("file", root.file().toAbsolutePath().toString());
                stats.put("file_bytes", Files.size(root.file()));
            }
            stats.put("guilds_with_settings", store.guildCount());
            try (Connection connection = root.server()
                    ? DriverManager.getConnection(root.db)
                    : SqliteConfigStore.openReadOnlyConnection(root.file())) {
                stats.put("guild_rows", count(connection, "SELECT COUNT(*) FROM " + prefix + "guild_config"));
                Map<String, Object> namespaces = new LinkedHashMap<>();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT namespace, COUNT(*) FROM " + prefix
                                + "configstore_kv WHERE value IS NOT NULL GROUP BY namespace ORDER BY namespace")) {
                    while (rows.next()) {
                        namespaces.put(rows.getString(1), rows.getLong(2));
                    }
                }
                stats.put("key_value_entries", namespaces);
                stats.put(
                        "change_log_entries",
                        count(connection, "SELECT COUNT(*) FROM " + prefix + "configstore_changes"));
            }
        }
        if (root.json) {
            root.printJson(stats);
        } else {
            Table table = new Table("WHAT", "COUNT");
            if (root.server()) {
                table.row("database", String.valueOf(stats.get("database")));
            } else {
                table.row("file", stats.get("file") + " (" + stats.get("file_bytes") + " bytes)");
            }
            table.row("guilds with settings", String.valueOf(stats.get("guilds_with_settings")));
            table.row("guild rows", String.valueOf(stats.get("guild_rows")));
            @SuppressWarnings("unchecked")
            Map<String, Object> namespaces = (Map<String, Object>) stats.get("key_value_entries");
            if (namespaces.isEmpty()) {
                table.row("key-value entries", "0");
            }
            namespaces.forEach(
                    (namespace, count) -> table.row("key-value entries in " + namespace, String.valueOf(count)));
            table.row("change-log entries", String.valueOf(stats.get("change_log_entries")));
            table.print(root.out);
        }
        return Cli.OK;
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }
}
