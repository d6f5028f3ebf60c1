package dev.configstore.mysql;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.testkit.HealthTests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The health suite on a MariaDB database of its own per test, used by an account of its own per
 * test; the database is broken by locking that account and killing its connections.
 */
@RequiresMariaDb
class MariaDbHealthSuiteTest extends HealthTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();
    private final String account = "'" + database + "'@'%'";
    private boolean accountCreated;

    private MariaDbConfigStore.Builder builder() throws Exception {
        if (!accountCreated) {
            TestServer.sql(
                    "CREATE USER " + account,
                    "GRANT ALL ON `" + database + "`.* TO " + account,
                    // The test server's URL names its own database, which the account must be let into.
                    "GRANT SELECT ON `" + TestServer.value("SELECT DATABASE()") + "`.* TO " + account);
            accountCreated = true;
        }
        MariaDbDataSource dataSource = TestServer.dataSource();
        dataSource.setUser(database);
        dataSource.setPassword("");
        return MariaDbConfigStore.builder(dataSource).database(database);
    }

    @AfterEach
    void dropAccount() throws Exception {
        if (accountCreated) {
            TestServer.sql("DROP USER " + account);
        }
    }

    @Override
    protected ConfigStore open(Duration feedInterval, int poolSize) throws Exception {
        return builder().changeFeedInterval(feedInterval).poolSize(poolSize).build();
    }

    @Override
    protected ConfigStore openWithoutFeed() throws Exception {
        return builder().disableChangeFeed().build();
    }

    @Override
    protected Connection connect() throws Exception {
        Connection connection = TestServer.connect();
        connection.setCatalog(database);
        return connection;
    }

    /** Locks the store's account and kills every connection it has, pooled or the feed's. */
    @Override
    protected AutoCloseable breakDatabase(ConfigStore store) throws Exception {
        TestServer.sql("ALTER USER " + account + " ACCOUNT LOCK");
        try (Connection connection = TestServer.connect()) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT id FROM information_schema.processlist WHERE user = ?")) {
                statement.setString(1, database);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (long id : ids) {
                    statement.execute("KILL CONNECTION " + id);
                }
            }
        }
        return () -> TestServer.sql("ALTER USER " + account + " ACCOUNT UNLOCK");
    }
}
