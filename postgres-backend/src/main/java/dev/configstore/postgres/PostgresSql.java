package dev.configstore.postgres;

import dev.configstore.jdbc.internal.ServerSql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL's SQL for the shared backends: tables qualified by the store's quoted schema, {@code
 * GREATEST} of two values, and row versions from the server's clock, so that every process and
 * psql agree on them. A failed statement aborts PostgreSQL's transaction.
 */
final class PostgresSql extends ServerSql<PostgresDatabase> {

    PostgresSql(PostgresDatabase database) {
        super(database, Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS, "psql");
    }

    /** Looks, for the type of the schema's column: an adopted table's may be text. */
    @Override
    public String updatedAtNow(Connection connection) throws SQLException {
        return Migrations.updatedAtNow(connection, database.schema);
    }

    /**
     * Repeatable read: under read committed, an upsert that waited for another transaction's first
     * insert of the same row would update it, overwriting a value the update's check never saw;
     * under repeatable read it fails with a serialization failure instead.
     */
    @Override
    public int checkedUpdateIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }

    /** The insert and the notification the triggers send, in one statement. */
    @Override
    public String changeLogInsert() {
        return "WITH entry AS (INSERT INTO " + table(Migrations.CHANGES_TABLE)
                + " (table_name, namespace, key, version) VALUES (?, ?, ?, ?) RETURNING seq)"
                + " SELECT pg_notify('" + Migrations.channel(database.schema) + "', '') FROM entry";
    }
}
