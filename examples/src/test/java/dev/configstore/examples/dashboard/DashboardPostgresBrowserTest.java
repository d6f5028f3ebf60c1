package dev.configstore.examples.dashboard;

import dev.configstore.testkit.RequiresServer;
import dev.configstore.testkit.RequiresServer.Server;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The dashboard's browser tests on PostgreSQL, in a schema of their own, dropped afterwards. */
@RequiresServer(Server.POSTGRES)
class DashboardPostgresBrowserTest extends DashboardBrowserTests {

    private final String schema = "dashboard_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

    @Override
    String db() {
        return Server.POSTGRES.url();
    }

    @Override
    String schema() {
        return schema;
    }

    @Override
    List<String> shell(String statement) {
        // libpq takes the JDBC URL without its "jdbc:" (jdbc:postgresql://host:5432/db?user=…).
        return List.of(
                "psql",
                Server.POSTGRES.url().substring("jdbc:".length()),
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "SET search_path TO \"" + schema + "\"",
                "-c",
                statement);
    }

    @Override
    String guild(int test) {
        return "20000000000000000" + test;
    }

    @AfterAll
    void dropSchema() throws Exception {
        try (Connection connection = DriverManager.getConnection(Server.POSTGRES.url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
