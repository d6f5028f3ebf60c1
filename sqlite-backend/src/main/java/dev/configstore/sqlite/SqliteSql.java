package dev.configstore.sqlite;

import dev.configstore.jdbc.internal.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * SQLite's SQL for the shared backends: tables by their bare names in the file's one schema,
 * {@code MAX} of two values, and row versions from the JVM's clock, bound as parameters (SQLite
 * has no microsecond clock of its own). A failed statement leaves SQLite's transaction open.
 */
final class SqliteSql implements SqlDialect {

    static final SqliteSql INSTANCE = new SqliteSql();

    private SqliteSql() {}

    @Override
    public String table(String name) {
        return name;
    }

    @Override
    public String greatest(String first, String second) {
        return "MAX(" + first + ", " + second + ")";
    }

    @Override
    public String versionFloorAndNow() {
        return "?, ?";
    }

    /** SQLite's own clock, read once per statement, to the millisecond. */
    @Override
    public String updatedAtNow(Connection connection) {
        return Migrations.UPDATED_AT_NOW;
    }

    @Override
    public void bindClock(PreparedStatement statement, int index) throws SQLException {
        statement.setLong(index, Versions.floor());
        statement.setLong(index + 1, Versions.nowSeconds());
    }

    @Override
    public boolean failedStatementAbortsTransaction() {
        return false;
    }

    /** None: a write transaction begins IMMEDIATE, holding the file's write lock to its end. */
    @Override
    public String lockingRead() {
        return "";
    }

    @Override
    public String shell() {
        return "the sqlite3 shell";
    }

    @Override
    public String changeLogInsert() {
        return "INSERT INTO " + Migrations.CHANGES_TABLE + " (table_name, namespace, key, version, changed_at_s)"
                + " VALUES (?, ?, ?, ?, CAST(strftime('%s', 'now') AS INTEGER))";
    }
}
