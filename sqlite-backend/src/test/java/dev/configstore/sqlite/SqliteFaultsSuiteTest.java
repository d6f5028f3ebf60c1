package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.StoreFaultsTests;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The shared faults suite on a SQLite file of its own per test; another writer's lock is held by
 * a second process.
 */
class SqliteFaultsSuiteTest extends StoreFaultsTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected ConfigStore open(Consumer<StoreBuilder<?, ?>> settings) {
        SqliteConfigStore.Builder builder = SqliteConfigStore.builder(file);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    protected String table(String name) {
        return name;
    }

    @Override
    protected String location() {
        return file.toString();
    }

    @Override
    protected String restoreSchema() {
        return " Run 'configstore migrate' on the file (the bot can keep running), or restart the bot with a"
                + " store that can write: the migrations put missing tables and columns back and say what was"
                + " lost. Then try again.";
    }

    @Override
    protected Optional<String> storedValue(String namespace, String key) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                var statement = connection.prepareStatement(
                        "SELECT value FROM configstore_kv WHERE namespace = ? AND key = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (var row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** Another process takes SQLite's one write lock of the file. */
    @Override
    protected AutoCloseable lockGuild(String guild) throws Exception {
        ChildJvm child = ChildJvm.start(LockHolder.class, file.toString());
        child.awaitLine("LOCKED");
        return () -> {
            try (child) {
                child.sendLine("release");
                child.awaitLine("RELEASED");
                assertThat(child.waitForExit()).isZero();
            }
        };
    }

    @Override
    protected String busyMessage() {
        return "locked by another writer";
    }
}
