package dev.configstore.benchmarks;

import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a change made by another connection takes to reach a store: one plain SQL update
 * committed outside configstore, then the wait until the store's change feed reports it. The
 * distribution includes the commit itself.
 *
 * <p>{@code sqlite}: a file in a temporary folder, the feed woken by the folder watch. {@code
 * postgres}: a fresh schema on the server at {@code CONFIGSTORE_PG_URL} (by default the local test
 * database), the feed woken by {@code LISTEN}/{@code NOTIFY}; the schema is dropped afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ChangeFeedDelayBenchmark {

    private static final String GUILD = "123456789012345678";

    /** Which backend's feed. */
    @Param({"sqlite", "postgres"})
    public String backend = "sqlite";

    /** A program outside configstore that changes a guild's logging channel. */
    private interface Writer extends AutoCloseable {
        void setChannel(String channel) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    private AutoCloseable config = () -> {};
    private ChangeSubscription watching = ChangeSubscription.NONE;
    private Writer writer = new Writer() {
        @Override
        public void setChannel(String channel) {}

        @Override
        public void close() {}
    };
    private Runnable cleanUp = () -> {};
    private final Semaphore arrived = new Semaphore(0);
    private long counter;

    /** Opens a store with its change feed running, and another writer on the same database. */
    @Setup
    public void open() throws SQLException {
        ChangeListener<String> listener = new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                arrived.release();
            }

            @Override
            public void allChanged() {
                arrived.release();
            }
        };
        if (backend.equals("postgres")) {
            String schema = "configstore_bench_"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            PostgresConfigStore store = PostgresConfigStore.builder(Databases.postgresUrl())
                    .schema(schema)
                    .build();
            config = store;
            store.loggingStore().setLoggingChannelId(GUILD, "111111111111111111");
            watching = store.watchGuildChanges(listener);
            writer = updater(DriverManager.getConnection(Databases.postgresUrl()), "\"" + schema + "\".guild_config");
            cleanUp = () -> Databases.dropSchema(schema);
        } else {
            Path file = Databases.newFile("feed.db");
            SqliteConfigStore store = SqliteConfigStore.open(file);
            config = store;
            store.loggingStore().setLoggingChannelId(GUILD, "111111111111111111");
            watching = store.watchGuildChanges(listener);
            writer = updater(Databases.connection(file), "guild_config");
            cleanUp = () -> Databases.delete(file);
        }
    }

    private static Writer updater(Connection connection, String table) throws SQLException {
        PreparedStatement update =
                connection.prepareStatement("UPDATE " + table + " SET logging_channel_id = ? WHERE guild_id = ?");
        return new Writer() {
            @Override
            public void setChannel(String channel) throws SQLException {
                update.setString(1, channel);
                update.setString(2, GUILD);
                update.executeUpdate();
            }

            @Override
            public void close() throws SQLException {
                update.close();
                connection.close();
            }
        };
    }

    /** Closes everything and deletes the file or the schema. */
    @TearDown
    public void close() throws Exception {
        watching.cancel();
        writer.close();
        config.close();
        cleanUp.run();
    }

    /** Another program updates the guild's row; wait until the store hears of it. */
    @Benchmark
    public void commitElsewhereUntilSeen() throws SQLException, InterruptedException {
        writer.setChannel(Long.toString(200_000_000_000_000_000L + counter++));
        if (!arrived.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the change never reached the store");
        }
    }
}
