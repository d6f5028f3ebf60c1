package dev.configstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.spi.ChangeListener;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a change made by another connection takes to reach a store: one plain SQL update
 * committed outside configstore, then the wait until the store's change feed reports it. The
 * distribution includes the commit itself.
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

    private Path file = Path.of("");
    private SqliteConfigStore config;
    private HikariDataSource other;
    private final Semaphore arrived = new Semaphore(0);
    private long counter;

    /** Opens a store with its change feed running, and another writer on the same file. */
    @Setup
    public void open() {
        file = Databases.newFile("feed.db");
        config = SqliteConfigStore.open(file);
        config.loggingStore().setLoggingChannelId(GUILD, "111111111111111111");
        config.watchGuildChanges(new ChangeListener<>() {
            @Override
            public void keyChanged(String key) {
                arrived.release();
            }

            @Override
            public void allChanged() {
                arrived.release();
            }
        });
        other = Databases.pool(file, false);
    }

    /** Closes everything and deletes the file. */
    @TearDown
    public void close() {
        other.close();
        config.close();
        Databases.delete(file);
    }

    /** Another program updates the guild's row; wait until the store hears of it. */
    @Benchmark
    public void commitElsewhereUntilSeen() throws SQLException, InterruptedException {
        try (Connection connection = other.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE guild_config SET logging_channel_id = ? WHERE guild_id = ?")) {
            update.setString(1, Long.toString(200_000_000_000_000_000L + counter++));
            update.setString(2, GUILD);
            update.executeUpdate();
        }
        if (!arrived.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the change never reached the store");
        }
    }
}
