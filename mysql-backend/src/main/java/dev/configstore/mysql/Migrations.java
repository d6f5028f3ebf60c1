package dev.configstore.mysql;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's tables and triggers, as idempotent steps that each look first and add only what
 * is missing. MariaDB commits every DDL statement by itself, so the steps cannot share one
 * transaction; instead they all run under a named lock ({@code GET_LOCK}) on the database's name,
 * so two processes starting at once take turns and the second finds nothing left to do. A
 * database that is already current is not written to at all. An existing bot's {@code
 * guild_config} table is adopted (its guild id as text or as {@code BIGINT UNSIGNED}): missing
 * columns are added, nothing is dropped, and no row or value is changed. A schema written by a
 * newer configstore is refused before anything is changed.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** The schema version this code writes and understands. 1: the tables, the change log, its triggers. */
    static final int LATEST = 1;

    static final String VERSION_TABLE = "configstore_schema_version";
    static final String CHANGES_TABLE = "configstore_changes";
    static final String REMOVED_TABLE = "configstore_changes_removed";

    /**
     * One row naming the server's current incarnation (a random id), in a {@code MEMORY} table:
     * MariaDB keeps such a table's rows in memory only, so a restarted server, a restored backup
     * and a replica promoted after a restart all start without the row, and the change feed's next
     * connection writes a new one. A feed that finds another id than before knows the server, or
     * its history, may have changed.
     */
    static final String SERVER_TABLE = "configstore_server";

    /** Microseconds since the epoch by the server's clock, in UTC whatever the session's time zone. */
    static final String NOW_MICROS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

    /** Seconds since the epoch by the server's clock, for {@code updated_at_s}. */
    static final String NOW_SECONDS = "UNIX_TIMESTAMP()";

    /** The triggers coherence depends on, by table; the change feed checks they exist. */
    static final List<Trigger> TRIGGERS = List.of(
            new Trigger("guild_config", "configstore_guild_config_bi"),
            new Trigger("guild_config", "configstore_guild_config_bu"),
            new Trigger("guild_config", "configstore_guild_config_ai"),
            new Trigger("guild_config", "configstore_guild_config_au"),
            new Trigger("guild_config", "configstore_guild_config_ad"),
            new Trigger("configstore_kv", "configstore_kv_bi"),
            new Trigger("configstore_kv", "configstore_kv_bu"),
            new Trigger("configstore_kv", "configstore_kv_ai"),
            new Trigger("configstore_kv", "configstore_kv_au"),
            new Trigger("configstore_kv", "configstore_kv_ad"),
            new Trigger(CHANGES_TABLE, "configstore_changes_ad"));

    /** A trigger of a table of the database. */
    record Trigger(String table, String name) {}

    private static final Set<String> TEXT = Set.of("varchar", "char", "text", "tinytext", "mediumtext", "longtext");
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    /** A column configstore needs, how to add it, and the types it accepts in an adopted table. */
    private record Column(String name, String definition, Set<String> types) {}

    private static final List<Column> GUILD_COLUMNS = List.of(
            new Column("logging_channel_id", "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", TEXT),
            new Column("flags_channel_id", "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", TEXT),
            new Column("silent_first_msg_days", "INT", INTEGERS),
            new Column("updated_at_s", "BIGINT", INTEGERS),
            new Column("version", "BIGINT NOT NULL DEFAULT 1", Set.of("int", "bigint")));

    private Migrations() {}

    /** The name of the lock that serialises the migrations of one database. */
    static String lockName(String database) {
        return "configstore migrations " + database;
    }

    /** Runs every step that has something to do; returns the schema version found before. */
    static int migrate(Connection connection, MariaDbDatabase database) throws SQLException {
        lock(connection, database);
        try {
            int before = schemaVersion(connection, database);
            if (before > LATEST) {
                throw newer(database, before);
            }
            try (Statement statement = connection.createStatement()) {
                change(connection, statement, database, before);
            }
            return before;
        } finally {
            try (PreparedStatement release = connection.prepareStatement("DO RELEASE_LOCK(?)")) {
                release.setString(1, lockName(database.name));
                release.execute();
            }
        }
    }

    private static void change(Connection connection, Statement statement, MariaDbDatabase database, int before)
            throws SQLException {
        if (!databaseExists(connection, database.name)) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + database.quoted()
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        adoptGuildConfig(connection, statement, database);
        if (!exists(connection, database, "configstore_kv")) {
            // Keys are bytes (their UTF-8), so they compare exactly: "a", "A" and "a " are three
            // keys, which no text collation guarantees (MariaDB's _bin collations ignore trailing
            // spaces). 1024 bytes is configstore's limit, and fits InnoDB's index limit.
            statement.execute("CREATE TABLE " + database.table("configstore_kv") + " (namespace VARCHAR(64) CHARACTER"
                    + " SET ascii COLLATE ascii_bin NOT NULL, `key` VARBINARY(1024) NOT NULL, value LONGTEXT"
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, version BIGINT NOT NULL DEFAULT 1, updated_at_s"
                    + " BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (namespace, `key`)) ENGINE=InnoDB");
        }
        createChangeLog(connection, statement, database);
        if (!exists(connection, database, SERVER_TABLE)) {
            statement.execute("CREATE TABLE " + database.table(SERVER_TABLE) + " (only_row TINYINT NOT NULL PRIMARY"
                    + " KEY, incarnation CHAR(36) CHARACTER SET ascii NOT NULL, since DATETIME NOT NULL)"
                    + " ENGINE=MEMORY");
        }
        for (String data : List.of("guild_config", "configstore_kv")) {
            createTriggers(connection, statement, database, data);
        }
        trigger(
                connection,
                statement,
                database,
                CHANGES_TABLE,
                "configstore_changes_ad",
                "AFTER DELETE",
                "UPDATE " + database.table(REMOVED_TABLE) + " SET newest_seq = GREATEST(newest_seq, OLD.seq)");
        if (before < LATEST) {
            if (!exists(connection, database, VERSION_TABLE)) {
                statement.execute(
                        "CREATE TABLE " + database.table(VERSION_TABLE) + " (version INT NOT NULL) ENGINE=InnoDB");
            }
            statement.execute("DELETE FROM " + database.table(VERSION_TABLE));
            statement.execute("INSERT INTO " + database.table(VERSION_TABLE) + " (version) VALUES (" + LATEST + ")");
        }
    }

    /**
     * Takes the database's migration lock, waiting as long as another process holds it: that
     * process may be migrating a big table for longer than any busy timeout, and giving up would
     * only make this one fail to start.
     */
    private static void lock(Connection connection, MariaDbDatabase database) throws SQLException {
        if (getLock(connection, database, 0)) {
            return;
        }
        log.info("configstore-mysql {}: another process is migrating the database; waiting for it", database.server);
        // A year: GET_LOCK has no "forever" on every version.
        if (!getLock(connection, database, 31_536_000)) {
            throw new SQLException("could not take the migration lock " + lockName(database.name));
        }
    }

    private static boolean getLock(Connection connection, MariaDbDatabase database, int seconds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            lock.setString(1, lockName(database.name));
            lock.setInt(2, seconds);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getInt(1) == 1;
            }
        }
    }

    static int schemaVersion(Connection connection, MariaDbDatabase database) throws SQLException {
        if (!exists(connection, database, VERSION_TABLE)) {
            return 0;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + database.table(VERSION_TABLE))) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void adoptGuildConfig(Connection connection, Statement statement, MariaDbDatabase database)
            throws SQLException {
        String table = database.table("guild_config");
        if (!exists(connection, database, "guild_config")) {
            statement.execute("CREATE TABLE " + table + " (guild_id VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin"
                    + " NOT NULL PRIMARY KEY, logging_channel_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE"
                    + " utf8mb4_bin, flags_channel_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
                    + " silent_first_msg_days INT, updated_at_s BIGINT, version BIGINT NOT NULL DEFAULT 1)"
                    + " ENGINE=InnoDB");
            return;
        }
        Map<String, String> existing = columns(connection, database, "guild_config");
        String guildIdType = existing.get("guild_id");
        if (guildIdType == null || !(TEXT.contains(guildIdType) || guildIdType.equals("bigint"))) {
            throw incompatible(database, "guild_config", "guild_id", guildIdType, "text or BIGINT UNSIGNED");
        }
        for (Column column : GUILD_COLUMNS) {
            String type = existing.get(column.name());
            if (type == null) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column.name() + " " + column.definition());
            } else if (!column.types().contains(type)) {
                throw incompatible(database, "guild_config", column.name(), type, column.definition());
            }
        }
        if (!guildIdIsUnique(connection, database)) {
            // A TEXT column can only be indexed by a prefix; snowflakes have at most 20 digits.
            String indexed = guildIdType.endsWith("text") ? "guild_id(64)" : "guild_id";
            try {
                statement.execute("ALTER TABLE " + table + " ADD UNIQUE INDEX configstore_guild_config_guild_id ("
                        + indexed + ")");
            } catch (SQLException e) {
                if (MariaDbErrors.errorCode(e) != 1062) {
                    throw e;
                }
                throw new StoreException(
                        Reason.CONSTRAINT,
                        "Table guild_config (" + database.server + ") has several rows for one guild_id, so it"
                                + " cannot be adopted; nothing was changed. Keep one row per guild (for example"
                                + " with the mariadb client), then restart.",
                        e);
            }
        }
    }

    /**
     * The change log. Triggers on {@code guild_config} and {@code configstore_kv} add an entry for
     * every insert, update and delete, by any program; each entry takes the next number of an
     * auto-increment column, taken when the row is inserted, not when its transaction commits (see
     * MariaDbChangeFeed for what that means to a reader). A trigger on the log keeps the newest
     * number ever removed from it, so a reader can tell when entries it had not read are gone.
     */
    private static void createChangeLog(Connection connection, Statement statement, MariaDbDatabase database)
            throws SQLException {
        if (!exists(connection, database, CHANGES_TABLE)) {
            statement.execute("CREATE TABLE " + database.table(CHANGES_TABLE) + " (seq BIGINT UNSIGNED NOT NULL"
                    + " AUTO_INCREMENT PRIMARY KEY, table_name VARCHAR(64) CHARACTER SET ascii NOT NULL, namespace"
                    + " VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, `key` VARBINARY(1024), version"
                    + " BIGINT NOT NULL, changed_at DATETIME(6) NOT NULL) ENGINE=InnoDB");
        }
        String removed = database.table(REMOVED_TABLE);
        if (!exists(connection, database, REMOVED_TABLE)) {
            statement.execute("CREATE TABLE " + removed + " (newest_seq BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB");
        }
        try (ResultSet rows = statement.executeQuery("SELECT 1 FROM " + removed)) {
            if (!rows.next()) {
                statement.execute("INSERT INTO " + removed + " (newest_seq) VALUES (0)");
            }
        }
    }

    /** The version triggers and the logging triggers of one data table. */
    private static void createTriggers(
            Connection connection, Statement statement, MariaDbDatabase database, String table) throws SQLException {
        boolean guilds = table.equals("guild_config");
        String prefix = (table.startsWith("configstore_") ? "" : "configstore_") + table + "_";
        String insert = "INSERT INTO " + database.table(CHANGES_TABLE)
                + " (table_name, namespace, `key`, version, changed_at) VALUES ('" + table + "', ";
        String newRow = guilds ? "'', NEW.guild_id" : "NEW.namespace, NEW.`key`";
        String oldRow = guilds ? "'', OLD.guild_id" : "OLD.namespace, OLD.`key`";
        String sameRow = guilds
                ? "OLD.guild_id <=> NEW.guild_id"
                : "OLD.namespace <=> NEW.namespace AND OLD.`key` <=> NEW.`key`";
        // Rows written by other programs get a version too, and every change raises it.
        trigger(
                connection,
                statement,
                database,
                table,
                prefix + "bi",
                "BEFORE INSERT",
                "SET NEW.version = GREATEST(COALESCE(NEW.version, 1), " + NOW_MICROS + ")");
        trigger(
                connection,
                statement,
                database,
                table,
                prefix + "bu",
                "BEFORE UPDATE",
                "SET NEW.version = GREATEST(OLD.version + 1, COALESCE(NEW.version, 1), " + NOW_MICROS + ")");
        trigger(
                connection,
                statement,
                database,
                table,
                prefix + "ai",
                "AFTER INSERT",
                insert + newRow + ", NEW.version, UTC_TIMESTAMP(6))");
        trigger(
                connection,
                statement,
                database,
                table,
                prefix + "au",
                "AFTER UPDATE",
                "BEGIN " + insert + newRow + ", NEW.version, UTC_TIMESTAMP(6)); IF NOT (" + sameRow + ") THEN " + insert
                        + oldRow + ", 0, UTC_TIMESTAMP(6)); END IF; END");
        trigger(
                connection,
                statement,
                database,
                table,
                prefix + "ad",
                "AFTER DELETE",
                insert + oldRow + ", 0, UTC_TIMESTAMP(6))");
    }

    /** Creates a trigger unless the database already has one of that name. */
    private static void trigger(
            Connection connection,
            Statement statement,
            MariaDbDatabase database,
            String table,
            String name,
            String timing,
            String body)
            throws SQLException {
        try (PreparedStatement current = connection.prepareStatement(
                "SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?")) {
            current.setString(1, database.name);
            current.setString(2, name);
            try (ResultSet row = current.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        statement.execute("CREATE TRIGGER " + database.quoted() + "." + name + " " + timing + " ON "
                + database.table(table) + " FOR EACH ROW " + body);
    }

    private static boolean guildIdIsUnique(Connection connection, MariaDbDatabase database) throws SQLException {
        // A unique index whose only column is guild_id.
        try (PreparedStatement statement = connection.prepareStatement("SELECT INDEX_NAME FROM"
                + " information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'guild_config' AND"
                + " NON_UNIQUE = 0 GROUP BY INDEX_NAME HAVING COUNT(*) = 1 AND MAX(COLUMN_NAME) = 'guild_id'")) {
            statement.setString(1, database.name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The columns of a table and their types ("varchar", "bigint", …), by name. */
    /**
     * Lists, without changing anything, what opening a store on database {@code name} would
     * migrate: the database, tables, columns and triggers to add, and the schema version to
     * record.
     *
     * @param connection a connection to the server
     * @param name the database's name, already checked
     * @param where the server, for messages
     * @return one line per step; empty if the schema is complete and current
     * @throws StoreException if the database was written by a newer configstore
     */
    static List<String> plan(Connection connection, String name, String where) throws SQLException {
        if (!databaseExists(connection, name)) {
            return List.of("create database " + name + " with configstore's tables, change log and triggers");
        }
        Set<String> tables = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        int version = 0;
        if (tables.contains(VERSION_TABLE)) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery("SELECT MAX(version) FROM `" + name + "`." + VERSION_TABLE)) {
                version = rows.next() ? rows.getInt(1) : 0;
            }
        }
        if (version > LATEST) {
            throw new StoreException(
                    Reason.SCHEMA_OUTDATED,
                    "Database " + name + " on " + where + " was written by a newer configstore (schema version "
                            + version + "; this one knows up to " + LATEST + "). Upgrade configstore; nothing was"
                            + " changed.",
                    new SQLException("schema version " + version + " > " + LATEST));
        }
        List<String> steps = new ArrayList<>();
        for (String table : List.of("guild_config", "configstore_kv", CHANGES_TABLE, REMOVED_TABLE, SERVER_TABLE)) {
            if (!tables.contains(table)) {
                steps.add("create table " + table);
            }
        }
        if (tables.contains("guild_config")) {
            Set<String> existing = new HashSet<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT LOWER(COLUMN_NAME) FROM"
                    + " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'guild_config'")) {
                statement.setString(1, name);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getString(1));
                    }
                }
            }
            for (Column column : GUILD_COLUMNS) {
                if (!existing.contains(column.name())) {
                    steps.add("add column guild_config." + column.name() + " " + column.definition());
                }
            }
        }
        Set<String> triggers = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    triggers.add(rows.getString(1));
                }
            }
        }
        for (Trigger trigger : TRIGGERS) {
            if (!triggers.contains(trigger.name())) {
                steps.add("create trigger " + trigger.name() + " on " + trigger.table());
            }
        }
        if (version < LATEST) {
            steps.add("record schema version " + LATEST + (version == 0 ? "" : " (was " + version + ")"));
        }
        return steps;
    }

    static Map<String, String> columns(Connection connection, MariaDbDatabase database, String table)
            throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM"
                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, database.name);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.put(
                            rows.getString(1).toLowerCase(Locale.ROOT),
                            rows.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    /** Whether a table of the database exists. */
    static boolean exists(Connection connection, MariaDbDatabase database, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, database.name);
            statement.setString(2, table);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean databaseExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private static StoreException incompatible(
            MariaDbDatabase database, String table, String column, @Nullable String type, String needed) {
        String has = type == null ? "has no column " + column : "has column " + column + " of type " + type;
        return new StoreException(
                Reason.CONSTRAINT,
                "Table " + table + " (" + database.server + ") " + has + ", which configstore cannot use (it needs "
                        + needed + "); nothing was changed. Change the column's type (ALTER TABLE … MODIFY …), or"
                        + " give configstore a database of its own, then restart.",
                new SQLException(table + "." + column + ": " + type));
    }

    private static StoreException newer(MariaDbDatabase database, int version) {
        return new StoreException(
                Reason.SCHEMA_OUTDATED,
                "The " + database.server + " was written by a newer configstore (schema version " + version
                        + "; this one knows up to " + LATEST + "). Upgrade configstore to use it; nothing was"
                        + " changed.",
                new SQLException("schema version " + version + " > " + LATEST));
    }
}
