package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.MigrationRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's schema steps for {@link MigrationRunner}, each adding only what is missing. They all
 * run in one transaction every time a writable store opens the file; the database begins its
 * transactions {@code IMMEDIATE}, taking the file's write lock at once, so that lock serialises
 * migrations and two processes starting at once take turns. An existing bot database is adopted:
 * a {@code guild_config} table with only some of the columns gains the missing ones, and no row
 * or value is changed. A database from a newer configstore is refused before anything is written
 * to it.
 */
final class Migrations extends MigrationRunner.Schema {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.migrations");

    /**
     * The schema version this code writes and understands. 4: {@code guild_config.updated_at},
     * the time of a row's last change as the original bot keeps it, filled on databases made
     * before from {@code updated_at_s}. 5: {@code configstore_settings}, declared settings by scope,
     * guild, channel and key, with its change-log triggers. 6: {@code configstore_declarations} and
     * {@code configstore_applications}, the record of declared settings for tools. 7: {@code
     * configstore_audit}, the audit trail.
     */
    static final int LATEST = 7;

    static final String VERSION_TABLE = MigrationRunner.VERSION_TABLE;

    static final String CHANGES_TABLE = "configstore_changes";

    /** The columns of {@code guild_config} and how to add each one to an adopted table. */
    private static final List<String[]> GUILD_COLUMNS = List.of(
            new String[] {"logging_channel_id", "TEXT"},
            new String[] {"flags_channel_id", "TEXT"},
            new String[] {"silent_first_msg_days", "INTEGER"},
            // ISO-8601 in UTC with milliseconds and Z, as the original bot (JavaScript's
            // toISOString()) writes it: 2025-11-30T10:00:00.000Z.
            new String[] {"updated_at", "TEXT"},
            new String[] {"updated_at_s", "INTEGER"},
            // Rows written by other programs start at version 1; configstore's writes go above it.
            new String[] {"version", "INTEGER NOT NULL DEFAULT 1"});

    /** What sets {@code guild_config.updated_at} to now. */
    static final String UPDATED_AT_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    /** The database file, for messages. */
    private final String file;

    private Migrations(String file) {
        super(LATEST, "database " + file);
        this.file = file;
    }

    @Override
    public String unchanged() {
        return "the file was not changed";
    }

    @Override
    public String table(String name) {
        return name;
    }

    @Override
    public boolean tableExists(Connection connection, String name) throws SQLException {
        return hasTable(connection, name);
    }

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
            Migrations schema = new Migrations(file.toString());
            MigrationRunner.refuseNewer(schema, MigrationRunner.version(connection, schema));
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
        return MigrationRunner.migrate(connection, new Migrations(fileOf(connection)));
    }

    @Override
    public void apply(Connection connection, Statement statement, int before) throws SQLException {
        adoptGuildConfig(connection, statement, before);
        statement.execute("CREATE TABLE IF NOT EXISTS configstore_kv ("
                + "namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT, "
                + "version INTEGER NOT NULL, updated_at_s INTEGER NOT NULL, "
                + "PRIMARY KEY (namespace, key))");
        for (ColumnRepair repair : keyValueRepairs(connection)) {
            String sql = repair.sql();
            if (sql == null) {
                throw new StoreException(
                        Reason.SCHEMA_OUTDATED,
                        repair.description(),
                        new SQLException("configstore_kv cannot be repaired in place"));
            }
            log.warn("configstore-sqlite {}: {}", file, repair.description());
            statement.execute(sql);
        }
        statement.execute(SETTINGS_TABLE_SQL);
        statement.execute(DECLARATIONS_TABLE_SQL);
        statement.execute(APPLICATIONS_TABLE_SQL);
        statement.execute(AUDIT_TABLE_SQL);
        statement.execute("CREATE INDEX IF NOT EXISTS configstore_audit_guild ON configstore_audit (guild_id, id)");
        statement.execute("CREATE INDEX IF NOT EXISTS configstore_audit_at ON configstore_audit (at_ms)");
        createChangeLog(connection, statement, before > 0);
    }

    /**
     * Declared settings: one row per scope ({@code global}, {@code guild}, {@code channel}), guild,
     * channel and key, with '' for "none" so the primary key holds on every database. A reset
     * keeps the row with a NULL value, so its version keeps rising.
     */
    private static final String SETTINGS_TABLE_SQL = "CREATE TABLE IF NOT EXISTS configstore_settings ("
            + "scope TEXT NOT NULL, guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, key TEXT NOT NULL,"
            + " value TEXT, version INTEGER NOT NULL DEFAULT 1, updated_at_s INTEGER NOT NULL DEFAULT 0,"
            + " PRIMARY KEY (scope, guild_id, channel_id, key))";

    /**
     * The record of declared settings, for tools: one row per application and key, in the order the
     * application declared them ({@code position}); lists (rules, custom rules) are JSON arrays of
     * strings.
     */
    private static final String DECLARATIONS_TABLE_SQL = "CREATE TABLE IF NOT EXISTS configstore_declarations ("
            + "application TEXT NOT NULL, key TEXT NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL,"
            + " scopes TEXT NOT NULL, rules TEXT NOT NULL, custom_rules TEXT NOT NULL, default_value TEXT,"
            + " environment TEXT, description TEXT NOT NULL, PRIMARY KEY (application, key))";

    /**
     * The audit trail: one row per change of a value made through configstore, with who made it
     * and when (milliseconds since the epoch), where ({@code global}, {@code guild}, {@code channel}
     * or {@code namespace}, with '' for the ids that do not apply), and the text before and after.
     */
    private static final String AUDIT_TABLE_SQL = "CREATE TABLE IF NOT EXISTS configstore_audit ("
            + "id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, scope TEXT NOT NULL,"
            + " guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL,"
            + " old_value TEXT, new_value TEXT)";

    /** The version of each application's declarations, one more at each change. */
    private static final String APPLICATIONS_TABLE_SQL = "CREATE TABLE IF NOT EXISTS configstore_applications ("
            + "application TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at_s INTEGER NOT NULL)";

    /**
     * The change log: every insert, update and delete of {@code guild_config} and {@code
     * configstore_kv}, by any program, adds an entry with a sequence number that never repeats
     * ({@code AUTOINCREMENT}), so that a reader can tell when entries were removed before it
     * read them. An entry carries the row's new version when the writer raised it, else 0.
     */
    private static void createChangeLog(Connection connection, Statement statement, boolean existingSchema)
            throws SQLException {
        statement.execute(CHANGES_TABLE_SQL);
        restoreTriggers(connection, statement, existingSchema);
    }

    /**
     * Creates the change log's triggers that are missing, and re-creates those whose definition
     * is not configstore's (a column renamed by hand rewrites the triggers that name it).
     *
     * @param announce whether to log each trigger created: not for a file configstore is setting up
     *     for the first time, where every trigger is new
     * @return the triggers created or re-created, by name
     */
    static List<String> restoreTriggers(Connection connection, Statement statement, boolean announce)
            throws SQLException {
        Map<String, @Nullable String> existing = existingTriggers(connection);
        List<String> restored = new ArrayList<>();
        for (Map.Entry<String, String> trigger : triggers().entrySet()) {
            String name = trigger.getKey();
            String definition = "CREATE TRIGGER " + name + " " + trigger.getValue();
            if (existing.containsKey(name)) {
                if (definition.equals(existing.get(name))) {
                    continue;
                }
                log.warn(
                        "configstore-sqlite {}: trigger {} was changed by another program; re-creating it",
                        fileOf(connection),
                        name);
                statement.execute("DROP TRIGGER " + name);
            } else if (announce) {
                log.warn(
                        "configstore-sqlite {}: trigger {} of the change log was missing; creating it again",
                        fileOf(connection),
                        name);
            }
            statement.execute(definition);
            restored.add(name);
        }
        return restored;
    }

    /** configstore's triggers that are missing, by name; for the change feed's check at each read. */
    static List<String> missingTriggers(Connection connection) throws SQLException {
        Map<String, @Nullable String> existing = existingTriggers(connection);
        List<String> missing = new ArrayList<>();
        for (String name : triggers().keySet()) {
            if (!existing.containsKey(name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The triggers named configstore_…, with the SQL that created them (as SQLite keeps it). */
    private static Map<String, @Nullable String> existingTriggers(Connection connection) throws SQLException {
        Map<String, @Nullable String> existing = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'configstore%'")) {
            while (rows.next()) {
                existing.put(rows.getString(1), rows.getString(2));
            }
        }
        return existing;
    }

    private static String fileOf(Connection connection) throws SQLException {
        return connection.getMetaData().getURL().replaceFirst("^jdbc:sqlite:", "");
    }

    /**
     * A column of {@code configstore_kv} as configstore creates it, and the definition that adds
     * it back to an existing table ({@code null} for a primary-key column, which SQLite cannot add).
     */
    private record KeyValueColumn(
            String name,
            String type,
            boolean notNull,
            int primaryKey,
            @Nullable String addDefinition) {}

    private static final List<KeyValueColumn> KEY_VALUE_COLUMNS = List.of(
            new KeyValueColumn("namespace", "TEXT", true, 1, null),
            new KeyValueColumn("key", "TEXT", true, 2, null),
            new KeyValueColumn("value", "TEXT", false, 0, "TEXT"),
            // Rows keep working with any version: configstore's next write goes above it.
            new KeyValueColumn("version", "INTEGER", true, 0, "INTEGER NOT NULL DEFAULT 1"),
            new KeyValueColumn("updated_at_s", "INTEGER", true, 0, "INTEGER NOT NULL DEFAULT 0"));

    /** A column of an existing table, from {@code PRAGMA table_info}. */
    private record ExistingColumn(String name, String type, boolean notNull, int primaryKey) {}

    /**
     * One step that puts a column of {@code configstore_kv} back.
     *
     * @param description what the step does and what it means for the stored data
     * @param sql the statement, or {@code null} if the column cannot be restored without losing rows
     */
    record ColumnRepair(String description, @Nullable String sql) {}

    /**
     * What puts back the columns of {@code configstore_kv} that were dropped or renamed by hand
     * (empty if none is missing, or the table does not exist). A column renamed by hand is
     * renamed back, keeping its data, when it can be told apart safely: SQLite keeps a renamed
     * column in its place, with its type and constraints, so it is the one column that is not
     * configstore's, between the same neighbours, with the same type, {@code NOT NULL} and
     * primary-key position as the missing one. Any other missing column is added back empty (its
     * data went with the drop), and columns that are not configstore's are left as they are.
     */
    static List<ColumnRepair> keyValueRepairs(Connection connection) throws SQLException {
        if (!hasTable(connection, "configstore_kv")) {
            return List.of();
        }
        List<ExistingColumn> existing = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet info = statement.executeQuery("PRAGMA table_info(configstore_kv)")) {
            while (info.next()) {
                existing.add(new ExistingColumn(
                        info.getString("name").toLowerCase(Locale.ROOT),
                        String.valueOf(info.getString("type")).toUpperCase(Locale.ROOT),
                        info.getInt("notnull") == 1,
                        info.getInt("pk")));
            }
        }
        List<String> names = new ArrayList<>();
        existing.forEach(column -> names.add(column.name()));
        Set<String> ours = new HashSet<>();
        KEY_VALUE_COLUMNS.forEach(column -> ours.add(column.name()));
        List<ColumnRepair> renames = new ArrayList<>();
        List<ColumnRepair> additions = new ArrayList<>();
        for (int i = 0; i < KEY_VALUE_COLUMNS.size(); i++) {
            KeyValueColumn wanted = KEY_VALUE_COLUMNS.get(i);
            if (names.contains(wanted.name())) {
                continue;
            }
            // The slot the column had: after the nearest earlier column that is still there, and
            // before the nearest later one.
            int from = 0;
            for (int j = i - 1; j >= 0; j--) {
                int at = names.indexOf(KEY_VALUE_COLUMNS.get(j).name());
                if (at >= 0) {
                    from = at + 1;
                    break;
                }
            }
            int to = names.size();
            for (int j = i + 1; j < KEY_VALUE_COLUMNS.size(); j++) {
                int at = names.indexOf(KEY_VALUE_COLUMNS.get(j).name());
                if (at >= 0) {
                    to = at;
                    break;
                }
            }
            List<ExistingColumn> strangers = new ArrayList<>();
            for (int at = from; at < to; at++) {
                if (!ours.contains(names.get(at))) {
                    strangers.add(existing.get(at));
                }
            }
            ExistingColumn candidate = strangers.size() == 1 ? strangers.get(0) : null;
            if (candidate != null
                    && candidate.type().equals(wanted.type())
                    && candidate.notNull() == wanted.notNull()
                    && candidate.primaryKey() == wanted.primaryKey()
                    && missingAround(names, i) == 1) {
                renames.add(new ColumnRepair(
                        "rename column configstore_kv." + candidate.name() + " back to " + wanted.name()
                                + " (it was renamed; its data is kept)",
                        "ALTER TABLE configstore_kv RENAME COLUMN " + quote(candidate.name()) + " TO "
                                + wanted.name()));
                continue;
            }
            String others = strangers.isEmpty()
                    ? ""
                    : " Column(s) "
                            + strangers.stream().map(ExistingColumn::name).toList() + " in its place are not"
                            + " configstore's and are kept as they are; if one of them holds " + wanted.name()
                            + ", rename it back to " + wanted.name() + " instead (ALTER TABLE configstore_kv RENAME"
                            + " COLUMN … TO " + wanted.name() + ").";
            String definition = wanted.addDefinition();
            if (definition == null) {
                additions.add(new ColumnRepair(
                        "Table configstore_kv has no column " + wanted.name() + ", which is part of its primary key,"
                                + " and configstore cannot put it back without losing rows, so nothing was changed."
                                + others + " Or move the table aside (ALTER TABLE configstore_kv RENAME TO"
                                + " configstore_kv_old) to start with an empty one, and copy the rows back.",
                        null));
                continue;
            }
            additions.add(new ColumnRepair(
                    "add column configstore_kv." + wanted.name() + " " + definition + " (it was dropped: "
                            + lostWith(wanted.name()) + ")." + others,
                    "ALTER TABLE configstore_kv ADD COLUMN " + wanted.name() + " " + definition));
        }
        List<ColumnRepair> repairs = new ArrayList<>(renames);
        repairs.addAll(additions);
        return repairs;
    }

    /** How many of configstore's columns are missing in the run of missing ones around {@code index}. */
    private static int missingAround(List<String> names, int index) {
        int missing = 1;
        for (int j = index - 1;
                j >= 0 && !names.contains(KEY_VALUE_COLUMNS.get(j).name());
                j--) {
            missing++;
        }
        for (int j = index + 1;
                j < KEY_VALUE_COLUMNS.size()
                        && !names.contains(KEY_VALUE_COLUMNS.get(j).name());
                j++) {
            missing++;
        }
        return missing;
    }

    private static String lostWith(String column) {
        return switch (column) {
            case "value" ->
                "the values it held are gone, so every key of every keyValueStore reads as absent until it is set"
                        + " again; restore them from a backup if needed";
            case "version" -> "rows start again at version 1; configstore's next write of a key goes above it";
            default -> "the times of the last change are gone and read as 0";
        };
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
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
        // A settings change is logged under its guild ('' for a global one), the cache entry it affects.
        triggers.put(
                "configstore_settings_inserted",
                "AFTER INSERT ON configstore_settings BEGIN " + insert
                        + " VALUES ('configstore_settings', '', NEW.guild_id, COALESCE(NEW.version, 0), " + now
                        + "); END");
        triggers.put(
                "configstore_settings_updated",
                "AFTER UPDATE ON configstore_settings BEGIN " + insert
                        + " VALUES ('configstore_settings', '', NEW.guild_id,"
                        + " CASE WHEN NEW.version > OLD.version THEN NEW.version ELSE 0 END, " + now + "); "
                        + insert + " SELECT 'configstore_settings', '', OLD.guild_id, 0, " + now
                        + " WHERE OLD.guild_id IS NOT NEW.guild_id; END");
        triggers.put(
                "configstore_settings_deleted",
                "AFTER DELETE ON configstore_settings BEGIN " + insert
                        + " VALUES ('configstore_settings', '', OLD.guild_id, 0, " + now + "); END");
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
        return MigrationRunner.plan(connection, new Migrations(file.toString()));
    }

    @Override
    public List<String> pending(Connection connection, int version) throws SQLException {
        List<String> steps = new ArrayList<>();
        if (!hasTable(connection, "guild_config")) {
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
            if (version < UPDATED_AT_VERSION && existing.contains("updated_at_s")) {
                steps.add(FILL_UPDATED_AT);
            }
            if (!guildIdIsUnique(connection)) {
                steps.add("add a unique index on guild_config.guild_id");
            }
        }
        for (String table : List.of(
                "configstore_kv",
                "configstore_settings",
                "configstore_declarations",
                "configstore_applications",
                "configstore_audit",
                CHANGES_TABLE)) {
            if (!hasTable(connection, table)) {
                steps.add("create table " + table);
            }
        }
        List<ColumnRepair> repairs = keyValueRepairs(connection);
        repairs.forEach(repair -> steps.add(repair.description()));
        Map<String, @Nullable String> existingTriggers = existingTriggers(connection);
        for (Map.Entry<String, String> trigger : triggers().entrySet()) {
            String name = trigger.getKey();
            if (!existingTriggers.containsKey(name)) {
                steps.add("create trigger " + name);
            } else if (repairs.isEmpty()
                    && !("CREATE TRIGGER " + name + " " + trigger.getValue()).equals(existingTriggers.get(name))) {
                // Renaming a column rewrites the triggers that name it, and renaming it back
                // restores them: only a trigger that still differs afterwards needs re-creating.
                steps.add("re-create trigger " + name + " (its definition was changed)");
            }
        }
        return steps;
    }

    /** For a read-only store: the schema must already be current. */
    static Integer requireCurrent(Connection connection) throws SQLException {
        String file = fileOf(connection);
        Migrations schema = new Migrations(file);
        int version = MigrationRunner.version(connection, schema);
        MigrationRunner.refuseNewer(schema, version);
        if (version != LATEST) {
            throw new StoreException(
                    Reason.SCHEMA_OUTDATED,
                    "Database schema is outdated: " + file + " has schema version " + version + " and this"
                            + " configstore needs " + LATEST + ". Open it once without readOnly() (or restart the"
                            + " bot) to run the migrations, then try again.",
                    new SQLException("schema version " + version));
        }
        return version;
    }

    /** The version whose migration added {@code guild_config.updated_at}. */
    private static final int UPDATED_AT_VERSION = 4;

    private static final String FILL_UPDATED_AT =
            "fill guild_config.updated_at from updated_at_s where it is missing or older (rows configstore 0.1"
                    + " changed)";

    private static void adoptGuildConfig(Connection connection, Statement statement, int before) throws SQLException {
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
        if (before < UPDATED_AT_VERSION) {
            // Up to version 3, configstore kept only updated_at_s current, leaving the original
            // bot's updated_at at the time of its own last change.
            statement.execute("UPDATE guild_config SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', updated_at_s,"
                    + " 'unixepoch') WHERE updated_at_s IS NOT NULL AND (updated_at IS NULL"
                    + " OR CAST(strftime('%s', updated_at) AS INTEGER) < updated_at_s)");
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

    static boolean hasTable(Connection connection, String table) throws SQLException {
        return MigrationRunner.anyRow(
                connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table);
    }
}
