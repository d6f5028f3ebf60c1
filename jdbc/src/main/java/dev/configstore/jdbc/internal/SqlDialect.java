package dev.configstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The pieces of SQL in which configstore's databases differ, for the statements the shared
 * backends build. Everything else (the statements themselves, binding, reading results,
 * transactions, what a change records) is written once in this package.
 */
public interface SqlDialect {

    /**
     * The name of one of configstore's tables as statements use it.
     *
     * @param name the table's bare name, such as {@code configstore_kv}
     * @return the name, qualified and quoted as the database needs
     */
    String table(String name);

    /**
     * A column's name as statements use it: quoted where the database reserves the word (MariaDB
     * reserves {@code key}).
     *
     * @param name the column's bare name
     * @return the name as SQL; the bare name unless overridden
     */
    default String column(String name) {
        return name;
    }

    /**
     * The statement that inserts a row, or changes the given columns of the row already there,
     * and returns the version it wrote, in that one statement: {@link #upsert(String, List, List,
     * Map)} with no computed columns.
     *
     * @param table the table's bare name
     * @param keyColumns the columns of its unique key, as {@link #column} gives them
     * @param valueColumns the columns to set, as {@link #column} gives them
     * @return the statement
     */
    default String upsert(String table, List<String> keyColumns, List<String> valueColumns) {
        return upsert(table, keyColumns, valueColumns, Map.of());
    }

    /**
     * The statement that inserts a row, or changes the given columns of the row already there,
     * and returns the version it wrote, in that one statement. Its parameters are the key
     * columns', then the value columns', then those of {@link #versionFloorAndNow()}. The version
     * written is the larger of the previous one plus one and the version floor; {@code
     * updated_at_s} is set to now, and each computed column to its expression.
     *
     * <p>The default is {@code INSERT … ON CONFLICT (…) DO UPDATE SET … RETURNING version}
     * (SQLite, PostgreSQL).
     *
     * @param table the table's bare name
     * @param keyColumns the columns of its unique key, as {@link #column} gives them
     * @param valueColumns the columns to set, as {@link #column} gives them
     * @param computed columns set to an SQL expression without parameters, such as {@link
     *     #updatedAtNow(Connection)}, by name
     * @return the statement
     */
    default String upsert(
            String table, List<String> keyColumns, List<String> valueColumns, Map<String, String> computed) {
        List<String> columns = new ArrayList<>(keyColumns);
        columns.addAll(valueColumns);
        columns.add("version");
        columns.add("updated_at_s");
        columns.addAll(computed.keySet());
        List<String> values = new ArrayList<>(Collections.nCopies(keyColumns.size() + valueColumns.size(), "?"));
        values.add(versionFloorAndNow());
        values.addAll(computed.values());
        List<String> changed = new ArrayList<>(valueColumns);
        changed.addAll(computed.keySet());
        return "INSERT INTO " + upsertTarget(table) + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", values) + ") " + onConflictUpdate(table, keyColumns, changed)
                + " RETURNING version";
    }

    /**
     * What an upsert inserts into: the table, named so that {@link #onConflictUpdate} can refer
     * to the row already there.
     *
     * @param table the table's bare name
     * @return {@code <table> AS <bare name>} unless overridden
     */
    default String upsertTarget(String table) {
        return table(table) + " AS " + table;
    }

    /**
     * The clause of an upsert that changes the row already there: each changed column set to the
     * value the statement inserts, the version raised to the larger of the previous one plus one
     * and the new row's floor, and {@code updated_at_s} set.
     *
     * @param table the table's bare name
     * @param keyColumns the columns of its unique key
     * @param changedColumns the columns to set, computed ones included
     * @return {@code ON CONFLICT (…) DO UPDATE SET …} unless overridden
     */
    default String onConflictUpdate(String table, List<String> keyColumns, List<String> changedColumns) {
        StringBuilder sql = new StringBuilder("ON CONFLICT (")
                .append(String.join(", ", keyColumns))
                .append(") DO UPDATE SET ");
        changedColumns.forEach(column ->
                sql.append(column).append(" = excluded.").append(column).append(", "));
        return sql.append("version = ")
                .append(greatest(table + ".version + 1", "excluded.version"))
                .append(", updated_at_s = excluded.updated_at_s")
                .toString();
    }

    /**
     * The larger of two values.
     *
     * @param first an SQL expression
     * @param second another
     * @return {@code GREATEST(a, b)} unless overridden ({@code MAX(a, b)} on SQLite)
     */
    default String greatest(String first, String second) {
        return "GREATEST(" + first + ", " + second + ")";
    }

    /**
     * The SQL a statement uses for the floor of a new row version (microseconds since the epoch)
     * and for now in seconds since the epoch: two expressions, or two {@code ?} that {@link
     * #bindClock} fills.
     *
     * @return the version floor's expression, then the seconds'
     */
    String versionFloorAndNow();

    /**
     * The SQL for now as {@code guild_config.updated_at} holds it, by the clock the versions come
     * from: ISO-8601 text in UTC with milliseconds and {@code Z} ({@code 2025-11-30T10:00:00.000Z},
     * as the original bot writes it) in a text column, the database's own timestamp, to the
     * millisecond, in a timestamp column. An expression without parameters.
     *
     * @param connection a connection, for a database that must look at the column's type
     * @return the expression
     * @throws SQLException if looking fails
     */
    String updatedAtNow(Connection connection) throws SQLException;

    /**
     * Binds the parameters of {@link #versionFloorAndNow()}, if it has any.
     *
     * @param statement the statement
     * @param index the index of its first parameter
     * @throws SQLException as the driver throws it
     */
    default void bindClock(PreparedStatement statement, int index) throws SQLException {
        // By default the clock is the server's, in the statement itself.
    }

    /**
     * The clause that makes a query of one row by its key lock that row until the transaction ends,
     * so that the value read is the one the transaction's change replaces.
     *
     * @return {@code " FOR UPDATE"} unless overridden; empty where write transactions run one at a
     *     time (SQLite)
     */
    default String lockingRead() {
        return " FOR UPDATE";
    }

    /**
     * The isolation level of a transaction that checks values it expects before changing them
     * ({@link dev.configstore.settings.SettingsUpdate#expect}), so that a value another transaction
     * first stores after the check fails the transaction instead of being overwritten unnoticed: the
     * check's locking read cannot lock a row that does not exist yet.
     *
     * @return a {@link java.sql.Connection} isolation level, or {@link
     *     java.sql.Connection#TRANSACTION_NONE} (the default) to keep the connection's: SQLite runs
     *     write transactions one at a time, and MariaDB's repeatable read locks the gap a missing row
     *     would fill
     */
    default int checkedUpdateIsolation() {
        return java.sql.Connection.TRANSACTION_NONE;
    }

    /**
     * Whether a failed statement aborts the transaction around it, so that a commit after it
     * would silently roll back (PostgreSQL). The backends then fail the transaction at its end if
     * its work caught a failure and returned anyway.
     *
     * @return whether a failed statement aborts the transaction; true unless overridden
     */
    default boolean failedStatementAbortsTransaction() {
        return true;
    }

    /**
     * The statement that adds one entry to the change log ({@code configstore_changes}) as a
     * trigger would, with the time of the change set to now, and wakes the readers of a database
     * that notifies them (PostgreSQL). Its parameters are the entry's {@code table_name}, {@code
     * namespace}, {@code key} and {@code version}. Run with {@link PreparedStatement#execute()}.
     *
     * @return the statement
     */
    String changeLogInsert();

    /**
     * What an operator uses to fix a value by hand, for messages.
     *
     * @return for example {@code the sqlite3 shell} or {@code psql}
     */
    String shell();
}
