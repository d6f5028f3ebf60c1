package dev.configstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.sqlite.SqliteConfigStore;
import dev.configstore.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A durable write on SQLite: the store's {@code put} (upsert, then drop the cached entry) against
 * the same upsert through a HikariCP pool; with the change log's triggers and without them, with
 * {@code synchronous=NORMAL} and {@code FULL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WritePathBenchmark {

    private static final int KEYS = 1_000;

    /** {@code NORMAL} or {@code FULL}. */
    @Param({"NORMAL", "FULL"})
    public String synchronous = "NORMAL";

    /** Whether the change log's triggers are installed. */
    @Param({"true", "false"})
    public boolean changeLog = true;

    private final String[] keys = new String[KEYS];
    private Path file = Path.of("");
    private SqliteConfigStore config;
    private CachedKeyValueStore<String, String> store;
    private HikariDataSource pool;

    /** Opens the file the way the parameters say. */
    @Setup
    public void open() throws SQLException {
        file = Databases.newFile("write.db");
        config = SqliteConfigStore.builder(file)
                .synchronous(Synchronous.valueOf(synchronous))
                .disableChangeFeed()
                .build();
        store = config.keyValueStore("bench");
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "guild-" + i;
        }
        pool = Databases.pool(file, "FULL".equals(synchronous));
        if (!changeLog) {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                for (String trigger : new String[] {"inserted", "updated", "deleted"}) {
                    statement.execute("DROP TRIGGER configstore_kv_" + trigger);
                }
            }
        }
    }

    /** Closes everything and deletes the file. */
    @TearDown
    public void close() {
        pool.close();
        config.close();
        Databases.delete(file);
    }

    /** The store's durable write. */
    @Benchmark
    public void storePut(KeyCursor cursor) {
        store.put(keys[cursor.next(KEYS)], "value-" + cursor.written++);
    }

    /** The same upsert through the pool. */
    @Benchmark
    public long rawUpsert(KeyCursor cursor) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement upsert = connection.prepareStatement(Databases.UPSERT)) {
            upsert.setString(1, "bench");
            upsert.setString(2, keys[cursor.next(KEYS)]);
            upsert.setString(3, "value-" + cursor.written++);
            upsert.setLong(4, System.currentTimeMillis() * 1000);
            upsert.setLong(5, System.currentTimeMillis() / 1000);
            try (ResultSet version = upsert.executeQuery()) {
                return version.next() ? version.getLong(1) : 0;
            }
        }
    }
}
