package dev.configstore.mysql;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.jdbc.internal.PooledWork;
import dev.configstore.jdbc.internal.ServerDatabase;
import dev.configstore.jdbc.internal.ServerPool;
import dev.configstore.jdbc.internal.TimedDataSource;
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
final class MariaDbDatabase extends ServerDatabase implements AutoCloseable {

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

    private MariaDbDatabase(Settings settings, TimedDataSource connections, HikariDataSource pool, String server) {
        super(
                pool,
                settings.poolSize(),
                settings.busyTimeout(),
                settings.networkTimeout(),
                new MariaDbErrors(server, settings.busyTimeout()),
                settings.database(),
                '`',
                server,
                connections);
    }

    /** Starts the pool and migrates the database; refuses a schema from a newer configstore unchanged. */
    static MariaDbDatabase open(Settings settings) {
        TimedDataSource connections = new TimedDataSource(settings.dataSource(), (int)
                Math.min(Integer.MAX_VALUE, settings.networkTimeout().toMillis()));
        return migrated(startPool(settings, connections), connections, pool -> {
            String server = "database " + settings.database() + " on " + describeServer(pool, settings);
            return new MariaDbDatabase(settings, connections, pool, server);
        });
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

    @Override
    protected void migrate() {
        // Each statement on its own: MariaDB commits a change of a table's definition by itself.
        migrateServer(
                "configstore-mysql", false, connection -> Migrations.migrate(connection, this), Migrations.LATEST);
    }
}
