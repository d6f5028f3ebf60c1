package dev.configstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.jdbc.internal.PooledWork;
import dev.configstore.jdbc.internal.ServerDatabase;
import dev.configstore.jdbc.internal.ServerPool;
import dev.configstore.jdbc.internal.TimedDataSource;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One schema of a PostgreSQL database behind a connection pool. Every pooled connection gets the
 * same settings (a network timeout, a lock timeout, an application name) when it is opened. Reads,
 * changes and transactions run as {@link PooledWork} runs them on a server: a read retried once on
 * a live connection if the pooled one was dead, a change sent only on a connection checked alive, a
 * connection that breaks while committing reported as an outcome unknown, and a connection that
 * failed dropped from the pool.
 */
final class PostgresDatabase extends ServerDatabase implements AutoCloseable {

    private static final int MAX_APPLICATION_NAME = 63;

    /** What the pool needs to know; all of it already validated by the builder. */
    record Settings(
            DataSource dataSource, String schema, int poolSize, Duration busyTimeout, Duration networkTimeout) {}

    /** The schema's name as given: lowercase letters, digits and '_' only. */
    final String schema;

    private PostgresDatabase(Settings settings, HikariDataSource pool, String server) {
        super(
                pool,
                settings.poolSize(),
                settings.busyTimeout(),
                settings.networkTimeout(),
                new PostgresErrors(server, settings.busyTimeout()),
                settings.schema(),
                '"',
                server,
                settings.dataSource());
        this.schema = settings.schema();
    }

    /** Starts the pool and migrates the schema; refuses a schema from a newer configstore unchanged. */
    static PostgresDatabase open(Settings settings) {
        TimedDataSource connections = new TimedDataSource(
                settings.dataSource(), (int) settings.networkTimeout().toMillis());
        return migrated(startPool(settings, connections), connections, pool -> {
            String server = "schema " + settings.schema() + " on " + describeServer(pool, settings);
            return new PostgresDatabase(settings, pool, server);
        });
    }

    private static HikariDataSource startPool(Settings settings, TimedDataSource connections) {
        // One statement, so that both settings reach every connection the pool opens. The values
        // are a number and a validated schema name, never user text.
        String initSql = "SELECT set_config('lock_timeout', '"
                + settings.busyTimeout().toMillis() + "ms', false), set_config('application_name', '"
                + applicationName(settings.schema()) + "', false)";
        // Every host of a multi-host URL, not only the last one the driver names.
        String where = "schema " + settings.schema() + configuredServer(settings.dataSource());
        return ServerPool.start(
                "configstore-postgres " + settings.schema(),
                connections,
                settings.poolSize(),
                settings.busyTimeout(),
                initSql,
                new PostgresErrors(where, settings.busyTimeout()));
    }

    /**
     * " on host:port,host:port/database" from a PostgreSQL driver's DataSource (without the URL's
     * parameters, which may hold a password), or "" for another DataSource.
     */
    static String configuredServer(DataSource dataSource) {
        if (!(dataSource instanceof org.postgresql.ds.common.BaseDataSource postgres)) {
            return "";
        }
        String url = postgres.getURL();
        int parameters = url.indexOf('?');
        return " on "
                + (parameters < 0 ? url : url.substring(0, parameters)).replaceFirst("^jdbc:postgresql:(//)?", "");
    }

    /** The name pooled connections show in {@code pg_stat_activity}. */
    static String applicationName(String schema) {
        return fitApplicationName("configstore " + schema);
    }

    /**
     * Cuts a name to the 63 bytes the server keeps of an application name (it cuts longer ones
     * itself, so the full name would not be found in {@code pg_stat_activity}). The schema's name
     * is ASCII, so a character is a byte.
     */
    static String fitApplicationName(String name) {
        return name.length() <= MAX_APPLICATION_NAME ? name : name.substring(0, MAX_APPLICATION_NAME);
    }

    /** "host:port/database" from the driver's URL, without the parameters (which may hold a password). */
    private static String describeServer(HikariDataSource pool, Settings settings) {
        return ServerPool.describe(
                pool,
                connection -> {
                    String url = connection.getMetaData().getURL();
                    if (url == null) {
                        return "PostgreSQL";
                    }
                    int parameters = url.indexOf('?');
                    String bare = parameters < 0 ? url : url.substring(0, parameters);
                    return bare.replaceFirst("^jdbc:postgresql:(//)?", "");
                },
                new PostgresErrors("schema " + settings.schema(), settings.busyTimeout()));
    }

    @Override
    protected void migrate() {
        migrateServer(
                "configstore-postgres", true, connection -> Migrations.migrate(connection, this), Migrations.LATEST);
    }
}
