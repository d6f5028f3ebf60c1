package dev.configstore.benchmarks;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.Versioned;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
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
    record Footprint(int guilds, long storeBytesPerGuild, long guildDataBytesPerGuild, List<ClassShare> byClass) {
        long overheadPerGuild() {
            return storeBytesPerGuild - guildDataBytesPerGuild;
        }
    }

    /** What the cached guilds added of one class, per guild: objects and bytes. */
    record ClassShare(String className, double objectsPerGuild, double bytesPerGuild) {}

    static Footprint measure(int guilds) {
        GuildConfig config = GuildConfig.builder(new GeneratedSettings())
                .cache(cache -> cache.expireAfterWrite(Duration.ofHours(1)).maximumSize(guilds * 2L))
                .build();
        CachedKeyValueStore<String, GuildSettings> store = config.store();
        String[] ids = new String[guilds];
        for (int i = 0; i < guilds; i++) {
            ids[i] = Long.toString(100_000_000_000_000_000L + i);
        }
        // The ids exist before and after: the caller holds them either way, and only what the
        // cache adds for them is counted.
        GraphLayout emptyLayout = GraphLayout.parseInstance(store, ids);
        long empty = emptyLayout.totalSize();
        List<Object> guildData = new ArrayList<>();
        for (String id : ids) {
            config.flaggerStore().getFlaggerConfig(id);
            GuildSettings row = store.get(id).orElseThrow();
            // The row's own values, without what the facades resolved from it and keep beside
            // it (that is the cache's, and reaches the whole store).
            guildData.add(new GuildSettings(row.loggingChannelId(), row.flagsChannelId(), row.silentFirstMsgDays()));
        }
        GraphLayout fullLayout = GraphLayout.parseInstance(store, ids);
        long full = fullLayout.totalSize();
        // Each array is passed as one root, then an empty array of its length is taken away: what
        // is left is what its elements hold.
        long settings = GraphLayout.parseInstance((Object) guildData.toArray()).totalSize()
                - GraphLayout.parseInstance((Object) new Object[guildData.size()])
                        .totalSize();
        long keys = GraphLayout.parseInstance((Object) ids).totalSize()
                - GraphLayout.parseInstance((Object) new Object[ids.length]).totalSize();
        return new Footprint(
                guilds,
                Math.round((double) (full - empty + keys) / guilds),
                Math.round((double) (settings + keys) / guilds),
                byClass(emptyLayout, fullLayout, guilds));
    }

    /**
     * Per class, what the full cache holds beyond the empty one. Compared by class, not by
     * object: a collection between the two snapshots moves objects but does not change the counts.
     */
    private static List<ClassShare> byClass(GraphLayout empty, GraphLayout full, int guilds) {
        List<ClassShare> shares = new ArrayList<>();
        for (Class<?> type : full.getClasses()) {
            long bytes =
                    full.getClassSizes().count(type) - empty.getClassSizes().count(type);
            long objects =
                    full.getClassCounts().count(type) - empty.getClassCounts().count(type);
            if (Math.abs((double) bytes / guilds) >= 0.05) {
                shares.add(new ClassShare(type.getName(), (double) objects / guilds, (double) bytes / guilds));
            }
        }
        shares.sort(Comparator.comparingDouble(ClassShare::bytesPerGuild).reversed());
        return shares;
    }

    /**
     * A backend that keeps nothing: every guild has a logging channel and a silent-days setting,
     * made up from its id when read, so that the store's graph holds only what the cache keeps.
     */
    private static final class GeneratedSettings implements GuildSettingsBackend {
        @Override
        public Optional<Versioned<GuildSettings>> read(String guildId) {
            String channel = Long.toString(Long.parseLong(guildId) + 800_000_000_000_000_000L);
            return Optional.of(
                    new Versioned<>(new GuildSettings(Optional.of(channel), Optional.empty(), OptionalInt.of(30)), 1));
        }

        @Override
        public long write(String key, GuildSettings value) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long delete(String key) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
            return work.apply(this);
        }
    }

    static void print(PrintStream out, Footprint footprint) {
        out.printf(
                "guilds cached: %d%nbytes per cached guild: %d%n  of which the guild's id and settings: %d%n"
                        + "  of which the cache's own overhead: %d%n",
                footprint.guilds(),
                footprint.storeBytesPerGuild(),
                footprint.guildDataBytesPerGuild(),
                footprint.overheadPerGuild());
        out.printf("added per cached guild, by class (the id itself is the caller's and not counted):%n");
        for (ClassShare share : footprint.byClass()) {
            out.printf(
                    Locale.ROOT,
                    "  %7.1f B  %5.2f objects  %s%n",
                    share.bytesPerGuild(),
                    share.objectsPerGuild(),
                    share.className());
        }
    }
}
