package dev.configstore.mysql;

import dev.configstore.jdbc.internal.SqlDialect;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

/**
 * MariaDB's SQL for the shared backends: tables qualified by the store's quoted database, the
 * reserved word {@code key} quoted, row versions from the server's clock (in UTC, whatever a
 * session's time zone), and upserts as {@code INSERT … ON DUPLICATE KEY UPDATE … RETURNING
 * version}: MariaDB has no {@code ON CONFLICT}, and its {@code RETURNING} (10.5 and newer) returns
 * the row as the statement left it, whether it inserted or updated it, and after the version
 * triggers ran (checked on 10.11). A deadlock rolls back MariaDB's whole transaction, and the
 * statements after it would start a new one, so a failed statement counts as aborting it.
 */
final class MariaDbSql implements SqlDialect {

    private final MariaDbDatabase database;

    MariaDbSql(MariaDbDatabase database) {
        this.database = database;
    }

    @Override
    public String table(String name) {
        return database.table(name);
    }

    @Override
    public String column(String name) {
        return "`" + name + "`";
    }

    @Override
    public String upsert(
            String table, List<String> keyColumns, List<String> valueColumns, Map<String, String> computed) {
        StringBuilder sql =
                new StringBuilder("INSERT INTO ").append(table(table)).append(" (");
        for (String column : keyColumns) {
            sql.append(column).append(", ");
        }
        for (String column : valueColumns) {
            sql.append(column).append(", ");
        }
        sql.append("version, updated_at_s");
        computed.keySet().forEach(column -> sql.append(", ").append(column));
        sql.append(") VALUES (");
        for (int i = 0; i < keyColumns.size() + valueColumns.size(); i++) {
            sql.append("?, ");
        }
        sql.append(versionFloorAndNow());
        computed.values().forEach(expression -> sql.append(", ").append(expression));
        sql.append(") ON DUPLICATE KEY UPDATE ");
        for (String column : valueColumns) {
            sql.append(column).append(" = VALUES(").append(column).append("), ");
        }
        for (String column : computed.keySet()) {
            sql.append(column).append(" = VALUES(").append(column).append("), ");
        }
        // Assignments run left to right: version is read before it is set, once.
        return sql.append("version = ")
                .append(greatest("version + 1", "VALUES(version)"))
                .append(", updated_at_s = VALUES(updated_at_s) RETURNING version")
                .toString();
    }

    @Override
    public String greatest(String first, String second) {
        return "GREATEST(" + first + ", " + second + ")";
    }

    @Override
    public String versionFloorAndNow() {
        return Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS;
    }

    /** Read once, for the type of the database's column: an adopted table's may be text. */
    @Override
    public String updatedAtNow() {
        return database.read(
                "guild_config",
                "reading the type of guild_config.updated_at",
                connection -> Migrations.updatedAtNow(connection, database.name));
    }

    @Override
    public void bindClock(PreparedStatement statement, int index) {
        // The server's clock, in the statement itself.
    }

    @Override
    public boolean failedStatementAbortsTransaction() {
        return true;
    }

    @Override
    public String shell() {
        return "the mariadb client";
    }
}
