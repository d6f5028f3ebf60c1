package dev.configstore.mysql;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.MigrationRunner;
import dev.configstore.jdbc.internal.MigrationRunner.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB's steps for {@link MigrationRunner}: the database's tables and triggers, each step
 * looking first and adding only what is missing. MariaDB commits every DDL statement by itself,
 * so the steps cannot share one transaction; instead the migration lock is a named lock ({@code
 * GET_LOCK}) on the database's name, so two processes starting at once take turns and the second
 * finds nothing left to do. A
 * database that is already current is not written to at all. An existing bot's {@code
 * guild_config} table is adopted (its guild id as text or as {@code BIGINT UNSIGNED}): missing
 * columns are added, nothing is dropped, and no row or value is changed. A schema written by a
 * newer configstore is refused before anything is changed.
 */
final class Migrations extends MigrationRunner.Schema {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.migrations");

    /**
     * The schema version this code writes and understands. 1: the tables, the change log, its
     * triggers. 2: {@code guild_config.updated_at}, the time of a row's last change as the original
     * bot keeps it, filled on databases made before from {@code updated_at_s}. 3: {@code
     * configstore_settings}, declared settings by scope, guild, channel and key, with its triggers. 4:
     * {@code configstore_declarations} and {@code configstore_applications}, the record of declared
     * settings for tools. 5: {@code configstore_audit}, the audit trail.
     */
    static final int LATEST = 5;

    /** The version whose migration added {@code guild_config.updated_at}. */
    private static final int UPDATED_AT_VERSION = 2;

    /** Microseconds since the epoch by the server's clock, in UTC whatever the session's time zone. */
    static final String NOW_MICROS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

    /** Seconds since the epoch by the server's clock, for {@code updated_at_s}. */
    static final String NOW_SECONDS = "UNIX_TIMESTAMP()";

    static final String VERSION_TABLE = MigrationRunner.VERSION_TABLE;
    static final String CHANGES_TABLE = "configstore_changes";
    static final String SETTINGS_TABLE = "configstore_settings";
    static final String DECLARATIONS_TABLE = "configstore_declarations";
    static final String APPLICATIONS_TABLE = "configstore_applications";
    static final String AUDIT_TABLE = "configstore_audit";
    static final String REMOVED_TABLE = "configstore_changes_removed";

    /**
     * One row naming the server's current incarnation (a random id), in a {@code MEMORY} table:
     * MariaDB keeps such a table's rows in memory only, so a restarted server, a restored backup
     * and a replica promoted after a restart all start without the row, and the change feed's next
     * connection writes a new one. A feed that finds another id than before knows the server, or
     * its history, may have changed.
     */
    static final String SERVER_TABLE = "configstore_server";

    /**
     * The triggers coherence depends on, by name, with their tables: on each data table, one
     * before and after each kind of change ({@code _bi}, {@code _bu}, {@code _ai}, {@code _au},
     * {@code _ad}); on the change log, one after a delete.
     */
    static final Map<String, String> TRIGGERS = triggerTables();

    private static Map<String, String> triggerTables() {
        Map<String, String> triggers = new LinkedHashMap<>();
        for (String table : List.of("guild_config", "configstore_kv", SETTINGS_TABLE)) {
            for (String timing : List.of("bi", "bu", "ai", "au", "ad")) {
                triggers.put(triggerPrefix(table) + timing, table);
            }
        }
        triggers.put("configstore_changes_ad", CHANGES_TABLE);
        return Collections.unmodifiableMap(triggers);
    }

    /** What the names of a data table's triggers begin with. */
    private static String triggerPrefix(String table) {
        return (table.startsWith("configstore_") ? "" : "configstore_") + table + "_";
    }

    private static final Set<String> TEXT = Set.of("varchar", "char", "text", "tinytext", "mediumtext", "longtext");
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    private static Set<String> union(Set<String> some, Set<String> more) {
        Set<String> all = new HashSet<>(some);
        all.addAll(more);
        return Set.copyOf(all);
    }

    private static final List<Column> GUILD_COLUMNS = List.of(
            new Column("logging_channel_id", "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", TEXT),
            new Column("flags_channel_id", "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", TEXT),
            new Column("silent_first_msg_days", "INT", INTEGERS),
            // UTC, to the millisecond. DATETIME rather than TIMESTAMP: no end in 2038, and every
            // client reads the same value whatever its session's time zone. An adopted table's
            // text column (the original bot's) keeps ISO-8601 text.
            new Column("updated_at", "DATETIME(3)", union(TEXT, Set.of("datetime", "timestamp"))),
            new Column("updated_at_s", "BIGINT", INTEGERS),
            new Column("version", "BIGINT NOT NULL DEFAULT 1", Set.of("int", "bigint")));

    /** The database's name. */
    private final String name;

    private Migrations(String name, String where) {
        super(LATEST, where);
        this.name = name;
    }

    @Override
    public String table(String table) {
        return "`" + name + "`." + table;
    }

    @Override
    public String tableOptions() {
        return " ENGINE=InnoDB";
    }

    /** The name of the lock that serialises the migrations of one database. */
    static String lockName(String database) {
        return "configstore migrations " + database;
    }

    /** Runs every step that has something to do; returns the schema version found before. */
    static int migrate(Connection connection, MariaDbDatabase database) throws SQLException {
        return MigrationRunner.migrate(connection, new Migrations(database.name, database.server));
    }

    @Override
    public void apply(Connection connection, Statement statement, int before) throws SQLException {
        if (!databaseExists(connection, name)) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        adoptGuildConfig(connection, statement, before);
        if (!tableExists(connection, "configstore_kv")) {
            // Keys are bytes (their UTF-8), so they compare exactly: "a", "A" and "a " are three
            // keys, which no text collation guarantees (MariaDB's _bin collations ignore trailing
            // spaces). 1024 bytes is configstore's limit, and fits InnoDB's index limit.
            statement.execute("CREATE TABLE " + table("configstore_kv") + " (namespace VARCHAR(64) CHARACTER"
                    + " SET ascii COLLATE ascii_bin NOT NULL, `key` VARBINARY(1024) NOT NULL, value LONGTEXT"
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, version BIGINT NOT NULL DEFAULT 1, updated_at_s"
                    + " BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (namespace, `key`)) ENGINE=InnoDB");
        }
        if (!tableExists(connection, SETTINGS_TABLE)) {
            // '' stands for "no guild" and "no channel", so the primary key holds; keys are bytes,
            // as configstore_kv's are. A reset keeps the row with a NULL value, so its version
            // keeps rising.
            statement.execute("CREATE TABLE " + table(SETTINGS_TABLE) + " (scope VARCHAR(16) CHARACTER SET ascii"
                    + " COLLATE ascii_bin NOT NULL, guild_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT"
                    + " NULL, channel_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, `key`"
                    + " VARBINARY(255) NOT NULL, value LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, version"
                    + " BIGINT NOT NULL DEFAULT 1, updated_at_s BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (scope,"
                    + " guild_id, channel_id, `key`)) ENGINE=InnoDB");
        }
        if (!tableExists(connection, DECLARATIONS_TABLE)) {
            // The record of declared settings, for tools; lists are JSON arrays of strings.
            statement.execute("CREATE TABLE " + table(DECLARATIONS_TABLE) + " (application VARCHAR(64) CHARACTER"
                    + " SET ascii COLLATE ascii_bin NOT NULL, `key` VARBINARY(255) NOT NULL, position INT NOT NULL,"
                    + " type TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, scopes VARCHAR(64) CHARACTER"
                    + " SET ascii COLLATE ascii_bin NOT NULL, rules LONGTEXT CHARACTER SET utf8mb4 COLLATE"
                    + " utf8mb4_bin NOT NULL, custom_rules LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT"
                    + " NULL, default_value LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, environment"
                    + " VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, description LONGTEXT CHARACTER SET"
                    + " utf8mb4 COLLATE utf8mb4_bin NOT NULL, PRIMARY KEY (application, `key`)) ENGINE=InnoDB");
        }
        if (!tableExists(connection, APPLICATIONS_TABLE)) {
            statement.execute("CREATE TABLE " + table(APPLICATIONS_TABLE) + " (application VARCHAR(64) CHARACTER"
                    + " SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY, version BIGINT NOT NULL, updated_at_s"
                    + " BIGINT NOT NULL) ENGINE=InnoDB");
        }
        if (!tableExists(connection, AUDIT_TABLE)) {
            // The audit trail: who changed which value, when (milliseconds since the epoch), and
            // the text before and after; '' for the ids that do not apply.
            statement.execute("CREATE TABLE " + table(AUDIT_TABLE) + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY"
                    + " KEY, at_ms BIGINT NOT NULL, actor VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT"
                    + " NULL, scope VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, guild_id VARCHAR(64)"
                    + " CHARACTER SET ascii COLLATE ascii_bin NOT NULL, channel_id VARCHAR(64) CHARACTER SET ascii"
                    + " COLLATE ascii_bin NOT NULL, namespace VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT"
                    + " NULL, `key` VARBINARY(1024) NOT NULL, old_value LONGTEXT CHARACTER SET utf8mb4 COLLATE"
                    + " utf8mb4_bin, new_value LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, KEY"
                    + " configstore_audit_guild (guild_id, id), KEY configstore_audit_at (at_ms)) ENGINE=InnoDB");
        }
        createChangeLog(connection, statement);
        if (!tableExists(connection, SERVER_TABLE)) {
            statement.execute("CREATE TABLE " + table(SERVER_TABLE) + " (only_row TINYINT NOT NULL PRIMARY"
                    + " KEY, incarnation CHAR(36) CHARACTER SET ascii NOT NULL, since DATETIME NOT NULL)"
                    + " ENGINE=MEMORY");
        }
        for (String data : List.of("guild_config", "configstore_kv", SETTINGS_TABLE)) {
            createTriggers(connection, statement, data);
        }
        trigger(
                connection,
                statement,
                CHANGES_TABLE,
                "configstore_changes_ad",
                "AFTER DELETE",
                "UPDATE " + table(REMOVED_TABLE) + " SET newest_seq = GREATEST(newest_seq, OLD.seq)");
    }

    /**
     * Takes the database's migration lock, waiting as long as another process holds it: that
     * process may be migrating a big table for longer than any busy timeout, and giving up would
     * only make this one fail to start.
     */
    @Override
    public void lock(Connection connection) throws SQLException {
        if (getLock(connection, 0)) {
            return;
        }
        log.info("configstore-mysql {}: another process is migrating the database; waiting for it", where());
        // A year: GET_LOCK has no "forever" on every version.
        if (!getLock(connection, 31_536_000)) {
            throw new SQLException("could not take the migration lock " + lockName(name));
        }
    }

    @Override
    public void unlock(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("DO RELEASE_LOCK(?)")) {
            release.setString(1, lockName(name));
            release.execute();
        }
    }

    private boolean getLock(Connection connection, int seconds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            lock.setString(1, lockName(name));
            lock.setInt(2, seconds);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getInt(1) == 1;
            }
        }
    }

    private void adoptGuildConfig(Connection connection, Statement statement, int before) throws SQLException {
        String table = table("guild_config");
        if (!tableExists(connection, "guild_config")) {
            statement.execute("CREATE TABLE " + table + " (guild_id VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin"
                    + " NOT NULL PRIMARY KEY, logging_channel_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE"
                    + " utf8mb4_bin, flags_channel_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
                    + " silent_first_msg_days INT, updated_at DATETIME(3), updated_at_s BIGINT,"
                    + " version BIGINT NOT NULL DEFAULT 1) ENGINE=InnoDB");
            return;
        }
        Map<String, String> existing = columns(connection, name, "guild_config");
        String guildIdType = existing.get("guild_id");
        if (guildIdType == null || !(TEXT.contains(guildIdType) || guildIdType.equals("bigint"))) {
            throw incompatible("guild_config", "guild_id", guildIdType, "text or BIGINT UNSIGNED");
        }
        addMissingColumns(statement, "guild_config", existing, GUILD_COLUMNS);
        if (before < UPDATED_AT_VERSION) {
            fillUpdatedAt(statement, table, existing.getOrDefault("updated_at", "datetime"));
        }
        if (!guildIdIsUnique(connection)) {
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
                        "Table guild_config (" + where() + ") has several rows for one guild_id, so it"
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
    /**
     * Up to version 1, configstore kept only {@code updated_at_s} current, leaving an adopted
     * table's {@code updated_at} at the time of the original bot's own last change: each row's
     * {@code updated_at} that is missing, or older than {@code updated_at_s}, takes its time. Text
     * that is not the original bot's ISO-8601 is left as it is.
     */
    private static void fillUpdatedAt(Statement statement, String table, String type) throws SQLException {
        String changed = updatedAt(type, "TIMESTAMP'1970-01-01 00:00:00' + INTERVAL updated_at_s SECOND");
        String older = type.equals("datetime") || type.equals("timestamp")
                ? "updated_at < " + changed
                : "(updated_at LIKE '____-__-__T__:__:__.___Z' AND updated_at < " + changed + ")";
        statement.execute("UPDATE " + table + " SET updated_at = " + changed + " WHERE updated_at_s IS NOT NULL"
                + " AND (updated_at IS NULL OR " + older + ")");
    }

    /**
     * A time as {@code guild_config.updated_at} holds it: ISO-8601 text in UTC with milliseconds
     * and {@code Z} in a text column, as the original bot writes it; otherwise the date and time
     * in UTC (configstore's sessions run in UTC, so a {@code TIMESTAMP} column reads it as such).
     *
     * @param type the column's type, as {@link #columns} names it
     * @param utc an SQL expression of type {@code DATETIME}, in UTC
     * @return the SQL expression
     */
    static String updatedAt(String type, String utc) {
        if (type.equals("datetime") || type.equals("timestamp")) {
            return utc;
        }
        return "CONCAT(LEFT(DATE_FORMAT(" + utc + ", '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')";
    }

    /** What sets {@code guild_config.updated_at} of a database to now, by the server's clock. */
    static String updatedAtNow(Connection connection, String database) throws SQLException {
        return updatedAt(
                columns(connection, database, "guild_config").getOrDefault("updated_at", "datetime"),
                "UTC_TIMESTAMP(3)");
    }

    private void createChangeLog(Connection connection, Statement statement) throws SQLException {
        if (!tableExists(connection, CHANGES_TABLE)) {
            statement.execute("CREATE TABLE " + table(CHANGES_TABLE) + " (seq BIGINT UNSIGNED NOT NULL"
                    + " AUTO_INCREMENT PRIMARY KEY, table_name VARCHAR(64) CHARACTER SET ascii NOT NULL, namespace"
                    + " VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, `key` VARBINARY(1024), version"
                    + " BIGINT NOT NULL, changed_at DATETIME(6) NOT NULL) ENGINE=InnoDB");
        }
        String removed = table(REMOVED_TABLE);
        if (!tableExists(connection, REMOVED_TABLE)) {
            statement.execute("CREATE TABLE " + removed + " (newest_seq BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB");
        }
        try (ResultSet rows = statement.executeQuery("SELECT 1 FROM " + removed)) {
            if (!rows.next()) {
                statement.execute("INSERT INTO " + removed + " (newest_seq) VALUES (0)");
            }
        }
    }

    /** The version triggers and the logging triggers of one data table. */
    private void createTriggers(Connection connection, Statement statement, String table) throws SQLException {
        // guild_config's and configstore_settings' changes are logged under their guild.
        boolean guilds = !table.equals("configstore_kv");
        String prefix = triggerPrefix(table);
        String insert = "INSERT INTO " + table(CHANGES_TABLE)
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
                table,
                prefix + "bi",
                "BEFORE INSERT",
                "SET NEW.version = GREATEST(COALESCE(NEW.version, 1), " + NOW_MICROS + ")");
        trigger(
                connection,
                statement,
                table,
                prefix + "bu",
                "BEFORE UPDATE",
                "SET NEW.version = GREATEST(OLD.version + 1, COALESCE(NEW.version, 1), " + NOW_MICROS + ")");
        trigger(
                connection,
                statement,
                table,
                prefix + "ai",
                "AFTER INSERT",
                insert + newRow + ", NEW.version, UTC_TIMESTAMP(6))");
        trigger(
                connection,
                statement,
                table,
                prefix + "au",
                "AFTER UPDATE",
                "BEGIN " + insert + newRow + ", NEW.version, UTC_TIMESTAMP(6)); IF NOT (" + sameRow + ") THEN " + insert
                        + oldRow + ", 0, UTC_TIMESTAMP(6)); END IF; END");
        trigger(
                connection,
                statement,
                table,
                prefix + "ad",
                "AFTER DELETE",
                insert + oldRow + ", 0, UTC_TIMESTAMP(6))");
    }

    /** Creates a trigger unless the database already has one of that name. */
    private void trigger(
            Connection connection, Statement statement, String table, String trigger, String timing, String body)
            throws SQLException {
        if (MigrationRunner.anyRow(
                connection,
                "SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?",
                name,
                trigger)) {
            return;
        }
        statement.execute(
                "CREATE TRIGGER " + table(trigger) + " " + timing + " ON " + table(table) + " FOR EACH ROW " + body);
    }

    private boolean guildIdIsUnique(Connection connection) throws SQLException {
        // A unique index whose only column is guild_id.
        return MigrationRunner.anyRow(
                connection,
                "SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME ="
                        + " 'guild_config' AND NON_UNIQUE = 0 GROUP BY INDEX_NAME HAVING COUNT(*) = 1"
                        + " AND MAX(COLUMN_NAME) = 'guild_id'",
                name);
    }

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
        return MigrationRunner.plan(connection, new Migrations(name, "database " + name + " on " + where));
    }

    @Override
    public List<String> pending(Connection connection, int version) throws SQLException {
        if (!databaseExists(connection, name)) {
            return List.of("create database " + name + " with configstore's tables, change log and triggers");
        }
        Set<String> tables = new HashSet<>(
                names(connection, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"));
        List<String> steps = new ArrayList<>();
        for (String table : List.of(
                "guild_config",
                "configstore_kv",
                SETTINGS_TABLE,
                DECLARATIONS_TABLE,
                APPLICATIONS_TABLE,
                AUDIT_TABLE,
                CHANGES_TABLE,
                REMOVED_TABLE,
                SERVER_TABLE)) {
            if (!tables.contains(table)) {
                steps.add("create table " + table);
            }
        }
        if (tables.contains("guild_config")) {
            Set<String> existing = columns(connection, name, "guild_config").keySet();
            steps.addAll(MigrationRunner.missingColumns("guild_config", existing, GUILD_COLUMNS));
            if (version < UPDATED_AT_VERSION && existing.contains("updated_at_s")) {
                steps.add("fill guild_config.updated_at from updated_at_s where it is missing or older");
            }
        }
        List<String> triggers =
                names(connection, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?");
        TRIGGERS.forEach((trigger, table) -> {
            if (!triggers.contains(trigger)) {
                steps.add("create trigger " + trigger + " on " + table);
            }
        });
        return steps;
    }

    /** The first column of a query's rows, its one parameter the database's name. */
    private List<String> names(Connection connection, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** The columns of a table and their types ("varchar", "bigint", …), by name. */
    static Map<String, String> columns(Connection connection, String database, String table) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM"
                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, database);
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

    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        return MigrationRunner.anyRow(
                connection,
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                name,
                table);
    }

    private static boolean databaseExists(Connection connection, String name) throws SQLException {
        return MigrationRunner.anyRow(
                connection, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name);
    }

    @Override
    public String columnTypeFix() {
        return "Change the column's type (ALTER TABLE … MODIFY …), or give configstore a database of its own, then restart.";
    }
}
