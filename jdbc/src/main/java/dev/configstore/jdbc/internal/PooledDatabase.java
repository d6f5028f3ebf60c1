package dev.configstore.jdbc.internal;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.configstore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database whose work runs on its pool as {@link PooledWork} runs it, and whose failures its
 * {@link SqlErrors} translate. A database module adds how the pool is opened and configured, and
 * overrides an operation only where its database needs a check of its own first.
 */
public abstract class PooledDatabase implements JdbcDatabase, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.database");

    private final PooledWork work;

    /**
     * Creates the database.
     *
     * @param work how work runs on its pool
     */
    protected PooledDatabase(PooledWork work) {
        this.work = work;
    }

    /**
     * Returns how work runs on the pool.
     *
     * @return the runner
     */
    protected final PooledWork work() {
        return work;
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
    public final StoreException translate(SQLException e, String table, String what) {
        return work.errors().translate(e, table, what);
    }

    @Override
    public final String where() {
        return work.errors().where();
    }

    /**
     * Runs a server's migrations in one change, on a connection that waits as long as they take:
     * they may wait for another process's migrations and rewrite a big table, neither of which is a
     * server that stopped answering. The pool restores the connection's timeout when it is handed
     * back. Logs the schema version reached.
     *
     * @param module the database module, which begins the log message ("configstore-postgres")
     * @param inTransaction whether they run in one transaction, or each statement on its own (where
     *     the database commits a change of the schema by itself)
     * @param migrations the migrations; they return the schema version they found
     * @param latest the schema version they reach
     */
    protected final void migrateServer(String module, boolean inTransaction, SqlWork<Integer> migrations, int latest) {
        SqlWork<Integer> untimed = connection -> {
            connection.setNetworkTimeout(Runnable::run, 0);
            return migrations.run(connection);
        };
        String what = "migrating the schema";
        int before = inTransaction ? transaction("-", what, untimed) : write("-", what, untimed);
        log.info(
                "{} {}: opened (schema version {}{})",
                module,
                where(),
                latest,
                before == latest ? "" : ", migrated from " + before);
    }

    /**
     * Sends the pool's measurements to a HikariCP metrics tracker from now on.
     *
     * @param factory makes the tracker
     * @throws IllegalStateException if the pool already has one
     */
    public final void trackPoolMetrics(MetricsTrackerFactory factory) {
        work.pool().trackMetrics(factory);
    }

    /**
     * Returns how busy the pool is now.
     *
     * @return its connections and waiting threads, or null if the pool cannot tell
     */
    public final PooledWork.@Nullable PoolState poolState() {
        return work.pool().state();
    }

    /**
     * Borrows a pooled connection as is; for tests that inspect what every connection gets.
     *
     * @return a connection of the pool, to close after use
     * @throws SQLException if none can be had
     */
    public Connection borrowForTest() throws SQLException {
        return work.pool().borrow();
    }

    /** Closes the pool and every connection in it. */
    @Override
    public void close() {
        work.pool().close();
    }
}
