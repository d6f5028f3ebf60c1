package dev.configstore.mysql;

import dev.configstore.testkit.RequiresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The MariaDB server the tests run against: {@code CONFIGSTORE_MYSQL_URL}, or a local server with
 * user root and no password, database test.
 */
final class TestServer {

    static final String URL = RequiresServer.Server.MARIADB.url();

    private TestServer() {}

    /** The URL for messages, with any password hidden. */
    static String shownUrl() {
        return URL.replaceAll("(?i)(password=)[^&]*", "$1…");
    }

    /** A DataSource on the test server. */
    static MariaDbDataSource dataSource() {
        try {
            return new MariaDbDataSource(URL);
        } catch (SQLException e) {
            throw new IllegalStateException("bad CONFIGSTORE_MYSQL_URL " + shownUrl(), e);
        }
    }

    /** Runs statements on a new connection. */
    static void sql(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The first column of the first row of a query, as text. */
    static @Nullable String value(String query) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /** A new connection, outside any pool. */
    static Connection connect() throws SQLException {
        return dataSource().getConnection();
    }
}
