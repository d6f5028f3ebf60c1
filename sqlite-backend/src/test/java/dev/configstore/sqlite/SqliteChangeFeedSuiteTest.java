package dev.configstore.sqlite;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.testkit.ChangeFeedTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** The change-feed suite on a SQLite file of its own per test. */
class SqliteChangeFeedSuiteTest extends ChangeFeedTests {

    // A name of its own, which the feed's thread is named after.
    private final Path file = TestDatabases.newFile().resolveSibling("feed-suite.db");
    private final Path folder = Objects.requireNonNull(file.getParent(), "newFile() gives a file in a folder");

    @Override
    protected ConfigStore open() {
        return SqliteConfigStore.builder(file).manualChangeFeed().build();
    }

    @Override
    protected ConfigStore openWithFeedThread() {
        return SqliteConfigStore.open(file);
    }

    @Override
    protected ConfigStore openWithoutFeed(Consumer<CachedKeyValueStore.Builder<?, ?>> cache) {
        return SqliteConfigStore.builder(file).disableChangeFeed().cache(cache).build();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((SqliteConfigStore) store).pollChangesNow();
    }

    @Override
    protected Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    @Override
    protected void pruneChangeLog(ConfigStore store, int keepEntries) {
        ((SqliteConfigStore) store).pruneChangeLogNow(keepEntries, Duration.ofHours(1), 5);
    }

    /** Moves the file's folder away: the feed's next read finds no file. */
    @Override
    protected AutoCloseable breakFeed(ConfigStore store) throws Exception {
        Path away = folder.resolveSibling(folder.getFileName() + "-away");
        Files.move(folder, away);
        return () -> Files.move(away, folder);
    }

    @Override
    protected boolean feedThreadRunning(ConfigStore store) {
        String name = "configstore-sqlite-feed " + file.getFileName();
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }
}
