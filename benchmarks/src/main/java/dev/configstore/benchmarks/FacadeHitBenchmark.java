package dev.configstore.benchmarks;

import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.LoggingStore;
import dev.configstore.testkit.InMemoryGuildSettingsBackend;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a bot does on every message: read a guild's settings through the facades, on a warm
 * cache of 1,000 guilds read in a Zipf-distributed order. Compare with {@link
 * HitPathBenchmark#caffeine}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FacadeHitBenchmark {

    private final String[] guilds = new String[HitPathBenchmark.KEYS];
    private final ZipfKeys zipf = new ZipfKeys(HitPathBenchmark.KEYS, 42);
    private LoggingStore logging;
    private FlaggerStore flagger;

    /** Stores settings for half the guilds (the rest fall back to defaults) and warms the cache. */
    @Setup
    public void fill() {
        GuildConfig config = GuildConfig.builder(InMemoryGuildSettingsBackend.create())
                .defaults(ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", "30")))
                .cache(cache -> cache.expireAfterWrite(Duration.ofHours(1)).maximumSize(10_000))
                .build();
        logging = config.loggingStore();
        flagger = config.flaggerStore();
        for (int i = 0; i < guilds.length; i++) {
            guilds[i] = Long.toString(100_000_000_000_000_000L + i);
            if (i % 2 == 0) {
                logging.setLoggingChannelId(guilds[i], Long.toString(900_000_000_000_000_000L + i));
                flagger.setFlagsChannelId(guilds[i], Long.toString(800_000_000_000_000_000L + i));
            }
            flagger.getFlaggerConfig(guilds[i]);
        }
    }

    private String next(KeyCursor cursor) {
        return guilds[zipf.at(cursor.position++)];
    }

    /** The flagging setup of a guild, resolved with provenance. */
    @Benchmark
    public FlaggerConfig getFlaggerConfig(KeyCursor cursor) {
        return flagger.getFlaggerConfig(next(cursor));
    }

    /** The logging channel of a guild. */
    @Benchmark
    public Optional<String> getLoggingChannelId(KeyCursor cursor) {
        return logging.getLoggingChannelId(next(cursor));
    }
}
