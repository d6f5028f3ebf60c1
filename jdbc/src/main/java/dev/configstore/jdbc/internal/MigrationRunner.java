package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Brings a database's schema to the version this configstore writes, alike on every database.
 * Under the database's migration lock, it reads the version recorded in {@value #VERSION_TABLE},
 * refuses a schema written by a newer configstore before changing anything, runs the database's
 * steps in order and records the new version; {@link #plan} lists, without changing anything,
 * what that would do. A database supplies a {@link Schema}: its steps (the SQL) and its lock.
 *
 * <p>Steps look first and add only what is missing, so they run on every open: a table, column or
 * trigger dropped behind configstore's back comes back when the bot restarts. Steps that must
 * run once, such as filling a new column, look at the version the schema had before.
 */
public final class MigrationRunner {

    /** The table that records the schema version, in one row. */
    public static final String VERSION_TABLE = "configstore_schema_version";

    private MigrationRunner() {}

    /** One database's schema: its steps, its lock, and how it names and finds its tables. */
    public abstract static class Schema {

        private final int latest;
        private final String where;

        /**
         * Describes a schema.
         *
         * @param latest the schema version this code writes and understands
         * @param where where the schema is, for messages: for example {@code database
         *     /srv/bot/config.db} or {@code schema configstore on db1:5432/bot}
         */
        protected Schema(int latest, String where) {
            this.latest = latest;
            this.where = where;
        }

        /**
         * The schema version this code writes and understands.
         *
         * @return the version
         */
        public final int latest() {
            return latest;
        }

        /**
         * Where the schema is, for messages.
         *
         * @return for example {@code database /srv/bot/config.db}
         */
        public final String where() {
            return where;
        }

        /**
         * What a refusal says was left alone.
         *
         * @return {@code nothing was changed} unless overridden
         */
        public String unchanged() {
            return "nothing was changed";
        }

        /**
         * A table of the schema as statements name it.
         *
         * @param name the table's bare name
         * @return the name, qualified and quoted as the database needs
         */
        public abstract String table(String name);

        /**
         * Whether a table of the schema exists; false as well if the schema itself does not.
         *
         * @param connection the connection
         * @param name the table's bare name
         * @return whether it exists
         * @throws SQLException as the driver throws it
         */
        public abstract boolean tableExists(Connection connection, String name) throws SQLException;

        /**
         * What follows the column list of {@code CREATE TABLE} for the version table.
         *
         * @return for example {@code  ENGINE=InnoDB}; empty unless overridden
         */
        public String tableOptions() {
            return "";
        }

        /**
         * Takes the lock that serialises migrations, so that two processes starting at once take
         * turns and the second finds nothing left to do. Waits however long another process
         * holds it. Nothing unless overridden: the migration's transaction is the lock.
         *
         * @param connection the connection the migration runs on
         * @throws SQLException as the driver throws it
         */
        public void lock(Connection connection) throws SQLException {}

        /**
         * Lets go of what {@link #lock} took, if it outlives the transaction; after the steps,
         * whether they succeeded or not.
         *
         * @param connection the connection the migration ran on
         * @throws SQLException as the driver throws it
         */
        public void unlock(Connection connection) throws SQLException {}

        /**
         * Runs the steps, in order, each changing only what is missing.
         *
         * @param connection the connection, holding the migration lock
         * @param statement a statement on it, for the steps' SQL
         * @param before the version the schema had, 0 if none; not above {@link #latest()}
         * @throws SQLException as the driver throws it
         */
        public abstract void apply(Connection connection, Statement statement, int before) throws SQLException;

        /**
         * Lists what {@link #apply} would do, without changing anything.
         *
         * @param connection the connection
         * @param version the version the schema has, 0 if none; not above {@link #latest()}
         * @return one line per step, without the recording of the version
         * @throws SQLException as the driver throws it
         */
        public abstract List<String> pending(Connection connection, int version) throws SQLException;

        /**
         * How an operator makes a column configstore cannot use into one it can, for messages.
         *
         * @return a sentence
         */
        public String columnTypeFix() {
            return "Change the column's type, then restart.";
        }

        /**
         * The failure for a column of an adopted table that configstore cannot use.
         *
         * @param table the table's bare name
         * @param column the column's name
         * @param type the type it has, or null if the table has no such column
         * @param needed what configstore needs
         * @return the failure, with reason {@code CONSTRAINT}
         */
        public final StoreException incompatible(String table, String column, @Nullable String type, String needed) {
            String has = type == null ? "has no column " + column : "has column " + column + " of type " + type;
            return new StoreException(
                    Reason.CONSTRAINT,
                    "Table " + table + " (" + where + ") " + has + ", which configstore cannot use (it needs " + needed
                            + "); nothing was changed. " + columnTypeFix(),
                    new SQLException(table + "." + column + ": " + type));
        }

        /**
         * Adds the columns a table lacks, after checking that those it has are of a type
         * configstore can use: nothing is added if one is not.
         *
         * @param statement a statement for the changes
         * @param table the table's bare name
         * @param existing the table's columns and their types, as the catalog names them
         * @param wanted the columns configstore needs
         * @throws StoreException if a column is of a type configstore cannot use
         * @throws SQLException as the driver throws it
         */
        protected final void addMissingColumns(
                Statement statement, String table, Map<String, String> existing, List<Column> wanted)
                throws SQLException {
            for (Column column : wanted) {
                String type = existing.get(column.name());
                if (type != null && !column.types().contains(type)) {
                    throw incompatible(table, column.name(), type, column.definition());
                }
            }
            for (Column column : wanted) {
                if (!existing.containsKey(column.name())) {
                    statement.execute(
                            "ALTER TABLE " + table(table) + " ADD COLUMN " + column.name() + " " + column.definition());
                }
            }
        }

        /**
         * A clearer failure for one a step met, such as a missing privilege.
         *
         * @param e the failure
         * @return the failure to throw instead, or null to throw {@code e}
         */
        public @Nullable StoreException explain(SQLException e) {
            return null;
        }
    }

    /**
     * Runs the pending steps under the schema's migration lock.
     *
     * @param connection the connection; in a transaction where the database's DDL is transactional
     * @param schema the schema
     * @return the version the schema had before, 0 if none
     * @throws StoreException if the schema comes from a newer configstore (nothing is changed), or
     *     with the schema's explanation of a failed step
     * @throws SQLException as the driver throws it
     */
    public static int migrate(Connection connection, Schema schema) throws SQLException {
        schema.lock(connection);
        try {
            int before = version(connection, schema);
            refuseNewer(schema, before);
            try (Statement statement = connection.createStatement()) {
                schema.apply(connection, statement, before);
                if (before < schema.latest()) {
                    if (!schema.tableExists(connection, VERSION_TABLE)) {
                        statement.execute("CREATE TABLE " + schema.table(VERSION_TABLE) + " (version INTEGER NOT NULL)"
                                + schema.tableOptions());
                    }
                    statement.execute("DELETE FROM " + schema.table(VERSION_TABLE));
                    statement.execute("INSERT INTO " + schema.table(VERSION_TABLE) + " (version) VALUES ("
                            + schema.latest() + ")");
                }
            } catch (SQLException e) {
                StoreException clearer = schema.explain(e);
                if (clearer != null) {
                    throw clearer;
                }
                throw e;
            }
            return before;
        } finally {
            schema.unlock(connection);
        }
    }

    /**
     * Lists, without changing anything, what {@link #migrate} would do.
     *
     * @param connection the connection
     * @param schema the schema
     * @return one line per step, the recording of the new version last; empty if the schema is
     *     complete and current
     * @throws StoreException if the schema comes from a newer configstore
     * @throws SQLException as the driver throws it
     */
    public static List<String> plan(Connection connection, Schema schema) throws SQLException {
        int version = version(connection, schema);
        refuseNewer(schema, version);
        List<String> steps = new ArrayList<>(schema.pending(connection, version));
        if (version < schema.latest()) {
            steps.add("record schema version " + schema.latest() + " (now " + version + ")");
        }
        return steps;
    }

    /**
     * The version recorded in the schema.
     *
     * @param connection the connection
     * @param schema the schema
     * @return the version; 0 if none is recorded
     * @throws SQLException as the driver throws it
     */
    public static int version(Connection connection, Schema schema) throws SQLException {
        if (!schema.tableExists(connection, VERSION_TABLE)) {
            return 0;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + schema.table(VERSION_TABLE))) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /**
     * Refuses a schema written by a newer configstore, whose tables this one may misread.
     *
     * @param schema the schema
     * @param version the version it has
     * @throws StoreException with reason {@code SCHEMA_OUTDATED} if {@code version} is above
     *     {@link Schema#latest()}
     */
    public static void refuseNewer(Schema schema, int version) {
        if (version > schema.latest()) {
            throw new StoreException(
                    Reason.SCHEMA_OUTDATED,
                    "The " + schema.where() + " was written by a newer configstore (schema version " + version
                            + "; this one knows up to " + schema.latest() + "). Upgrade configstore to use it; "
                            + schema.unchanged() + ".",
                    new SQLException("schema version " + version + " > " + schema.latest()));
        }
    }

    /**
     * Whether a query of the catalog finds anything.
     *
     * @param connection the connection
     * @param query the query
     * @param parameters its parameters, as text
     * @return whether it returned a row
     * @throws SQLException as the driver throws it
     */
    public static boolean anyRow(Connection connection, String query, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * A column configstore needs in a table it may adopt.
     *
     * @param name the column's name
     * @param definition its type and constraints, as {@code ALTER TABLE … ADD COLUMN} takes them
     * @param types the types an adopted table's column may have, as the database's catalog names
     *     them
     */
    public record Column(String name, String definition, Set<String> types) {}

    /**
     * The columns a table lacks, as steps of a plan.
     *
     * @param table the table's bare name
     * @param existing its columns, by name
     * @param wanted the columns configstore needs
     * @return one {@code add column …} line per missing column
     */
    public static List<String> missingColumns(String table, Set<String> existing, List<Column> wanted) {
        List<String> steps = new ArrayList<>();
        for (Column column : wanted) {
            if (!existing.contains(column.name())) {
                steps.add("add column " + table + "." + column.name() + " " + column.definition());
            }
        }
        return steps;
    }
}
