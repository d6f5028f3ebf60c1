package dev.configstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.JdbcDatabase;
import dev.configstore.jdbc.internal.SqlWork;
import dev.configstore.jdbc.internal.TimedDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One schema of a PostgreSQL database behind a connection pool. Every pooled connection gets the
 * same settings (a network timeout, a lock timeout, an application name) when it is opened. A
 * connection that failed is rolled back and dropped from the pool instead of being reused.
 */
final class PostgresDatabase implements JdbcDatabase, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final int MAX_APPLICATION_NAME = 63;

    /** What the pool needs to know; all of it already validated by the builder. */
    record Settings(
            DataSource dataSource, String schema, int poolSize, Duration busyTimeout, Duration networkTimeout) {}

    /** The schema's name as given: lowercase letters, digits and '_' only. */
    final String schema;

    /** Where the store works, for messages: "schema configstore on host:5432/db". */
    final String server;

    final Duration busyTimeout;
    final Duration networkTimeout;
    private final int poolSize;
    private final DataSource dataSource;
    private final HikariDataSource pool;

    private PostgresDatabase(Settings settings, HikariDataSource pool, String server) {
        this.schema = settings.schema();
        this.busyTimeout = settings.busyTimeout();
        this.networkTimeout = settings.networkTimeout();
        this.poolSize = settings.poolSize();
        this.dataSource = settings.dataSource();
        this.pool = pool;
        this.server = server;
    }

    /** Starts the pool and migrates the schema; refuses a schema from a newer configstore unchanged. */
    static PostgresDatabase open(Settings settings) {
        TimedDataSource connections = new TimedDataSource(
                settings.dataSource(), (int) settings.networkTimeout().toMillis());
        HikariDataSource pool = startPool(settings, connections);
        try {
            String server = "schema " + settings.schema() + " on " + describeServer(pool, settings);
            PostgresDatabase database = new PostgresDatabase(settings, pool, server);
            database.migrate();
            // Opening fails at once when no server answers; once open, the pool rides out a
            // failover or a restart (see TimedDataSource).
            connections.retryConnectingFor(Duration.ofMillis(pool.getConnectionTimeout()));
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariDataSource startPool(Settings settings, TimedDataSource connections) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("configstore-postgres " + settings.schema());
        hikari.setDataSource(connections);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, settings.busyTimeout().toMillis()));
        hikari.setAutoCommit(true);
        // One statement, so that both settings reach every connection the pool opens. The values
        // are a number and a validated schema name, never user text.
        hikari.setConnectionInitSql(
                "SELECT set_config('lock_timeout', '" + settings.busyTimeout().toMillis()
                        + "ms', false), set_config('application_name', '" + applicationName(settings.schema())
                        + "', false)");
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause();
            // Every host of a multi-host URL, not only the last one the driver names.
            String where = "schema " + settings.schema() + configuredServer(settings.dataSource());
            if (cause instanceof SQLException sql) {
                throw PostgresErrors.translate(sql, where, "-", "opening the store", settings.busyTimeout());
            }
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot connect to PostgreSQL for " + where + ": " + e.getMessage() + ". Check the JDBC URL or"
                            + " DataSource and that the server is running, then retry.",
                    e);
        }
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
        try (Connection connection = pool.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (url == null) {
                return "PostgreSQL";
            }
            int parameters = url.indexOf('?');
            String bare = parameters < 0 ? url : url.substring(0, parameters);
            return bare.replaceFirst("^jdbc:postgresql:(//)?", "");
        } catch (SQLException e) {
            throw PostgresErrors.translate(
                    e, "schema " + settings.schema(), "-", "opening the store", settings.busyTimeout());
        }
    }

    private void migrate() {
        int before = transaction("-", "migrating the schema", connection -> {
            // The migrations wait for another process's however long it takes, and may rewrite a
            // big table: neither is a server that stopped answering. The pool restores the
            // timeout when the connection is handed back.
            connection.setNetworkTimeout(Runnable::run, 0);
            return Migrations.migrate(connection, this);
        });
        log.info(
                "configstore-postgres {}: opened (schema version {}{})",
                server,
                Migrations.LATEST,
                before == Migrations.LATEST ? "" : ", migrated from " + before);
    }

    /** The name of a table of the schema, quoted for SQL: {@code "configstore".guild_config}. */
    String table(String name) {
        return quoted() + "." + name;
    }

    /** The schema's name quoted as an SQL identifier. */
    String quoted() {
        return "\"" + schema + "\"";
    }

    /**
     * Runs read-only work on a pooled connection in autocommit mode. If the pooled connection
     * turns out to be dead (the server ended it or restarted while it sat in the pool), the work is
     * run once more on a connection checked to be alive: a read changes nothing, so running it again
     * is safe. The work must therefore have no effect but its result.
     */
    @Override
    public <T> T read(String table, String what, SqlWork<T> work) {
        Connection connection = connect(table, what);
        SQLException lost;
        try {
            T result = work.run(connection);
            connection.close();
            return result;
        } catch (SQLException e) {
            discard(connection);
            if (!PostgresErrors.isConnectionFailure(e)) {
                throw translate(e, table, what);
            }
            lost = e;
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
        log.debug(
                "configstore-postgres {}: a pooled connection was found dead while {}; reading again on a live one: {}",
                server,
                what,
                lost.toString());
        Connection live = liveConnection(table, what);
        try {
            T result = work.run(live);
            live.close();
            return result;
        } catch (SQLException e) {
            discard(live);
            e.addSuppressed(lost);
            throw translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(live);
            throw e;
        }
    }

    /**
     * Borrows a pooled connection and checks that it is alive ({@link Connection#isValid}, one
     * round trip) before anything is sent on it. The pool itself checks only connections that sat
     * idle for longer than half a second, so a connection the server ended just after its last use
     * would otherwise be handed out, and a change sent on it could not be told from one lost while
     * committing. Dead connections are dropped and another one borrowed, up to one more than the
     * pool holds, so that the last is newly opened.
     *
     * @throws StoreException {@code UNAVAILABLE} if no live connection can be had; nothing was sent
     */
    private Connection liveConnection(String table, String what) {
        for (int attempt = 1; ; attempt++) {
            Connection connection = connect(table, what);
            SQLException failure;
            try {
                if (connection.isValid(validationSeconds())) {
                    return connection;
                }
                failure = new SQLException("the pooled connection is no longer alive", "08006");
            } catch (SQLException e) {
                failure = e;
            }
            discard(connection);
            if (attempt > poolSize) {
                throw new StoreException(
                        Reason.UNAVAILABLE,
                        "Cannot reach PostgreSQL (" + server + ") while " + what + ": no connection stayed alive;"
                                + " nothing was sent. Check that the server is running and reachable from this host,"
                                + " then retry; the store reconnects by itself.",
                        failure);
            }
            log.debug(
                    "configstore-postgres {}: dropped a dead pooled connection before {}: {}",
                    server,
                    what,
                    failure.toString());
        }
    }

    private int validationSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (networkTimeout.toMillis() + 999) / 1000));
    }

    /**
     * Runs one autocommitted change on a pooled connection checked to be alive first (see {@link
     * #liveConnection}). If the connection breaks while the statement runs, the server may or may
     * not have committed it: that failure is reported as {@link OutcomeUnknownException}, never as
     * a {@link StoreException}.
     */
    @Override
    public <T> T write(String table, String what, SqlWork<T> work) {
        Connection connection = liveConnection(table, what);
        try {
            T result = work.run(connection);
            connection.close();
            return result;
        } catch (SQLException e) {
            discard(connection);
            if (PostgresErrors.isConnectionFailure(e)) {
                throw new OutcomeUnknownException(translate(e, table, what), e);
            }
            throw translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
    }

    /**
     * Runs work in one transaction. Commits if the work returns; rolls back and rethrows if it
     * throws. A connection that failed inside a transaction is discarded, not returned to the pool.
     * If the connection breaks while committing, the outcome is unknown and reported as {@link
     * OutcomeUnknownException}.
     */
    @Override
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        Connection connection = liveConnection(table, what);
        T result;
        try {
            connection.setAutoCommit(false);
            result = work.run(connection);
        } catch (SQLException e) {
            discard(connection);
            throw translate(e, table, what);
        } catch (RuntimeException | Error e) {
            discard(connection);
            throw e;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            discard(connection);
            if (PostgresErrors.isConnectionFailure(e)) {
                throw new OutcomeUnknownException(translate(e, table, "committing " + what), e);
            }
            throw translate(e, table, "committing " + what);
        }
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            // Committed; only handing the connection back failed, so drop it instead.
            discard(connection);
        }
        return result;
    }

    /** Translates a failure inside a transaction's work, where the caller cannot throw SQLException. */
    @Override
    public String where() {
        return server;
    }

    @Override
    public StoreException translate(SQLException e, String table, String what) {
        return PostgresErrors.translate(e, server, table, what, busyTimeout);
    }

    private Connection connect(String table, String what) {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw translate(e, table, what);
        }
    }

    /** Rolls back what may be open and drops the connection from the pool. */
    private void discard(Connection connection) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is being dropped; a failed rollback changes nothing for the caller.
        }
        pool.evictConnection(connection);
    }

    /**
     * Opens a connection outside the pool, straight from the DataSource: the change feed holds
     * one for as long as it listens.
     */
    Connection dedicatedConnection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Borrows a pooled connection as is; for tests that inspect what every connection gets. */
    Connection borrowForTest() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
