package dev.configstore.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A database on a server (PostgreSQL, MariaDB): its tables live in one schema (MariaDB's name for
 * it is a database) whose quoted name qualifies every table, and its change feed holds a
 * connection of its own, outside the pool.
 */
public abstract class ServerDatabase extends PooledDatabase {

    /** The schema's name as given: letters, digits and {@code _} only, checked by the builder. */
    public final String name;

    /** Where the store works, for messages: {@code schema configstore on host:5432/db}. */
    public final String server;

    /** How long a statement waits for a lock, and work for a pooled connection. */
    public final Duration busyTimeout;

    /** How long work waits for the server to answer before its connection counts as lost. */
    public final Duration networkTimeout;

    private final String quotedName;
    private final DataSource dedicated;

    /**
     * Makes the database over a started pool.
     *
     * @param pool the pool
     * @param poolSize its size
     * @param busyTimeout how long a statement waits for a lock
     * @param networkTimeout how long work waits for the server's answer
     * @param errors how the server's failures are translated
     * @param name the schema's name
     * @param quote the character the server quotes identifiers with
     * @param server where the store works, for messages
     * @param dedicated where the change feed's own connection comes from
     */
    protected ServerDatabase(
            HikariDataSource pool,
            int poolSize,
            Duration busyTimeout,
            Duration networkTimeout,
            SqlErrors errors,
            String name,
            char quote,
            String server,
            DataSource dedicated) {
        super(PooledWork.onServer(PooledWork.Pool.of(pool), poolSize, networkTimeout, errors));
        this.busyTimeout = busyTimeout;
        this.networkTimeout = networkTimeout;
        this.name = name;
        this.quotedName = quote + name + quote;
        this.server = server;
        this.dedicated = dedicated;
    }

    /**
     * The name of one of configstore's tables, qualified by the quoted schema.
     *
     * @param table the bare name, such as {@code guild_config}
     * @return for example {@code "configstore".guild_config}
     */
    public final String table(String table) {
        return quotedName + "." + table;
    }

    /**
     * The schema's name quoted as an SQL identifier.
     *
     * @return for example {@code "configstore"}
     */
    public final String quoted() {
        return quotedName;
    }

    /**
     * Opens a connection outside the pool, without the pool's session settings: the change feed
     * holds one for as long as it runs.
     *
     * @return the connection, which the caller closes
     * @throws SQLException if it cannot be opened
     */
    public final Connection dedicatedConnection() throws SQLException {
        return dedicated.getConnection();
    }

    /**
     * Makes the database over a started pool and migrates it; from then on, the pool rides out a
     * failover or a restart (see {@link TimedDataSource}), while opening fails at once when no
     * server answers. Closes the pool if anything fails.
     *
     * @param pool the started pool
     * @param connections where the pool's connections come from
     * @param make makes the database over the pool
     * @param <D> the database's type
     * @return the migrated database
     */
    protected static <D extends ServerDatabase> D migrated(
            HikariDataSource pool, TimedDataSource connections, Function<HikariDataSource, D> make) {
        try {
            D database = make.apply(pool);
            database.migrate();
            connections.retryConnectingFor(Duration.ofMillis(pool.getConnectionTimeout()));
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Runs the schema's migrations; refuses a schema from a newer configstore unchanged. */
    protected abstract void migrate();
}
