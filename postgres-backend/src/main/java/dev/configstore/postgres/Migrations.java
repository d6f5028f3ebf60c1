package dev.configstore.postgres;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.MigrationRunner;
import dev.configstore.jdbc.internal.MigrationRunner.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's schema steps for {@link MigrationRunner}, each looking first and adding only what
 * is missing. They all run every time a store opens, in one transaction whose migration lock is a
 * transaction-level advisory lock on the schema's name, so two processes starting at once take
 * turns and the second finds nothing left to do; the second waits for the lock however long the
 * first takes. A schema that is already current is not written to at all (a store can then open
 * over a read-only connection). An existing bot's {@code guild_config} table is adopted: missing
 * columns are added, and no row or value is changed. A schema written by a newer configstore is
 * refused before anything is changed.
 */
final class Migrations extends MigrationRunner.Schema {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.migrations");

    /**
     * The schema version this code writes and understands. 1: the tables, the change log and its
     * triggers. 2: configstore's trigger functions can no longer be called by every role ({@code
     * PUBLIC}); they run with the owner's rights, and only as triggers. 3: {@code
     * guild_config.updated_at}, the time of a row's last change as the original bot keeps it
     * ({@code TIMESTAMPTZ}), filled on schemas made before from {@code updated_at_s}. 4: {@code
     * configstore_settings}, declared settings by scope, guild, channel and key, with its triggers. 5:
     * {@code configstore_declarations} and {@code configstore_applications}, the record of declared
     * settings for tools. 6: {@code configstore_audit}, the audit trail.
     */
    static final int LATEST = 6;

    /** The version whose migration added {@code guild_config.updated_at}. */
    private static final int UPDATED_AT_VERSION = 3;

    /** configstore's trigger functions, each without arguments. */
    private static final List<String> FUNCTIONS = List.of(
            "configstore_set_version",
            "configstore_guild_config_changed",
            "configstore_kv_changed",
            "configstore_table_truncated",
            "configstore_changes_deleted",
            "configstore_changes_truncated");

    static final String VERSION_TABLE = MigrationRunner.VERSION_TABLE;
    static final String CHANGES_TABLE = "configstore_changes";
    static final String SETTINGS_TABLE = "configstore_settings";
    static final String DECLARATIONS_TABLE = "configstore_declarations";
    static final String APPLICATIONS_TABLE = "configstore_applications";
    static final String AUDIT_TABLE = "configstore_audit";
    static final String CHANGES_SEQUENCE = "configstore_changes_seq_seq";
    static final String REMOVED_TABLE = "configstore_changes_removed";

    /**
     * One row naming the server's current incarnation (a random id), in an {@code UNLOGGED} table:
     * PostgreSQL empties such a table after a crash, keeps it out of backups and does not
     * replicate it, so a promoted standby, a restored backup and a server back from a crash all
     * start without the row, and the change feed's next connection writes a new one. A feed that
     * finds another id than the one it read before knows the server, or its history, changed.
     */
    static final String SERVER_TABLE = "configstore_server";

    /**
     * The triggers coherence depends on: without any of them, changes made elsewhere are not
     * logged, not versioned, or removed from the log unnoticed. The change feed checks at every
     * read that each exists and is enabled.
     */
    static final List<Trigger> TRIGGERS = List.of(
            new Trigger("guild_config", "configstore_set_version"),
            new Trigger("guild_config", "configstore_log_change"),
            new Trigger("guild_config", "configstore_log_truncate"),
            new Trigger("configstore_kv", "configstore_set_version"),
            new Trigger("configstore_kv", "configstore_log_change"),
            new Trigger("configstore_kv", "configstore_log_truncate"),
            new Trigger(SETTINGS_TABLE, "configstore_set_version"),
            new Trigger(SETTINGS_TABLE, "configstore_log_change"),
            new Trigger(SETTINGS_TABLE, "configstore_log_truncate"),
            new Trigger(CHANGES_TABLE, "configstore_note_removed"),
            new Trigger(CHANGES_TABLE, "configstore_note_truncated"));

    /** A trigger of a table of the schema. */
    record Trigger(String table, String name) {}

    /** Takes the migration lock of one schema until the transaction ends. */
    static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";

    /** Takes the migration lock of one schema if it is free; returns whether it did. */
    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))";

    /** Microseconds since the epoch by the server's clock: the floor of every new version. */
    static final String NOW_MICROS = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

    /** Seconds since the epoch by the server's clock, for {@code updated_at_s}. */
    static final String NOW_SECONDS = "floor(extract(epoch FROM clock_timestamp()))::bigint";

    private static final Set<String> TEXT = Set.of("text", "character varying");
    private static final Set<String> INTEGERS = Set.of("smallint", "integer", "bigint");
    private static final String TIMESTAMPTZ = "timestamp with time zone";

    private static final List<Column> GUILD_COLUMNS = List.of(
            new Column("logging_channel_id", "TEXT", TEXT),
            new Column("flags_channel_id", "TEXT", TEXT),
            new Column("silent_first_msg_days", "INTEGER", INTEGERS),
            // An adopted table's text column (the original bot's) keeps ISO-8601 text.
            new Column(
                    "updated_at",
                    "TIMESTAMPTZ",
                    Set.of(TIMESTAMPTZ, "timestamp without time zone", "text", "character varying")),
            new Column("updated_at_s", "BIGINT", INTEGERS),
            // Rows written by other programs start at version 1; every change raises it (see the
            // version trigger below).
            new Column("version", "BIGINT NOT NULL DEFAULT 1", Set.of("integer", "bigint")));

    private static final List<Column> KV_COLUMNS = List.of(
            new Column("value", "TEXT", TEXT),
            new Column("version", "BIGINT NOT NULL DEFAULT 1", Set.of("integer", "bigint")),
            new Column("updated_at_s", "BIGINT NOT NULL DEFAULT 0", INTEGERS));

    private final String schema;
    private final Duration busyTimeout;

    private Migrations(String schema, String where, Duration busyTimeout) {
        super(LATEST, where);
        this.schema = schema;
        this.busyTimeout = busyTimeout;
    }

    private Migrations(PostgresDatabase database) {
        this(database.schema, database.server, database.busyTimeout);
    }

    @Override
    public String table(String name) {
        return quoted() + "." + name;
    }

    private String quoted() {
        return "\"" + schema + "\"";
    }

    @Override
    public boolean tableExists(Connection connection, String name) throws SQLException {
        return exists(connection, table(name));
    }

    /** The name whose hash is the advisory lock of a schema's migrations. */
    static String lockName(String schema) {
        return "configstore migrations " + schema;
    }

    /** The channel the triggers notify, one per schema. */
    static String channel(String schema) {
        return "configstore:" + schema;
    }

    /** Runs every step that has something to do; returns the schema version found before. */
    static int migrate(Connection connection, PostgresDatabase database) throws SQLException {
        return MigrationRunner.migrate(connection, new Migrations(database));
    }

    /** The steps that may write: each looks first and changes only what is missing. */
    @Override
    public void apply(Connection connection, Statement statement, int before) throws SQLException {
        requireServerVersion(connection);
        if (!schemaExists(connection, schema)) {
            statement.execute("CREATE SCHEMA " + quoted());
        }
        adoptGuildConfig(connection, statement, before);
        createKeyValueTable(connection, statement);
        if (!exists(connection, table(SETTINGS_TABLE))) {
            // '' stands for "no guild" and "no channel", so the primary key holds; a reset keeps
            // the row with a NULL value, so its version keeps rising.
            statement.execute("CREATE TABLE " + table(SETTINGS_TABLE) + " (scope TEXT NOT NULL, guild_id TEXT NOT"
                    + " NULL, channel_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, version BIGINT NOT NULL"
                    + " DEFAULT 1, updated_at_s BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (scope, guild_id, channel_id,"
                    + " key))");
        }
        if (!exists(connection, table(DECLARATIONS_TABLE))) {
            // The record of declared settings, for tools; lists are JSON arrays of strings.
            statement.execute("CREATE TABLE " + table(DECLARATIONS_TABLE) + " (application TEXT NOT NULL, key TEXT"
                    + " NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL, scopes TEXT NOT NULL, rules TEXT NOT"
                    + " NULL, custom_rules TEXT NOT NULL, default_value TEXT, environment TEXT, description TEXT NOT"
                    + " NULL, PRIMARY KEY (application, key))");
        }
        if (!exists(connection, table(APPLICATIONS_TABLE))) {
            statement.execute("CREATE TABLE " + table(APPLICATIONS_TABLE) + " (application TEXT PRIMARY KEY,"
                    + " version BIGINT NOT NULL, updated_at_s BIGINT NOT NULL)");
        }
        if (!exists(connection, table(AUDIT_TABLE))) {
            // The audit trail: who changed which value, when (milliseconds since the epoch), and
            // the text before and after; '' for the ids that do not apply.
            statement.execute("CREATE TABLE " + table(AUDIT_TABLE) + " (id BIGINT GENERATED ALWAYS AS IDENTITY"
                    + " PRIMARY KEY, at_ms BIGINT NOT NULL, actor TEXT NOT NULL, scope TEXT NOT NULL, guild_id TEXT"
                    + " NOT NULL, channel_id TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, old_value"
                    + " TEXT, new_value TEXT)");
            statement.execute("CREATE INDEX configstore_audit_guild ON " + table(AUDIT_TABLE) + " (guild_id, id)");
            statement.execute("CREATE INDEX configstore_audit_at ON " + table(AUDIT_TABLE) + " (at_ms)");
        }
        createChangeLog(connection, statement);
        if (!exists(connection, table(SERVER_TABLE))) {
            // Not a new schema version: older configstores ignore the table.
            statement.execute("CREATE UNLOGGED TABLE " + table(SERVER_TABLE) + " (only_row BOOLEAN PRIMARY KEY"
                    + " DEFAULT true CHECK (only_row), incarnation UUID NOT NULL DEFAULT gen_random_uuid(),"
                    + " since TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
        if (before < 2) {
            // Functions written by this migration were revoked as they were created; those a
            // version 1 schema kept still have the default grant.
            for (String function : FUNCTIONS) {
                revokePublicExecute(statement, function);
            }
        }
    }

    @Override
    public @Nullable StoreException explain(SQLException e) {
        return PostgresErrors.sqlState(e).equals("42501") ? notAllowedToMigrate(e) : null;
    }

    /**
     * Takes the schema's migration lock, waiting as long as another process holds it. That process
     * may be migrating a big table for longer than any busy timeout, and giving up would only make
     * this one fail to start; its own statements still obey the busy timeout.
     */
    @Override
    public void lock(Connection connection) throws SQLException {
        try (PreparedStatement attempt = connection.prepareStatement(TRY_LOCK)) {
            attempt.setString(1, lockName(schema));
            try (ResultSet row = attempt.executeQuery()) {
                if (row.next() && row.getBoolean(1)) {
                    return;
                }
            }
        }
        log.info("configstore-postgres {}: another process is migrating the schema; waiting for it", where());
        try (Statement statement = connection.createStatement();
                PreparedStatement lock = connection.prepareStatement(LOCK)) {
            statement.execute("SET LOCAL lock_timeout = 0");
            lock.setString(1, lockName(schema));
            lock.execute();
            statement.execute("SET LOCAL lock_timeout = '" + busyTimeout.toMillis() + "ms'");
        }
    }

    private void requireServerVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            int version = row.next() ? row.getInt(1) : 0;
            if (version < 130_000) {
                throw new StoreException(
                        Reason.UNAVAILABLE,
                        "configstore needs PostgreSQL 13 or newer (for 64-bit transaction ids in its change log);"
                                + " the server of " + where() + " reports version " + version
                                + ". Upgrade the server; nothing was changed.",
                        new SQLException("server_version_num " + version));
            }
        }
    }

    private void adoptGuildConfig(Connection connection, Statement statement, int before) throws SQLException {
        String table = table("guild_config");
        if (!exists(connection, table)) {
            statement.execute("CREATE TABLE " + table + " (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT,"
                    + " flags_channel_id TEXT, silent_first_msg_days INTEGER, updated_at TIMESTAMPTZ,"
                    + " updated_at_s BIGINT, version BIGINT NOT NULL DEFAULT 1)");
            return;
        }
        Map<String, String> existing = columns(connection, table);
        String guildIdType = existing.get("guild_id");
        if (guildIdType == null || !TEXT.contains(guildIdType)) {
            throw incompatible("guild_config", "guild_id", guildIdType, "text");
        }
        addMissingColumns(statement, "guild_config", existing, GUILD_COLUMNS);
        if (existing.containsKey("updated_at") && !existing.containsKey("updated_at_s")) {
            // An older bot kept a text or timestamp column; keep it, and carry each value that
            // reads as a time over to updated_at_s, skipping the ones that do not.
            statement.execute("DO $carry$ DECLARE r record; BEGIN"
                    + " FOR r IN SELECT ctid, updated_at FROM " + table
                    + " WHERE updated_at_s IS NULL AND updated_at IS NOT NULL LOOP"
                    + " BEGIN UPDATE " + table + " SET updated_at_s = floor(extract(epoch FROM"
                    + " r.updated_at::text::timestamptz))::bigint WHERE ctid = r.ctid;"
                    + " EXCEPTION WHEN others THEN NULL; END;"
                    + " END LOOP; END $carry$");
        }
        if (before < UPDATED_AT_VERSION) {
            fillUpdatedAt(statement, table, existing.getOrDefault("updated_at", TIMESTAMPTZ));
        }
        if (!guildIdIsUnique(connection, table)) {
            try {
                statement.execute("CREATE UNIQUE INDEX configstore_guild_config_guild_id ON " + table + " (guild_id)");
            } catch (SQLException e) {
                if (!PostgresErrors.sqlState(e).startsWith("23")) {
                    throw e;
                }
                throw new StoreException(
                        Reason.CONSTRAINT,
                        "Table guild_config (" + where() + ") has several rows for one guild_id, so it"
                                + " cannot be adopted; nothing was changed. Keep one row per guild (for example"
                                + " with psql), then restart.",
                        e);
            }
        }
    }

    /**
     * Up to version 2, configstore kept only {@code updated_at_s} current, leaving an adopted
     * table's {@code updated_at} at the time of the original bot's own last change: each row's
     * {@code updated_at} that is missing, or older than {@code updated_at_s}, takes its time. A
     * value that does not read as a time is left as it is.
     */
    private static void fillUpdatedAt(Statement statement, String table, String type) throws SQLException {
        // Text without an offset, and timestamps without a time zone, are UTC.
        statement.execute("SET LOCAL TimeZone = 'UTC'");
        statement.execute("DO $fill$ DECLARE r record; BEGIN"
                + " FOR r IN SELECT ctid, updated_at::text AS old, to_timestamp(updated_at_s) AS changed FROM " + table
                + " WHERE updated_at_s IS NOT NULL LOOP"
                + " BEGIN IF r.old IS NULL OR r.old::timestamptz < r.changed THEN UPDATE " + table
                + " SET updated_at = " + updatedAt(type, "r.changed") + " WHERE ctid = r.ctid; END IF;"
                + " EXCEPTION WHEN others THEN NULL; END;"
                + " END LOOP; END $fill$");
    }

    /**
     * A time as {@code guild_config.updated_at} holds it: ISO-8601 text in UTC with milliseconds
     * and {@code Z} in a text column, as the original bot writes it; otherwise the timestamp, to
     * the millisecond, in UTC where the column has no time zone.
     *
     * @param type the column's type, as {@link #columns} names it
     * @param time an SQL expression of type {@code timestamptz}
     * @return the SQL expression
     */
    static String updatedAt(String type, String time) {
        String millis = "date_trunc('milliseconds', " + time + ")";
        if (TEXT.contains(type)) {
            return "to_char(" + millis + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
        }
        return type.equals(TIMESTAMPTZ) ? millis : millis + " AT TIME ZONE 'UTC'";
    }

    /** What sets {@code guild_config.updated_at} of a schema to now, by the server's clock. */
    static String updatedAtNow(Connection connection, String schema) throws SQLException {
        String type = columns(connection, "\"" + schema + "\".guild_config").get("updated_at");
        return updatedAt(type == null ? TIMESTAMPTZ : type, "clock_timestamp()");
    }

    private void createKeyValueTable(Connection connection, Statement statement) throws SQLException {
        String table = table("configstore_kv");
        if (!exists(connection, table)) {
            statement.execute("CREATE TABLE " + table + " (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT,"
                    + " version BIGINT NOT NULL DEFAULT 1, updated_at_s BIGINT NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (namespace, key))");
            return;
        }
        Map<String, String> existing = columns(connection, table);
        for (Column column : KV_COLUMNS) {
            if (!existing.containsKey(column.name())) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column.name() + " " + column.definition());
            }
        }
    }

    /**
     * The change log. Triggers on {@code guild_config} and {@code configstore_kv} add an entry for
     * every insert, update, delete and truncate, by any program, and notify the schema's channel;
     * each entry records the 64-bit id of the transaction that wrote it, which is what lets a
     * reader take entries in the order their transactions became visible (see
     * PostgresChangeFeed). Another trigger keeps the newest transaction id among entries ever
     * removed from the log, so that a reader can tell when entries it had not read yet are gone.
     */
    private void createChangeLog(Connection connection, Statement statement) throws SQLException {
        String changes = table(CHANGES_TABLE);
        String removed = table(REMOVED_TABLE);
        if (!exists(connection, changes)) {
            statement.execute("CREATE TABLE " + changes + " (seq BIGSERIAL PRIMARY KEY,"
                    + " txid xid8 NOT NULL DEFAULT pg_current_xact_id(), table_name TEXT NOT NULL,"
                    + " namespace TEXT NOT NULL, key TEXT, version BIGINT NOT NULL,"
                    + " changed_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
        if (!exists(connection, table("configstore_changes_txid"))) {
            statement.execute("CREATE INDEX configstore_changes_txid ON " + changes + " (txid)");
        }
        if (!exists(connection, removed)) {
            statement.execute("CREATE TABLE " + removed + " (newest_txid xid8 NOT NULL)");
        }
        try (ResultSet rows = statement.executeQuery("SELECT 1 FROM " + removed)) {
            if (!rows.next()) {
                statement.execute("INSERT INTO " + removed + " (newest_txid) VALUES ('0')");
            }
        }

        String notify = "PERFORM pg_notify('" + channel(schema) + "', '');";
        String insert = "INSERT INTO " + changes + " (table_name, namespace, key, version) VALUES ";
        function(
                connection,
                statement,
                "configstore_set_version",
                "BEGIN IF TG_OP = 'UPDATE' THEN NEW.version := GREATEST(OLD.version + 1, NEW.version, " + NOW_MICROS
                        + "); ELSE NEW.version := GREATEST(NEW.version, " + NOW_MICROS + "); END IF; RETURN NEW; END");
        function(
                connection,
                statement,
                "configstore_guild_config_changed",
                "BEGIN IF TG_OP = 'DELETE' THEN " + insert + "(TG_TABLE_NAME, '', COALESCE(OLD.guild_id, ''), 0);"
                        + " ELSE " + insert + "(TG_TABLE_NAME, '', COALESCE(NEW.guild_id, ''), NEW.version);"
                        + " IF TG_OP = 'UPDATE' AND OLD.guild_id IS DISTINCT FROM NEW.guild_id THEN " + insert
                        + "(TG_TABLE_NAME, '', COALESCE(OLD.guild_id, ''), 0); END IF; END IF; " + notify
                        + " RETURN NULL; END");
        function(
                connection,
                statement,
                "configstore_kv_changed",
                "BEGIN IF TG_OP = 'DELETE' THEN " + insert + "(TG_TABLE_NAME, OLD.namespace, OLD.key, 0);"
                        + " ELSE " + insert + "(TG_TABLE_NAME, NEW.namespace, NEW.key, NEW.version);"
                        + " IF TG_OP = 'UPDATE' AND (OLD.namespace, OLD.key) IS DISTINCT FROM (NEW.namespace, NEW.key)"
                        + " THEN " + insert + "(TG_TABLE_NAME, OLD.namespace, OLD.key, 0); END IF; END IF; " + notify
                        + " RETURN NULL; END");
        // A truncated table changed everywhere: an entry without a key says so.
        function(
                connection,
                statement,
                "configstore_table_truncated",
                "BEGIN " + insert + "(TG_TABLE_NAME, '', NULL, 0); " + notify + " RETURN NULL; END");
        function(
                connection,
                statement,
                "configstore_changes_deleted",
                "BEGIN UPDATE " + removed + " SET newest_txid = GREATEST(newest_txid,"
                        + " (SELECT txid FROM removed_entries ORDER BY txid DESC LIMIT 1))"
                        + " WHERE EXISTS (SELECT 1 FROM removed_entries); RETURN NULL; END");
        // Entries of every transaction that could have written one are gone: those are below the
        // first transaction id not yet handed out.
        function(
                connection,
                statement,
                "configstore_changes_truncated",
                "BEGIN UPDATE " + removed + " SET newest_txid = GREATEST(newest_txid,"
                        + " pg_snapshot_xmax(pg_current_snapshot())); RETURN NULL; END");

        // A settings change is logged under its guild ('' for a global one), as a guild_config
        // change is: the same function serves both tables.
        for (String data : List.of("guild_config", "configstore_kv", SETTINGS_TABLE)) {
            String name = data.equals("configstore_kv") ? "configstore_kv_changed" : "configstore_guild_config_changed";
            trigger(
                    connection,
                    statement,
                    data,
                    "configstore_set_version",
                    "BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s.configstore_set_version()");
            trigger(
                    connection,
                    statement,
                    data,
                    "configstore_log_change",
                    "AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s." + name + "()");
            trigger(
                    connection,
                    statement,
                    data,
                    "configstore_log_truncate",
                    "AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s.configstore_table_truncated()");
        }
        trigger(
                connection,
                statement,
                CHANGES_TABLE,
                "configstore_note_removed",
                "AFTER DELETE ON %s REFERENCING OLD TABLE AS removed_entries FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION %s.configstore_changes_deleted()");
        trigger(
                connection,
                statement,
                CHANGES_TABLE,
                "configstore_note_truncated",
                "BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s.configstore_changes_truncated()");
    }

    /**
     * Creates or replaces a trigger function unless it already has exactly this body. Each runs
     * with the rights of the schema's owner ({@code SECURITY DEFINER}, with a fixed search path),
     * so that a program allowed to change {@code guild_config} needs no rights on the change log
     * for its changes to be logged.
     */
    private void function(Connection connection, Statement statement, String name, String body) throws SQLException {
        String signature = quoted() + "." + name + "()";
        try (PreparedStatement current =
                connection.prepareStatement("SELECT prosrc, prosecdef FROM pg_proc WHERE oid = to_regprocedure(?)")) {
            current.setString(1, signature);
            try (ResultSet row = current.executeQuery()) {
                if (row.next() && body.equals(row.getString(1)) && row.getBoolean(2)) {
                    return;
                }
            }
        }
        statement.execute("CREATE OR REPLACE FUNCTION " + signature + " RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$" + body + "$body$");
        revokePublicExecute(statement, name);
    }

    /**
     * Takes back the right every role gets to call a new function: a trigger function that runs
     * with the owner's rights is for the triggers only, which need no such right.
     */
    private void revokePublicExecute(Statement statement, String function) throws SQLException {
        statement.execute("REVOKE EXECUTE ON FUNCTION " + quoted() + "." + function + "() FROM PUBLIC");
    }

    /** Creates a trigger unless the table already has one of that name. */
    private void trigger(Connection connection, Statement statement, String table, String name, String definition)
            throws SQLException {
        if (MigrationRunner.anyRow(
                connection,
                "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ? AND NOT tgisinternal",
                table(table),
                name)) {
            return;
        }
        statement.execute("CREATE TRIGGER " + name + " " + String.format(definition, table(table), quoted()));
    }

    private static boolean guildIdIsUnique(Connection connection, String table) throws SQLException {
        return MigrationRunner.anyRow(
                connection,
                "SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                        + " WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indnkeyatts = 1"
                        + " AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attname = 'guild_id'",
                table);
    }

    /**
     * Lists, without changing anything, what opening a store on {@code schema} would migrate:
     * the schema, tables, columns and triggers to add, and the schema version to record.
     *
     * @param connection a connection to the database
     * @param schema the schema's name, already checked
     * @param where where the schema is, for messages
     * @return one line per step; empty if the schema is complete and current
     * @throws StoreException if the schema comes from a newer configstore
     */
    static List<String> plan(Connection connection, String schema, String where) throws SQLException {
        return MigrationRunner.plan(connection, new Migrations(schema, where, Duration.ZERO));
    }

    @Override
    public List<String> pending(Connection connection, int version) throws SQLException {
        if (!schemaExists(connection, schema)) {
            return List.of("create schema " + schema + " with configstore's tables, change log and triggers");
        }
        List<String> steps = new ArrayList<>();
        for (Map.Entry<String, List<Column>> table :
                Map.of("guild_config", GUILD_COLUMNS, "configstore_kv", KV_COLUMNS).entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .toList()) {
            String name = table(table.getKey());
            if (!exists(connection, name)) {
                steps.add("create table " + table.getKey());
                continue;
            }
            Set<String> existing = columns(connection, name).keySet();
            steps.addAll(MigrationRunner.missingColumns(table.getKey(), existing, table.getValue()));
            if (table.getKey().equals("guild_config")
                    && version < UPDATED_AT_VERSION
                    && existing.contains("updated_at_s")) {
                steps.add("fill guild_config.updated_at from updated_at_s where it is missing or older");
            }
        }
        for (String table : List.of(
                SETTINGS_TABLE,
                DECLARATIONS_TABLE,
                APPLICATIONS_TABLE,
                AUDIT_TABLE,
                CHANGES_TABLE,
                REMOVED_TABLE,
                SERVER_TABLE)) {
            if (!exists(connection, table(table))) {
                steps.add("create table " + table);
            }
        }
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?")) {
            for (Trigger trigger : TRIGGERS) {
                statement.setString(1, table(trigger.table()));
                statement.setString(2, trigger.name());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        steps.add("create trigger " + trigger.name() + " on " + trigger.table());
                    }
                }
            }
        }
        return steps;
    }

    /** The columns of a table and their types ("text", "integer", …), by name. */
    static Map<String, String> columns(Connection connection, String table) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT attname, format_type(atttypid, NULL)"
                + " FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return columns;
    }

    /** Whether a table, index or sequence exists; {@code name} is schema-qualified and quoted. */
    static boolean exists(Connection connection, String name) throws SQLException {
        return MigrationRunner.anyRow(connection, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", name);
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        return MigrationRunner.anyRow(connection, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema);
    }

    @Override
    public String columnTypeFix() {
        return "Change the column's type (ALTER TABLE … ALTER COLUMN … TYPE …), or give configstore a schema of its own, then restart.";
    }

    /**
     * A privilege the migrations need is missing. Granting table rights (what a running store
     * needs) does not help here: adding a column or an index to a table takes its ownership.
     */
    private StoreException notAllowedToMigrate(SQLException e) {
        return new StoreException(
                Reason.READ_ONLY,
                "The database role may not change the " + where() + " while migrating it ("
                        + PostgresErrors.serverMessage(e) + "); nothing was changed. Creating the schema needs the"
                        + " database's CREATE privilege, and adding what is missing to its tables (an adopted"
                        + " guild_config too) needs their ownership: start the bot once with the role that owns"
                        + " them, or make this role their owner (ALTER TABLE … OWNER TO …), then restart.",
                e);
    }
}
