package dev.configstore.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.mysql.MariaDbConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.mariadb.jdbc.MariaDbDataSource;
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
 * A cache miss and a durable write on MariaDB (the server at {@code CONFIGSTORE_MYSQL_URL}, by
 * default the local test server), each beside the same statement run by hand through a HikariCP
 * pool of the same size on the same table: what configstore adds to a round trip to the server.
 *
 * <p>The raw statements are the ones the store runs ({@code SELECT value, version …} and the
 * upsert that raises the row's version), on the store's own table, so the server does the same
 * work for both, change-log triggers included; the difference is the store's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MariaDbPathBenchmark {

    private static final int KEYS = 1_000;
    private static final String NAMESPACE = "bench";

    private final String[] keys = new String[KEYS];
    private String database = "";
    private String select = "";
    private String upsert = "";
    private MariaDbConfigStore config;
    private CachedKeyValueStore<String, String> store;
    private HikariDataSource pool;

    /** Creates a database of its own on the server, writes 1,000 keys and opens the baseline's pool. */
    @Setup
    public void open() throws SQLException {
        database = "cs_bench_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        config = MariaDbConfigStore.builder(Databases.mariadbUrl())
                .database(database)
                .disableChangeFeed()
                .build();
        store = config.keyValueStore(NAMESPACE);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "guild-" + i;
            store.put(keys[i], "value-" + i);
        }
        String table = "`" + database + "`.configstore_kv";
        select = "SELECT value, version FROM " + table + " WHERE namespace = ? AND `key` = ?";
        upsert = "INSERT INTO " + table + " (namespace, `key`, value, version, updated_at_s) VALUES (?, ?, ?,"
                + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)), UNIX_TIMESTAMP())"
                + " ON DUPLICATE KEY UPDATE value = VALUES(value),"
                + " version = GREATEST(version + 1, VALUES(version)), updated_at_s = VALUES(updated_at_s)"
                + " RETURNING version";
        MariaDbDataSource dataSource = new MariaDbDataSource();
        dataSource.setUrl(Databases.mariadbUrl());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("baseline");
        pool = new HikariDataSource(hikari);
    }

    /** Closes everything and drops the database. */
    @TearDown
    public void close() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement drop = connection.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS `" + database + "`");
        } finally {
            pool.close();
            config.close();
        }
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

    /** The same read through the pool, as an application would write it. */
    @Benchmark
    public @Nullable String rawRead(KeyCursor cursor) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement read = connection.prepareStatement(select)) {
            read.setString(1, NAMESPACE);
            read.setString(2, next(cursor));
            try (ResultSet row = read.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The store's durable write: the upsert, then the cached entry dropped. */
    @Benchmark
    public void storePut(KeyCursor cursor) {
        store.put(next(cursor), "written-" + cursor.written++);
    }

    /** The same upsert through the pool, autocommitted, its new version read back. */
    @Benchmark
    public long rawUpsert(KeyCursor cursor) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement write = connection.prepareStatement(upsert)) {
            write.setString(1, NAMESPACE);
            write.setString(2, next(cursor));
            write.setString(3, "written-" + cursor.written++);
            try (ResultSet row = write.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }
}
