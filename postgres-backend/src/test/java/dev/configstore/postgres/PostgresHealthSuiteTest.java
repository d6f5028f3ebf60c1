package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreHealth;
import dev.configstore.jdbc.StoreHealth.Check;
import dev.configstore.jdbc.StoreHealth.Status;
import dev.configstore.testkit.HealthTests;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The health suite on a PostgreSQL schema of its own per test, owned by a role of its own per
 * test; the database is broken by denying that role its logins and ending its connections.
 */
@RequiresPostgres
class PostgresHealthSuiteTest extends HealthTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();
    private final String role = schema + "_role";
    private boolean roleCreated;

    private PostgresConfigStore.Builder builder() throws Exception {
        if (!roleCreated) {
            TestServer.sql(
                    "CREATE ROLE \"" + role + "\" LOGIN",
                    "GRANT CREATE, CONNECT ON DATABASE " + TestServer.value("SELECT current_database()") + " TO \""
                            + role + "\"");
            roleCreated = true;
        }
        PGSimpleDataSource dataSource = TestServer.dataSource();
        dataSource.setUser(role);
        return PostgresConfigStore.builder(dataSource).schema(schema);
    }

    @AfterEach
    void dropRole() throws Exception {
        if (roleCreated) {
            TestServer.sql("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            TestServer.sql(
                    "DROP OWNED BY \"" + role + "\" CASCADE",
                    "REVOKE ALL ON DATABASE " + TestServer.value("SELECT current_database()") + " FROM \"" + role
                            + "\"",
                    "DROP ROLE \"" + role + "\"");
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
        connection.setSchema(schema);
        return connection;
    }

    /** Denies the store's role its logins and ends every connection it has, pooled or the feed's. */
    @Override
    protected AutoCloseable breakDatabase(ConfigStore store) throws Exception {
        TestServer.sql("ALTER ROLE \"" + role + "\" NOLOGIN");
        TestServer.value("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, "
                + TestServer.TERMINATE_TIMEOUT_MILLIS + ")) FROM pg_stat_activity WHERE usename = '" + role + "'");
        return () -> TestServer.sql("ALTER ROLE \"" + role + "\" LOGIN");
    }

    @Test
    void aKilledFeedConnectionIsCountedAndTheStoreIsUpOnceTheFeedReconnected() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            TestServer.terminate(((PostgresConfigStore) store).feed().backendPid());

            StoreHealth up = awaitHealth(
                    store,
                    health -> health.status() == Status.UP
                            && !Long.valueOf(0)
                                    .equals(check(health, StoreHealth.CHANGE_FEED)
                                            .details()
                                            .get("reconnects")));
            Check feed = check(up, StoreHealth.CHANGE_FEED);
            assertThat((Long) feed.details().get("errors")).isPositive();
            assertThat(feed.details()).containsEntry("failuresSinceLastRead", 0L);
        }
    }

    @Test
    void aDroppedSchemaIsDown() throws Exception {
        try (ConfigStore store = open(Duration.ofMillis(50), 4)) {
            TestServer.sql("DROP SCHEMA \"" + schema + "\" CASCADE");

            StoreHealth down = store.health();

            assertThat(down.status()).isEqualTo(Status.DOWN);
            assertThat(check(down, StoreHealth.DATABASE).status()).isEqualTo(Status.UP);
            assertThat(check(down, StoreHealth.SCHEMA).reason()).startsWith("The schema version cannot be read");
        }
    }
}
