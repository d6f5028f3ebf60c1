package dev.configstore.mysql;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.testkit.ServerChangeFeedTests;
import java.sql.Connection;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The change-feed suite on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbChangeFeedSuiteTest extends ServerChangeFeedTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    private MariaDbConfigStore.Builder builder() {
        return MariaDbConfigStore.builder(TestServer.dataSource()).database(database);
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
        ((MariaDbConfigStore) store).pollChangesNow();
    }

    @Override
    protected Connection connect() throws Exception {
        Connection connection = TestServer.connect();
        connection.setCatalog(database);
        return connection;
    }

    @Override
    protected void pruneChangeLog(ConfigStore store, int keepEntries) {
        ((MariaDbConfigStore) store).feed().prune(keepEntries);
    }

    /** Kills the feed's connection on the server. */
    @Override
    protected AutoCloseable breakFeed(ConfigStore store) throws Exception {
        TestServer.sql("KILL CONNECTION " + ((MariaDbConfigStore) store).feed().connectionId());
        return () -> {};
    }

    @Override
    protected boolean feedThreadRunning(ConfigStore store) {
        return ((MariaDbConfigStore) store).feed().threadRunning();
    }
}
