package dev.configstore.mysql;

import dev.configstore.jdbc.internal.ServerSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * MariaDB's SQL for the shared backends: tables qualified by the store's quoted database, the
 * reserved word {@code key} quoted, row versions from the server's clock (in UTC, whatever a
 * session's time zone), and upserts as {@code INSERT … ON DUPLICATE KEY UPDATE … RETURNING
 * version}: MariaDB has no {@code ON CONFLICT}, and its {@code RETURNING} (10.5 and newer) returns
 * the row as the statement left it, whether it inserted or updated it, and after the version
 * triggers ran (checked on 10.11). A deadlock rolls back MariaDB's whole transaction, and the
 * statements after it would start a new one, so a failed statement counts as aborting it.
 */
final class MariaDbSql extends ServerSql<MariaDbDatabase> {

    MariaDbSql(MariaDbDatabase database) {
        super(database, Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS, "the mariadb client");
    }

    @Override
    public String column(String name) {
        return "`" + name + "`";
    }

    @Override
    public String upsertTarget(String table) {
        return table(table);
    }

    @Override
    public String onConflictUpdate(String table, List<String> keyColumns, List<String> changedColumns) {
        StringBuilder sql = new StringBuilder("ON DUPLICATE KEY UPDATE ");
        changedColumns.forEach(
                column -> sql.append(column).append(" = VALUES(").append(column).append("), "));
        // Assignments run left to right: version is read before it is set, once.
        return sql.append("version = GREATEST(version + 1, VALUES(version)), updated_at_s = VALUES(updated_at_s)")
                .toString();
    }

    /** Looks, for the type of the database's column: an adopted table's may be text. */
    @Override
    public String updatedAtNow(Connection connection) throws SQLException {
        return Migrations.updatedAtNow(connection, database.name);
    }

    @Override
    public String changeLogInsert() {
        return "INSERT INTO " + table(Migrations.CHANGES_TABLE)
                + " (table_name, namespace, `key`, version, changed_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))";
    }
}
