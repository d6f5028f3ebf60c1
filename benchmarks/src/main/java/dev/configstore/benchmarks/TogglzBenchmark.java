package dev.configstore.benchmarks;

import dev.configstore.guild.LoggingStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.togglz.core.Feature;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.cache.CachingStateRepository;
import org.togglz.core.repository.file.FileBasedStateRepository;
import org.togglz.core.util.NamedFeature;

/**
 * The same per-guild setting kept with Togglz, a library a bot developer might pick instead: one
 * feature per guild holding the channel as a parameter, in Togglz's file-based state repository
 * behind its caching repository (60-second time-to-live). Togglz's JDBC repository cannot run on
 * SQLite (it asks for updatable cursors, which the SQLite driver refuses), so the file is the
 * durable store a small bot would use with it. Hits and writes, against configstore's logging
 * facade on SQLite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TogglzBenchmark {

    private static final int GUILDS = 1_000;

    private final String[] guilds = new String[GUILDS];
    private final Feature[] features = new Feature[GUILDS];
    private final ZipfKeys zipf = new ZipfKeys(GUILDS, 42);
    private Path togglzFile = Path.of("");
    private Path configstoreFile = Path.of("");
    private CachingStateRepository togglz;
    private SqliteConfigStore config;
    private LoggingStore logging;

    /** Stores a channel for every guild in both libraries and warms both caches. */
    @Setup
    public void open() {
        togglzFile = Databases.newFile("togglz.properties");
        configstoreFile = Databases.newFile("configstore.db");
        togglz = new CachingStateRepository(new FileBasedStateRepository(togglzFile.toFile()), 60, TimeUnit.SECONDS);
        config = SqliteConfigStore.builder(configstoreFile)
                .cache(cache -> cache.expireAfterWrite(Duration.ofSeconds(60)))
                .disableChangeFeed()
                .build();
        logging = config.loggingStore();
        for (int i = 0; i < GUILDS; i++) {
            guilds[i] = Long.toString(100_000_000_000_000_000L + i);
            features[i] = new NamedFeature("guild-" + guilds[i]);
            String channel = Long.toString(900_000_000_000_000_000L + i);
            togglz.setFeatureState(new FeatureState(features[i], true).setParameter("channel", channel));
            logging.setLoggingChannelId(guilds[i], channel);
            togglz.getFeatureState(features[i]);
            logging.getLoggingChannelId(guilds[i]);
        }
    }

    /** Closes everything and deletes the files. */
    @TearDown
    public void close() {
        config.close();
        Databases.delete(togglzFile);
        Databases.delete(configstoreFile);
    }

    /** Togglz: read a guild's channel from its cached state. */
    @Benchmark
    public String togglzHit(KeyCursor cursor) {
        return togglz.getFeatureState(features[zipf.at(cursor.position++)]).getParameter("channel");
    }

    /** configstore: read a guild's logging channel. */
    @Benchmark
    public Optional<String> configstoreHit(KeyCursor cursor) {
        return logging.getLoggingChannelId(guilds[zipf.at(cursor.position++)]);
    }

    /** Togglz: store a guild's channel. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void togglzWrite(KeyCursor cursor) {
        int i = cursor.next(GUILDS);
        togglz.setFeatureState(new FeatureState(features[i], true)
                .setParameter("channel", Long.toString(800_000_000_000_000_000L + cursor.written++)));
    }

    /** configstore: store a guild's logging channel. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void configstoreWrite(KeyCursor cursor) {
        logging.setLoggingChannelId(
                guilds[cursor.next(GUILDS)], Long.toString(800_000_000_000_000_000L + cursor.written++));
    }
}
