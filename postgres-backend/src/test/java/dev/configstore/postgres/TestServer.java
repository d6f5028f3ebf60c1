package dev.configstore.postgres;

import dev.configstore.testkit.RequiresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests run against: {@code CONFIGSTORE_PG_URL}, or a local server with
 * trust authentication and a database named {@code test}. Every test class works in schemas of
 * its own, with random names, and drops them afterwards.
 */
final class TestServer {

    static final String URL = RequiresServer.Server.POSTGRES.url();

    /** How long {@link #terminate} waits for a server process to exit. */
    static final int TERMINATE_TIMEOUT_MILLIS = 30_000;

    private TestServer() {}

    /** The URL for messages, with any password hidden. */
    static String shownUrl() {
        return URL.replaceAll("(?i)(password=)[^&]*", "$1…");
    }

    /** Connections to the test server, unpooled. */
    static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(URL);
        return dataSource;
    }

    /** Runs statements on a connection of their own, in autocommit mode. */
    static void sql(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The rows a query returns, each as a list of strings (null as "null"). */
    static List<List<String>> rows(String query) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(result.getObject(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The single value a query returns. */
    static String value(String query) throws SQLException {
        List<List<String>> rows = rows(query);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException(query + " returned " + rows);
        }
        return rows.get(0).get(0);
    }

    /**
     * Ends a server process and returns once it has exited: without a timeout, {@code
     * pg_terminate_backend} returns as soon as the signal is sent, and the next statement may
     * still find the session alive.
     */
    static void terminate(int pid) throws SQLException {
        String ended = value("SELECT pg_terminate_backend(" + pid + ", " + TERMINATE_TIMEOUT_MILLIS + ")");
        if (!ended.equals("true")) {
            throw new IllegalStateException("server process " + pid + " did not end: " + ended);
        }
    }

    static Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** A DataSource as a user would hand it over. */
    static DataSource plainDataSource() {
        return dataSource();
    }
}
