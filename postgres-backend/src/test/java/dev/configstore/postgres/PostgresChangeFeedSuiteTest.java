package dev.configstore.postgres;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.testkit.ServerChangeFeedTests;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The change-feed suite on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresChangeFeedSuiteTest extends ServerChangeFeedTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    private PostgresConfigStore.Builder builder() {
        return PostgresConfigStore.builder(TestServer.dataSource()).schema(schema);
    }

    @Override
    protected ConfigStore open() {
        return builder().manualChangeFeed().build();
    }

    @Override
    protected ConfigStore openWithFeedThread() {
        return builder().build();
    }

    @Override
    protected ConfigStore openWithoutFeed(Consumer<CachedKeyValueStore.Builder<?, ?>> cache) {
        return builder().disableChangeFeed().cache(cache).build();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((PostgresConfigStore) store).pollChangesNow();
    }

    @Override
    protected Connection connect() throws Exception {
        Connection connection = TestServer.connect();
        connection.setSchema(schema);
        return connection;
    }

    @Override
    protected void pruneChangeLog(ConfigStore store, int keepEntries) {
        ((PostgresConfigStore) store).feed().prune(keepEntries, Duration.ofHours(1), 5);
    }

    /** Ends the server process of the feed's connection. */
    @Override
    protected AutoCloseable breakFeed(ConfigStore store) throws Exception {
        TestServer.terminate(((PostgresConfigStore) store).feed().backendPid());
        return () -> {};
    }

    @Override
    protected boolean feedThreadRunning(ConfigStore store) {
        return ((PostgresConfigStore) store).feed().threadRunning();
    }
}
