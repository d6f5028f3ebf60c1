package dev.configstore.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import dev.configstore.jdbc.internal.JdbcDatabase;
import dev.configstore.jdbc.internal.PooledWork;
import dev.configstore.jdbc.internal.SqlWork;
import dev.configstore.jdbc.internal.TimedDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database of a MariaDB server behind a connection pool (HikariCP over MariaDB Connector/J).
 * Every pooled connection gets the same settings when it is opened: a network timeout, so a server
 * that stops answering fails a statement instead of blocking it forever; lock wait timeouts from
 * the busy timeout; UTC as its time zone. Reads, changes and transactions run as {@link PooledWork}
 * runs them: a read retried once on a live connection if the pooled one was dead, a change sent
 * only on a connection checked alive, a connection that breaks while committing reported as an
 * outcome unknown, and a connection that failed dropped from the pool.
 *
 * <p><b>Lock wait timeouts are whole seconds.</b> {@code innodb_lock_wait_timeout} (row locks) and
 * {@code lock_wait_timeout} (table metadata, which {@code ALTER TABLE} holds) take whole seconds,
 * so the busy timeout is rounded up to the next second: 250 ms waits up to 1 s, 1500 ms up to 2 s.
 * Zero stays zero: MariaDB then fails at once if the lock is taken.
 */
final class MariaDbDatabase implements JdbcDatabase, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MariaDbDatabase.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** What the pool needs to know. */
    record Settings(
            DataSource dataSource, String database, int poolSize, Duration busyTimeout, Duration networkTimeout) {
        Settings {
            if (!NAME.matcher(database).matches()) {
                throw new IllegalArgumentException(
                        "database must be 1 to 64 letters, digits or '_', got \"" + database + "\"");
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
            }
            if (busyTimeout.isNegative() || networkTimeout.isNegative() || networkTimeout.isZero()) {
                throw new IllegalArgumentException("busyTimeout must not be negative and networkTimeout must be"
                        + " positive, got " + busyTimeout + " and " + networkTimeout);
            }
        }
    }

    /** The database's name as given: letters, digits and '_' only. */
    final String name;

    /** Where the store works, for messages: "database configstore on host:3306". */
    final String server;

    final Duration busyTimeout;
    final Duration networkTimeout;
    private final TimedDataSource connections;
    private final HikariDataSource pool;
    private final PooledWork work;

    private MariaDbDatabase(Settings settings, TimedDataSource connections, HikariDataSource pool, String server) {
        this.name = settings.database();
        this.busyTimeout = settings.busyTimeout();
        this.networkTimeout = settings.networkTimeout();
        this.connections = connections;
        this.pool = pool;
        this.server = server;
        this.work = new PooledWork(
                "MariaDB (" + server + ")",
                new PooledWork.Pool() {
                    @Override
                    public Connection borrow() throws SQLException {
                        return pool.getConnection();
                    }

                    @Override
                    public void evict(Connection connection) {
                        pool.evictConnection(connection);
                    }
                },
                settings.poolSize(),
                settings.networkTimeout(),
                new PooledWork.Errors() {
                    @Override
                    public boolean isConnectionFailure(SQLException e) {
                        return MariaDbErrors.isConnectionFailure(e);
                    }

                    @Override
                    public StoreException translate(SQLException e, String table, String what) {
                        return MariaDbDatabase.this.translate(e, table, what);
                    }
                });
    }

    /** Starts the pool and migrates the database; refuses a schema from a newer configstore unchanged. */
    static MariaDbDatabase open(Settings settings) {
        TimedDataSource connections = new TimedDataSource(settings.dataSource(), (int)
                Math.min(Integer.MAX_VALUE, settings.networkTimeout().toMillis()));
        HikariDataSource pool = startPool(settings, connections);
        try {
            String server = "database " + settings.database() + " on " + describeServer(pool, settings);
            MariaDbDatabase database = new MariaDbDatabase(settings, connections, pool, server);
            database.migrate();
            // Opening fails at once when no server answers; once open, the pool rides out a
            // restart or a failover (see TimedDataSource).
            connections.retryConnectingFor(Duration.ofMillis(pool.getConnectionTimeout()));
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The busy timeout as the whole seconds MariaDB's lock wait timeouts take, rounded up. */
    static long lockWaitSeconds(Duration busyTimeout) {
        long millis = busyTimeout.toMillis();
        return (millis + 999) / 1000;
    }

    /** The statement every pooled connection runs when it is opened. */
    static String sessionSettings(Duration busyTimeout) {
        long seconds = lockWaitSeconds(busyTimeout);
        return "SET SESSION innodb_lock_wait_timeout = " + seconds + ", SESSION lock_wait_timeout = " + seconds
                + ", SESSION time_zone = '+00:00'";
    }

    private static HikariDataSource startPool(Settings settings, TimedDataSource connections) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("configstore-mysql " + settings.database());
        hikari.setDataSource(connections);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, settings.busyTimeout().toMillis()));
        hikari.setAutoCommit(true);
        // One statement with numbers only, so that every setting reaches every connection.
        hikari.setConnectionInitSql(sessionSettings(settings.busyTimeout()));
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            String where = "database " + settings.database();
            if (e.getCause() instanceof SQLException sql) {
                throw MariaDbErrors.translate(sql, where, "-", "opening the store", settings.busyTimeout());
            }
            throw new StoreException(
                    Reason.UNAVAILABLE,
                    "Cannot connect to MariaDB for " + where + ": " + e.getMessage() + ". Check the JDBC URL or"
                            + " DataSource and that the server is running, then retry.",
                    e);
        }
    }

    /** "host:port" of the server the pool reached, as the server says. */
    private static String describeServer(HikariDataSource pool, Settings settings) {
        try (Connection connection = pool.getConnection();
                var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT @@hostname, @@port")) {
            return row.next() ? row.getString(1) + ":" + row.getInt(2) : "MariaDB";
        } catch (SQLException e) {
            throw MariaDbErrors.translate(
                    e, "database " + settings.database(), "-", "opening the store", settings.busyTimeout());
        }
    }

    private void migrate() {
        int before = work.write("-", "migrating the database", connection -> {
            // The migrations wait for another process's however long it takes, and may rebuild a
            // big table: neither is a server that stopped answering. Restored by the pool.
            connection.setNetworkTimeout(Runnable::run, 0);
            return Migrations.migrate(connection, this);
        });
        log.info(
                "configstore-mysql {}: opened (schema version {}{})",
                server,
                Migrations.LATEST,
                before == Migrations.LATEST ? "" : ", migrated from " + before);
    }

    /** The name of a table of the database, quoted for SQL: {@code `configstore`.guild_config}. */
    String table(String table) {
        return quoted() + "." + table;
    }

    /** The database's name quoted as an SQL identifier. */
    String quoted() {
        return "`" + name + "`";
    }

    @Override
    public <T> T read(String table, String what, SqlWork<T> work) {
        return this.work.read(table, what, work);
    }

    @Override
    public <T> T write(String table, String what, SqlWork<T> work) {
        return this.work.write(table, what, work);
    }

    @Override
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        return this.work.transaction(table, what, work);
    }

    @Override
    public StoreException translate(SQLException e, String table, String what) {
        return MariaDbErrors.translate(e, server, table, what, busyTimeout);
    }

    @Override
    public String where() {
        return server;
    }

    /**
     * Opens a connection outside the pool (with the network timeout, without the pool's session
     * settings): the change feed holds one for as long as it polls.
     */
    Connection dedicatedConnection() throws SQLException {
        return connections.getConnection();
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
