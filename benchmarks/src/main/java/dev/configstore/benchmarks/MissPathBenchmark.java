package dev.configstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache miss on SQLite: the store's {@code get} after its entry was dropped, against the same
 * point read done by hand, once on a connection kept open with its statement prepared, and once
 * through a HikariCP pool (what the store itself uses).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MissPathBenchmark {

    private static final int KEYS = 1_000;

    private final String[] keys = new String[KEYS];
    private Path file = Path.of("");
    private SqliteConfigStore config;
    private CachedKeyValueStore<String, String> store;
    private HikariDataSource pool;

    /** A plain connection (not a pool's) and a prepared read that one benchmark thread keeps open. */
    @State(Scope.Thread)
    public static class Kept {
        private Connection connection;
        private PreparedStatement read;

        /**
         * Opens this thread's connection, with the settings of the store's.
         *
         * @param benchmark the benchmark's shared state
         * @throws SQLException if the connection cannot be opened
         */
        @Setup
        public void open(MissPathBenchmark benchmark) throws SQLException {
            connection = Databases.connection(benchmark.file);
            read = connection.prepareStatement(Databases.SELECT);
            read.setString(1, "bench");
        }

        /**
         * Closes the connection.
         *
         * @throws SQLException if closing fails
         */
        @TearDown
        public void close() throws SQLException {
            read.close();
            connection.close();
        }
    }

    /** Writes 1,000 keys and opens the baselines. */
    @Setup
    public void open() throws SQLException {
        file = Databases.newFile("miss.db");
        config = SqliteConfigStore.builder(file).disableChangeFeed().build();
        store = config.keyValueStore("bench");
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "guild-" + i;
            store.put(keys[i], "value-" + i);
        }
        pool = Databases.pool(file, false);
    }

    /** Closes everything and deletes the file. */
    @TearDown
    public void close() throws SQLException {
        pool.close();
        config.close();
        Databases.delete(file);
    }

    private String next(KeyCursor cursor) {
        return keys[cursor.next(KEYS)];
    }

    /** The store's miss: drop the entry, then read. */
    @Benchmark
    public Optional<String> storeMiss(KeyCursor cursor) {
        String key = next(cursor);
        store.invalidate(key);
        return store.get(key);
    }

    /** The same read on a connection and statement kept open. */
    @Benchmark
    public @Nullable String rawKeptOpen(KeyCursor cursor, Kept kept) throws SQLException {
        kept.read.setString(2, next(cursor));
        try (ResultSet row = kept.read.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /** The same read through the pool, as an application would write it. */
    @Benchmark
    public @Nullable String rawPooled(KeyCursor cursor) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement read = connection.prepareStatement(Databases.SELECT)) {
            read.setString(1, "bench");
            read.setString(2, next(cursor));
            try (ResultSet row = read.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
