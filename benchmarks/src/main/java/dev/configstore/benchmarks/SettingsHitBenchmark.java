package dev.configstore.benchmarks;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.LoggingStore;
import dev.configstore.settings.Rule;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a declared setting on a warm cache, beside a {@link CachedKeyValueStore#get} hit of the
 * same store: 1,000 guilds on a SQLite file, read in a Zipf-distributed order, half of them with a
 * stored prefix (the rest fall through to the default) and a channel override of a switch.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SettingsHitBenchmark {

    static final Setting<String> PREFIX =
            Setting.text("prefix", Rule.length(1, 5)).defaultValue("!").build();
    static final Setting<Boolean> MUSIC = Setting.bool("music")
            .defaultValue(false)
            .scopes(dev.configstore.settings.Scope.GUILD, dev.configstore.settings.Scope.CHANNEL)
            .build();

    private final String[] guilds = new String[HitPathBenchmark.KEYS];
    private final ZipfKeys zipf = new ZipfKeys(HitPathBenchmark.KEYS, 42);
    private Path file = Path.of("");
    private SqliteConfigStore config;
    private CachedKeyValueStore<String, String> store;
    private Settings settings;
    private LoggingStore logging;
    private FlaggerStore flagger;

    /** Stores the values and warms every cache. */
    @Setup
    public void fill() {
        file = Databases.newFile("settings.db");
        config = SqliteConfigStore.builder(file)
                .cache(cache -> cache.expireAfterWrite(Duration.ofHours(1)).maximumSize(10_000))
                .disableChangeFeed()
                .build();
        store = config.keyValueStore("bench");
        settings = config.settings(SettingsSchema.of(Map.of(), PREFIX, MUSIC));
        logging = config.loggingStore();
        flagger = config.flaggerStore();
        for (int i = 0; i < guilds.length; i++) {
            guilds[i] = Long.toString(100_000_000_000_000_000L + i);
            store.put(guilds[i], "value-" + i);
            if (i % 2 == 0) {
                config.loggingStore().setLoggingChannelId(guilds[i], "42");
                config.flaggerStore().setSilentFirstMsgDays(guilds[i], 30);
                settings.set(PREFIX, ScopeId.guild(guilds[i]), "?");
                settings.set(MUSIC, ScopeId.channel(guilds[i], "42"), true);
            }
        }
        for (String guild : guilds) {
            store.get(guild);
            settings.get(PREFIX, guild);
            settings.get(MUSIC, guild, "42");
            config.loggingStore().getLoggingChannelId(guild);
            config.flaggerStore().getFlaggerConfig(guild);
        }
    }

    /** Closes the store and deletes the file. */
    @TearDown
    public void close() {
        config.close();
        Databases.delete(file);
    }

    private String next(KeyCursor cursor) {
        return guilds[zipf.at(cursor.position++)];
    }

    /** The store's hit, the ratio's baseline. */
    @Benchmark
    public Optional<String> storeHit(KeyCursor cursor) {
        return store.get(next(cursor));
    }

    /** A guild's prefix: stored for half the guilds, the default for the rest. */
    @Benchmark
    public Optional<String> settingHit(KeyCursor cursor) {
        return settings.get(PREFIX, next(cursor));
    }

    /** A channel's music switch: overridden for that channel in half the guilds. */
    @Benchmark
    public Optional<Boolean> channelSettingHit(KeyCursor cursor) {
        return settings.get(MUSIC, next(cursor), "42");
    }

    /** The logging facade's hit, through its built-in declaration: set for half the guilds. */
    @Benchmark
    public Optional<String> loggingChannelHit(KeyCursor cursor) {
        return logging.getLoggingChannelId(next(cursor));
    }

    /** The flagger facade's hit: two built-in declarations resolved into one remembered record. */
    @Benchmark
    public FlaggerConfig flaggerConfigHit(KeyCursor cursor) {
        return flagger.getFlaggerConfig(next(cursor));
    }

    /** {@link #settingHit} without blocking: a future completed on the caller's thread. */
    @Benchmark
    public CompletableFuture<Optional<String>> settingHitAsync(KeyCursor cursor) {
        return settings.getAsync(PREFIX, next(cursor), ForkJoinPool.commonPool());
    }

    /** {@link #flaggerConfigHit} without blocking: a future completed on the caller's thread. */
    @Benchmark
    public CompletableFuture<FlaggerConfig> flaggerConfigHitAsync(KeyCursor cursor) {
        return flagger.getFlaggerConfigAsync(next(cursor), ForkJoinPool.commonPool());
    }
}
