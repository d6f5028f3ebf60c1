package dev.configstore.benchmarks;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.testkit.InMemoryGuildSettingsBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the memory a cached guild costs: the retained size of the store's cache with N guilds
 * cached, minus the same store empty, divided by N; then the part of it that is the guild's own
 * data (its id and its settings), which any cache would have to hold.
 *
 * <p>Run with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.configstore.benchmarks.MemoryFootprint}.
 */
public final class MemoryFootprint {

    private MemoryFootprint() {}

    /**
     * Prints the measurement.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        print(System.out, measure(10_000));
    }

    /** What {@link #measure} found. */
    record Footprint(int guilds, long storeBytesPerGuild, long guildDataBytesPerGuild) {
        long overheadPerGuild() {
            return storeBytesPerGuild - guildDataBytesPerGuild;
        }
    }

    static Footprint measure(int guilds) {
        InMemoryGuildSettingsBackend backend = InMemoryGuildSettingsBackend.create();
        GuildConfig config = GuildConfig.builder(backend)
                .cache(cache -> cache.expireAfterWrite(Duration.ofHours(1))
                        .maximumSize(guilds * 2L)
                        .executor(Runnable::run))
                .build();
        CachedKeyValueStore<String, GuildSettings> store = config.store();
        long empty = GraphLayout.parseInstance(store).totalSize();
        List<Object> guildData = new ArrayList<>();
        for (int i = 0; i < guilds; i++) {
            String guild = Long.toString(100_000_000_000_000_000L + i);
            config.loggingStore().setLoggingChannelId(guild, Long.toString(900_000_000_000_000_000L + i));
            config.flaggerStore().setSilentFirstMsgDays(guild, 30);
            config.flaggerStore().getFlaggerConfig(guild);
            guildData.add(guild);
            guildData.add(store.get(guild).orElseThrow());
        }
        long full = GraphLayout.parseInstance(store).totalSize();
        long data = GraphLayout.parseInstance(guildData.toArray()).totalSize()
                - GraphLayout.parseInstance((Object) new Object[guildData.size()])
                        .totalSize();
        return new Footprint(guilds, (full - empty) / guilds, data / guilds);
    }

    static void print(PrintStream out, Footprint footprint) {
        out.printf(
                "guilds cached: %d%nbytes per cached guild: %d%n  of which the guild's id and settings: %d%n"
                        + "  of which the cache's own overhead: %d%n",
                footprint.guilds(),
                footprint.storeBytesPerGuild(),
                footprint.guildDataBytesPerGuild(),
                footprint.overheadPerGuild());
    }
}
