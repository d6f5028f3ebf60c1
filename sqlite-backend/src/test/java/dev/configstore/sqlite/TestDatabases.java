package dev.configstore.sqlite;

import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Real SQLite files for tests, in one temporary folder per test JVM that is deleted when the JVM
 * exits. Key-value backends share one database and get a fresh namespace each; guild backends
 * get a fresh database each, since guild ids are global to a file.
 */
final class TestDatabases {

    private static final Path FOLDER = createFolder();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static @Nullable SqliteConfigStore shared;

    private TestDatabases() {}

    private static Path createFolder() {
        try {
            Path folder = Files.createTempDirectory("configstore-sqlite-tests");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder)));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path for a new database file that does not exist yet. */
    static Path newFile() {
        return FOLDER.resolve("db-" + COUNTER.incrementAndGet()).resolve("config.db");
    }

    /** A backend on a fresh namespace of a database shared by the whole test JVM. */
    static synchronized Backend<String, String> freshNamespace() {
        if (shared == null) {
            shared = SqliteConfigStore.builder(newFile()).disableChangeFeed().build();
        }
        return new dev.configstore.jdbc.internal.JdbcKeyValueBackend(
                shared.database(), SqliteSql.INSTANCE, "ns" + COUNTER.incrementAndGet(), null);
    }

    /** A guild backend on a new database file; closing it closes the file. */
    static ClosingGuildBackend freshGuildBackend() {
        return new ClosingGuildBackend(
                SqliteConfigStore.builder(newFile()).manualChangeFeed().build());
    }

    static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: this is a temporary folder.
        }
    }

    /** The guild backend of a store of its own, closed with it. */
    static final class ClosingGuildBackend implements GuildSettingsBackend, AutoCloseable {
        private final SqliteConfigStore store;
        private final GuildSettingsBackend backend;

        ClosingGuildBackend(SqliteConfigStore store) {
            this.store = store;
            this.backend = store.guildSettingsBackend();
        }

        @Override
        public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
            return backend.writeSetting(guildId, setting, value);
        }

        @Override
        public Optional<Versioned<GuildSettings>> read(String key) {
            return backend.read(key);
        }

        @Override
        public long write(String key, GuildSettings value) {
            return backend.write(key, value);
        }

        @Override
        public long delete(String key) {
            return backend.delete(key);
        }

        @Override
        public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
            return backend.inTransaction(work);
        }

        @Override
        public ChangeSubscription subscribe(ChangeListener<String> listener) {
            return backend.subscribe(listener);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
