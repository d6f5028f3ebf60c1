package dev.configstore.mysql;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.jdbc.internal.PooledDatabase;
import dev.configstore.jdbc.internal.PooledWork;
import dev.configstore.jdbc.internal.ServerPool;
import dev.configstore.jdbc.internal.TimedDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;

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
final class MariaDbDatabase extends PooledDatabase implements AutoCloseable {

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

    private MariaDbDatabase(Settings settings, TimedDataSource connections, HikariDataSource pool, String server) {
        super(PooledWork.onServer(
                PooledWork.Pool.of(pool::getConnection, pool::evictConnection, pool::close),
                settings.poolSize(),
                settings.networkTimeout(),
                new MariaDbErrors(server, settings.busyTimeout())));
        this.name = settings.database();
        this.busyTimeout = settings.busyTimeout();
        this.networkTimeout = settings.networkTimeout();
        this.connections = connections;
        this.server = server;
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
        // One statement with numbers only, so that every setting reaches every connection.
        return ServerPool.start(
                "configstore-mysql " + settings.database(),
                connections,
                settings.poolSize(),
                settings.busyTimeout(),
                sessionSettings(settings.busyTimeout()),
                new MariaDbErrors("database " + settings.database(), settings.busyTimeout()));
    }

    /** "host:port" of the server the pool reached, as the server says. */
    private static String describeServer(HikariDataSource pool, Settings settings) {
        return ServerPool.describe(
                pool,
                connection -> {
                    try (var statement = connection.createStatement();
                            var row = statement.executeQuery("SELECT @@hostname, @@port")) {
                        return row.next() ? row.getString(1) + ":" + row.getInt(2) : "MariaDB";
                    }
                },
                new MariaDbErrors("database " + settings.database(), settings.busyTimeout()));
    }

    private void migrate() {
        // Each statement on its own: MariaDB commits a change of a table's definition by itself.
        migrateServer(
                "configstore-mysql", false, connection -> Migrations.migrate(connection, this), Migrations.LATEST);
    }

    /** The name of a table of the database, quoted for SQL: {@code `configstore`.guild_config}. */
    String table(String table) {
        return quoted() + "." + table;
    }

    /** The database's name quoted as an SQL identifier. */
    String quoted() {
        return "`" + name + "`";
    }

    /**
     * Opens a connection outside the pool (with the network timeout, without the pool's session
     * settings): the change feed holds one for as long as it polls.
     */
    Connection dedicatedConnection() throws SQLException {
        return connections.getConnection();
    }
}
