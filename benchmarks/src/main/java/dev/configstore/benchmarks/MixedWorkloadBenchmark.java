package dev.configstore.benchmarks;

import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bot's day, compressed: 10,000 guilds on SQLite with the change feed running, 99 reads of a
 * guild's flagging setup for every write of a guild's silent days, guilds picked in a Zipf order.
 * Throughput, and the distribution of one operation's latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MixedWorkloadBenchmark {

    private static final int GUILDS = 10_000;

    private final String[] guilds = new String[GUILDS];
    private final ZipfKeys zipf = new ZipfKeys(GUILDS, 7);
    private Path file = Path.of("");
    private SqliteConfigStore config;
    private FlaggerStore flagger;

    /** Where each benchmark thread is in the guild sequence and its write cadence. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;
        int operation;
    }

    /** Stores settings for every guild. */
    @Setup
    public void open() {
        file = Databases.newFile("mixed.db");
        config = SqliteConfigStore.builder(file)
                .expireAfterWrite(Duration.ofSeconds(60))
                .maximumSize(GUILDS * 2L)
                .build();
        flagger = config.flaggerStore();
        for (int i = 0; i < GUILDS; i++) {
            guilds[i] = Long.toString(100_000_000_000_000_000L + i);
            if (i % 3 == 0) {
                flagger.setFlagsChannelId(guilds[i], Long.toString(900_000_000_000_000_000L + i));
            }
        }
    }

    /** Closes everything and deletes the file. */
    @TearDown
    public void close() {
        config.close();
        Databases.delete(file);
    }

    /** One operation: a write every hundredth time, a read otherwise. */
    @Benchmark
    public FlaggerConfig readMostly(Cursor cursor) {
        String guild = guilds[zipf.at(cursor.position++)];
        if (++cursor.operation % 100 == 0) {
            flagger.setSilentFirstMsgDays(guild, 7 + cursor.operation % 300);
        }
        return flagger.getFlaggerConfig(guild);
    }
}
