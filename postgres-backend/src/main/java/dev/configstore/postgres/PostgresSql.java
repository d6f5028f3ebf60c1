package dev.configstore.postgres;

import dev.configstore.jdbc.internal.SqlDialect;
import java.sql.PreparedStatement;

/**
 * PostgreSQL's SQL for the shared backends: tables qualified by the store's quoted schema, {@code
 * GREATEST} of two values, and row versions from the server's clock, so that every process and
 * psql agree on them. A failed statement aborts PostgreSQL's transaction.
 */
final class PostgresSql implements SqlDialect {

    private final PostgresDatabase database;

    PostgresSql(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    public String table(String name) {
        return database.table(name);
    }

    @Override
    public String greatest(String first, String second) {
        return "GREATEST(" + first + ", " + second + ")";
    }

    @Override
    public String versionFloorAndNow() {
        return Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS;
    }

    /** Read once, for the type of the schema's column: an adopted table's may be text. */
    @Override
    public String updatedAtNow() {
        return database.read(
                "guild_config",
                "reading the type of guild_config.updated_at",
                connection -> Migrations.updatedAtNow(connection, database.schema));
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
        return "psql";
    }
}
