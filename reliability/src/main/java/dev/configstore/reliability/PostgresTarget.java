package dev.configstore.reliability;

import dev.configstore.postgres.PostgresConfigStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh schema, with a random name, on the server at {@code CONFIGSTORE_PG_URL} (by default the
 * local test server), dropped when the run is over. The stated bound: a change reaches every open
 * store within the notification delay, and when a notification is lost (the feed's connection
 * killed) at the next read of the log, at most the change feed's interval later (1 s by default;
 * docs/postgres.md); the checker allows 500 ms more for the reconnection, the read and the
 * scheduling of a busy machine.
 */
final class PostgresTarget implements Target {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final Duration BOUND = Duration.ofMillis(1_500);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path folder;
    private final String schema;
    private boolean prepared;

    PostgresTarget(Path folder) {
        this.folder = folder;
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        this.schema = "cs_history_" + HexFormat.of().formatHex(bytes);
    }

    /** The server: {@code CONFIGSTORE_PG_URL}, or the local test server. */
    static String url() {
        String url = System.getenv("CONFIGSTORE_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
    }

    /** The URL for messages, with any password hidden. */
    static String shownUrl() {
        return url().replaceAll("(?i)(password=)[^&]*", "$1…");
    }

    /** Why the server cannot be used, or null if it answers. */
    static @Nullable String unavailable() {
        PGSimpleDataSource dataSource = dataSource();
        dataSource.setConnectTimeout(3);
        dataSource.setLoginTimeout(3);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
            return null;
        } catch (SQLException | RuntimeException e) {
            return e.toString();
        }
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url());
        dataSource.setApplicationName("configstore history checker");
        return dataSource;
    }

    @Override
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String location() {
        return schema;
    }

    @Override
    public Map<String, String> workerEnvironment() {
        return Map.of("CONFIGSTORE_PG_URL", url());
    }

    @Override
    public Duration crossProcessBound() {
        return BOUND;
    }

    @Override
    public void prepare() {
        prepared = true;
        PostgresConfigStore.builder(url())
                .schema(schema)
                .disableChangeFeed()
                .build()
                .close();
    }

    @Override
    public List<String> shellWrite(String key, @Nullable String value, int variant) {
        String table = "\"" + schema + "\".configstore_kv";
        String where = " WHERE namespace = " + Target.literal(Worker.NAMESPACE) + " AND key = " + Target.literal(key);
        String sql;
        if (value == null && variant % 2 == 0) {
            sql = "DELETE FROM " + table + where;
        } else {
            // The version is raised by configstore's trigger, whoever writes.
            sql = "INSERT INTO " + table + " (namespace, key, value, updated_at_s) VALUES ("
                    + Target.literal(Worker.NAMESPACE) + ", " + Target.literal(key) + ", " + Target.literal(value)
                    + ", floor(extract(epoch FROM now()))::bigint) ON CONFLICT (namespace, key) DO UPDATE SET"
                    + " value = excluded.value, updated_at_s = excluded.updated_at_s";
        }
        return List.of(shell(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url().replaceFirst("^jdbc:", ""), "-c", sql);
    }

    /**
     * Ends server processes of the workers' stores (their pools and change feeds, found by the
     * application name configstore gives them): one chosen at random, or all of them.
     *
     * @return how many were ended
     */
    int terminateWorkerConnections(boolean all) {
        String names = "application_name IN ('configstore " + schema + "', 'configstore feed " + schema + "')";
        String query = "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM (SELECT pid FROM"
                + " pg_stat_activity WHERE " + names + " AND pid <> pg_backend_pid() ORDER BY random()"
                + (all ? "" : " LIMIT 1") + ") chosen";
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            return row.next() ? row.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot end the workers' connections", e);
        }
    }

    @Override
    public String shell() {
        return "psql";
    }

    @Override
    public String keyValueTable() {
        return "\"" + schema + "\".configstore_kv";
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        if (!prepared) {
            return;
        }
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema, e);
        }
    }
}
