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
import org.openjdk.jmh.annotations.Level;
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
 *
 * <p>{@code readMostly} gives the throughput of that mix. {@code read} gives the latency of its
 * reads alone: the same mix, but each hundredth write is made before the timed call, outside the
 * measurement, to the guild the timed read then asks for, so the read after each write is the
 * miss a bot sees after a change.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MixedWorkloadBenchmark {

    private static final int GUILDS = 10_000;
    private static final int OPERATIONS_PER_WRITE = 100;

    private final String[] guilds = new String[GUILDS];
    private final ZipfKeys zipf = new ZipfKeys(GUILDS, 7);
    private Path file = Path.of("");
    private SqliteConfigStore config;
    private FlaggerStore flagger;

    /** One thread's writes for {@code read}: made between timed calls, never inside one. */
    @State(Scope.Thread)
    public static class UntimedWrites {
        int operation;

        /**
         * Every hundredth call, writes the silent days of the guild the next read asks for.
         *
         * @param benchmark the benchmark's shared state
         * @param cursor the thread's place in the guild sequence
         */
        @Setup(Level.Invocation)
        public void writeEveryHundredth(MixedWorkloadBenchmark benchmark, KeyCursor cursor) {
            if (++operation % OPERATIONS_PER_WRITE == 0) {
                benchmark.write(benchmark.guilds[benchmark.zipf.at(cursor.position)], operation);
            }
        }
    }

    /** Stores settings for every guild and reads each once. */
    @Setup
    public void open() {
        file = Databases.newFile("mixed.db");
        config = SqliteConfigStore.builder(file)
                .cache(cache -> cache.expireAfterWrite(Duration.ofSeconds(60)).maximumSize(GUILDS * 2L))
                .build();
        flagger = config.flaggerStore();
        for (int i = 0; i < GUILDS; i++) {
            guilds[i] = Long.toString(100_000_000_000_000_000L + i);
            if (i % 3 == 0) {
                flagger.setFlagsChannelId(guilds[i], Long.toString(900_000_000_000_000_000L + i));
            }
        }
        // A running bot has read its guilds before: start warm, so that the first iterations do
        // not measure the cache filling with the long tail of the distribution.
        for (String guild : guilds) {
            flagger.getFlaggerConfig(guild);
        }
    }

    /** Closes everything and deletes the file. */
    @TearDown
    public void close() {
        config.close();
        Databases.delete(file);
    }

    private void write(String guild, int operation) {
        flagger.setSilentFirstMsgDays(guild, FlaggerStore.MIN_SILENT_DAYS + operation % 300);
    }

    /** One operation of the mix: a write every hundredth time, then a read. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public FlaggerConfig readMostly(KeyCursor cursor) {
        int operation = cursor.position++;
        String guild = guilds[zipf.at(operation)];
        if (operation % OPERATIONS_PER_WRITE == 0) {
            write(guild, operation);
        }
        return flagger.getFlaggerConfig(guild);
    }

    /** One read of the mix, timed alone; the writes happen between reads. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public FlaggerConfig read(KeyCursor cursor, UntimedWrites writes) {
        return flagger.getFlaggerConfig(guilds[zipf.at(cursor.position++)]);
    }
}
