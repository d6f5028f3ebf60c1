package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The schema, as idempotent steps that each add only what is missing. They all run, in one
 * immediate transaction (two processes starting at once take turns), every time a writable store
 * opens the file, and the schema version is recorded in {@code configstore_schema_version}. An existing bot
 * database is adopted: a {@code guild_config} table with only some of the columns gains the
 * missing ones, and no row or value is changed. A database from a newer configstore is refused
 * before anything is written to it.
 */
final class Migrations {

    /** The schema version this code writes and understands. */
    static final int LATEST = 3;

    static final String VERSION_TABLE = "configstore_schema_version";

    static final String CHANGES_TABLE = "configstore_changes";

    /** The columns of {@code guild_config} and how to add each one to an adopted table. */
    private static final List<String[]> GUILD_COLUMNS = List.of(
            new String[] {"logging_channel_id", "TEXT"},
            new String[] {"flags_channel_id", "TEXT"},
            new String[] {"silent_first_msg_days", "INTEGER"},
            new String[] {"updated_at_s", "INTEGER"},
            // Rows written by other programs start at version 1; configstore's writes go above it.
            new String[] {"version", "INTEGER NOT NULL DEFAULT 1"});

    private Migrations() {}

    /**
     * Before anything is written: refuses a file that is not a database, is damaged, or comes
     * from a newer configstore. Reads only.
     */
    static void checkBeforeOpening(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return;
            }
        } catch (IOException e) {
            throw new StoreException(
                    Reason.UNAVAILABLE, "Cannot read " + file + " (" + e.getMessage() + "). Check its permissions.", e);
        }
        try (Connection connection = SqliteDatabase.readOnlyConnection(file)) {
            try (Statement statement = connection.createStatement();
                    ResultSet check = statement.executeQuery("PRAGMA quick_check(1)")) {
                String result = check.next() ? check.getString(1) : "no result";
                if (!"ok".equals(result)) {
                    throw SqliteErrors.corrupt(file, new SQLException("quick_check: " + result));
                }
            }
            int version = schemaVersion(connection);
            if (version > LATEST) {
                throw newer(file, version);
            }
        } catch (SQLException e) {
            int code = SqliteErrors.primaryCode(e);
            if (code == 11 || code == 26) {
                throw SqliteErrors.corrupt(file, e);
            }
            throw SqliteErrors.translate(e, file, "-", "opening the database", java.time.Duration.ZERO);
        }
    }

    /** Runs the pending steps; returns the version the database had before. */
    static int migrate(Connection connection) throws SQLException {
        int before = schemaVersion(connection);
        if (before > LATEST) {
            throw newer(Path.of(connection.getMetaData().getURL().replaceFirst("^jdbc:sqlite:", "")), before);
        }
        // Every step runs on every open: each adds only what is missing, so a column or table
        // dropped behind configstore's back comes back when the bot restarts.
        try (Statement statement = connection.createStatement()) {
            adoptGuildConfig(connection, statement);
            statement.execute("CREATE TABLE IF NOT EXISTS configstore_kv ("
                    + "namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT, "
                    + "version INTEGER NOT NULL, updated_at_s INTEGER NOT NULL, "
                    + "PRIMARY KEY (namespace, key))");
            createChangeLog(statement);
            if (before < LATEST) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (version INTEGER NOT NULL)");
                statement.execute("DELETE FROM " + VERSION_TABLE);
                statement.execute("INSERT INTO " + VERSION_TABLE + " (version) VALUES (" + LATEST + ")");
            }
        }
        return before;
    }

    /**
     * The change log: every insert, update and delete of {@code guild_config} and {@code
     * configstore_kv}, by any program, adds an entry with a sequence number that never repeats
     * ({@code AUTOINCREMENT}), so that a reader can tell when entries were removed before it
     * read them. An entry carries the row's new version when the writer raised it, else 0.
     */
    private static void createChangeLog(Statement statement) throws SQLException {
        statement.execute(CHANGES_TABLE_SQL);
        for (Map.Entry<String, String> trigger : triggers().entrySet()) {
            statement.execute("CREATE TRIGGER IF NOT EXISTS " + trigger.getKey() + " " + trigger.getValue());
        }
    }

    private static final String CHANGES_TABLE_SQL = "CREATE TABLE IF NOT EXISTS " + CHANGES_TABLE + " ("
            + "seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, namespace TEXT NOT NULL,"
            + " key TEXT NOT NULL, version INTEGER NOT NULL, changed_at_s INTEGER NOT NULL)";

    /** The change log's triggers, by name. */
    static Map<String, String> triggers() {
        String now = "CAST(strftime('%s', 'now') AS INTEGER)";
        String insert = "INSERT INTO " + CHANGES_TABLE + " (table_name, namespace, key, version, changed_at_s)";
        Map<String, String> triggers = new LinkedHashMap<>();
        triggers.put(
                "configstore_guild_config_inserted",
                "AFTER INSERT ON guild_config BEGIN " + insert
                        + " VALUES ('guild_config', '', NEW.guild_id, COALESCE(NEW.version, 0), " + now + "); END");
        triggers.put(
                "configstore_guild_config_updated",
                "AFTER UPDATE ON guild_config BEGIN " + insert + " VALUES ('guild_config', '', NEW.guild_id,"
                        + " CASE WHEN NEW.version > OLD.version THEN NEW.version ELSE 0 END, " + now + "); "
                        + insert + " SELECT 'guild_config', '', OLD.guild_id, 0, " + now
                        + " WHERE OLD.guild_id IS NOT NEW.guild_id; END");
        triggers.put(
                "configstore_guild_config_deleted",
                "AFTER DELETE ON guild_config BEGIN " + insert + " VALUES ('guild_config', '', OLD.guild_id, 0, " + now
                        + "); END");
        triggers.put(
                "configstore_kv_inserted",
                "AFTER INSERT ON configstore_kv BEGIN " + insert
                        + " VALUES ('configstore_kv', NEW.namespace, NEW.key, COALESCE(NEW.version, 0), " + now
                        + "); END");
        triggers.put(
                "configstore_kv_updated",
                "AFTER UPDATE ON configstore_kv BEGIN " + insert + " VALUES ('configstore_kv', NEW.namespace, NEW.key,"
                        + " CASE WHEN NEW.version > OLD.version THEN NEW.version ELSE 0 END, " + now + "); "
                        + insert + " SELECT 'configstore_kv', OLD.namespace, OLD.key, 0, " + now
                        + " WHERE OLD.namespace IS NOT NEW.namespace OR OLD.key IS NOT NEW.key; END");
        triggers.put(
                "configstore_kv_deleted",
                "AFTER DELETE ON configstore_kv BEGIN " + insert + " VALUES ('configstore_kv', OLD.namespace, OLD.key,"
                        + " 0, " + now + "); END");
        return triggers;
    }

    /**
     * Lists, without changing anything, what {@link #migrate} would do to this database.
     *
     * @return one line per step; empty if the schema is complete and current
     */
    static List<String> plan(Connection connection, Path file) throws SQLException {
        int version = schemaVersion(connection);
        if (version > LATEST) {
            throw newer(file, version);
        }
        List<String> steps = new ArrayList<>();
        if (!tableExists(connection, "guild_config")) {
            steps.add("create table guild_config");
        } else {
            Set<String> existing = columns(connection, "guild_config");
            for (String[] column : GUILD_COLUMNS) {
                if (!existing.contains(column[0])) {
                    steps.add("add column guild_config." + column[0] + " " + column[1]);
                }
            }
            if (existing.contains("updated_at") && !existing.contains("updated_at_s")) {
                steps.add("copy guild_config.updated_at to updated_at_s where it parses");
            }
            if (!guildIdIsUnique(connection)) {
                steps.add("add a unique index on guild_config.guild_id");
            }
        }
        for (String table : List.of("configstore_kv", CHANGES_TABLE)) {
            if (!tableExists(connection, table)) {
                steps.add("create table " + table);
            }
        }
        for (String trigger : triggers().keySet()) {
            if (!objectExists(connection, "trigger", trigger)) {
                steps.add("create trigger " + trigger);
            }
        }
        if (version < LATEST) {
            steps.add("record schema version " + LATEST + " (now " + version + ")");
        }
        return steps;
    }

    private static boolean objectExists(Connection connection, String type, String name) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?")) {
            statement.setString(1, type);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** For a read-only store: the schema must already be current. */
    static Integer requireCurrent(Connection connection) throws SQLException {
        int version = schemaVersion(connection);
        if (version != LATEST) {
            String file = connection.getMetaData().getURL().replaceFirst("^jdbc:sqlite:", "");
            if (version > LATEST) {
                throw newer(Path.of(file), version);
            }
            throw new StoreException(
                    Reason.SCHEMA_OUTDATED,
                    "Database schema is outdated: " + file + " has schema version " + version + " and this"
                            + " configstore needs " + LATEST + ". Open it once without readOnly() (or restart the"
                            + " bot) to run the migrations, then try again.",
                    new SQLException("schema version " + version));
        }
        return version;
    }

    static int schemaVersion(Connection connection) throws SQLException {
        if (!tableExists(connection, VERSION_TABLE)) {
            return 0;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void adoptGuildConfig(Connection connection, Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS guild_config (guild_id TEXT PRIMARY KEY)");
        Set<String> existing = columns(connection, "guild_config");
        for (String[] column : GUILD_COLUMNS) {
            if (!existing.contains(column[0])) {
                statement.execute("ALTER TABLE guild_config ADD COLUMN " + column[0] + " " + column[1]);
            }
        }
        if (existing.contains("updated_at") && !existing.contains("updated_at_s")) {
            // An older bot kept a text timestamp; keep it, and carry it over where it parses.
            statement.execute("UPDATE guild_config SET updated_at_s = CAST(strftime('%s', updated_at) AS INTEGER)"
                    + " WHERE updated_at_s IS NULL AND updated_at IS NOT NULL");
        }
        if (!guildIdIsUnique(connection)) {
            try {
                statement.execute("CREATE UNIQUE INDEX IF NOT EXISTS guild_config_guild_id ON guild_config (guild_id)");
            } catch (SQLException e) {
                throw new StoreException(
                        Reason.CONSTRAINT,
                        "Table guild_config has several rows for one guild_id, so it cannot be adopted. Keep one"
                                + " row per guild (for example with the sqlite3 shell), then restart.",
                        e);
            }
        }
    }

    private static boolean guildIdIsUnique(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet info = statement.executeQuery("PRAGMA table_info(guild_config)")) {
            while (info.next()) {
                if ("guild_id".equals(info.getString("name")) && info.getInt("pk") == 1) {
                    return true;
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet indexes = statement.executeQuery("PRAGMA index_list(guild_config)")) {
            while (indexes.next()) {
                if (indexes.getInt("unique") == 1) {
                    String index = indexes.getString("name");
                    try (Statement inner = connection.createStatement();
                            ResultSet columns =
                                    inner.executeQuery("PRAGMA index_info(\"" + index.replace("\"", "\"\"") + "\")")) {
                        List<String> names = new java.util.ArrayList<>();
                        while (columns.next()) {
                            names.add(columns.getString("name"));
                        }
                        if (names.equals(List.of("guild_id"))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    static Set<String> columns(Connection connection, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet info = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (info.next()) {
                names.add(info.getString("name").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    static boolean tableExists(Connection connection, String table) throws SQLException {
        try (var statement =
                connection.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    static StoreException newer(Path file, int version) {
        return new StoreException(
                Reason.SCHEMA_OUTDATED,
                "The database " + file + " was written by a newer configstore (schema version " + version
                        + "; this one knows up to " + LATEST + "). Upgrade configstore to open it; the file was"
                        + " not changed.",
                new SQLException("schema version " + version + " > " + LATEST));
    }
}
