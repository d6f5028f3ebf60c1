package dev.configstore.micrometer;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.jdbc.ConfigStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a whole {@link ConfigStore} to a {@link MeterRegistry}: every cache it has built and every
 * cache it builds later (the guild settings' cache, one per key-value namespace, two per declared
 * settings), its change feed, and its connection pool. One call covers the store:
 *
 * <pre>{@code
 * new ConfigStoreMetrics(store).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter is tagged {@code store=<the store's name>} ({@link ConfigStore#name()}: the SQLite
 * file's name, the PostgreSQL schema, the MariaDB database), plus any extra tags given. Each
 * cache's meters are those of {@link StoreMetrics}, tagged {@code cache=<the cache's name>} too;
 * two caches of one name (the settings of two schemas) are told apart by {@code #2}, {@code #3},
 * in the order they were built. The pool's meters are HikariCP's own ({@code hikaricp.connections},
 * {@code hikaricp.connections.pending}, …, tagged {@code pool=<the pool's name>}). Counters read
 * the store's statistics when the registry is scraped; the delay timer records each change made
 * elsewhere as the feed applies it.
 *
 * <table>
 *   <caption>Change-feed meters</caption>
 *   <tr><th>meter</th><th>type</th><th>measures</th></tr>
 *   <tr><td>{@code configstore.changefeed.entries}</td><td>counter</td><td>entries read from the
 *       change log</td></tr>
 *   <tr><td>{@code configstore.changefeed.changes{origin=external}}</td><td>counter</td><td>changes
 *       made elsewhere, applied by dropping the cached keys</td></tr>
 *   <tr><td>{@code configstore.changefeed.changes{origin=own}}</td><td>counter</td><td>this
 *       process's own changes, skipped (already applied when the write returned)</td></tr>
 *   <tr><td>{@code configstore.changefeed.gaps}</td><td>counter</td><td>times entries were missing,
 *       so every cache was dropped</td></tr>
 *   <tr><td>{@code configstore.changefeed.errors}</td><td>counter</td><td>failed reads of the change
 *       log</td></tr>
 *   <tr><td>{@code configstore.changefeed.reconnects}</td><td>counter</td><td>times the feed opened
 *       its connection again after losing it</td></tr>
 *   <tr><td>{@code configstore.changefeed.cache.clears}</td><td>counter</td><td>cache clears
 *       applied ({@code ConfigStore.clearCaches}), asked by this process or another one</td></tr>
 *   <tr><td>{@code configstore.changefeed.delay}</td><td>timer</td><td>from a change made elsewhere
 *       (by the change log's time) to its invalidation in every cache; with a percentile
 *       histogram</td></tr>
 * </table>
 *
 * <p>HikariCP takes one metrics tracker per pool, so a store is bound to one registry; to publish
 * to several, bind it to a {@code CompositeMeterRegistry}.
 */
public final class ConfigStoreMetrics implements MeterBinder {

    private final ConfigStore store;
    private final Tags tags;

    /**
     * Prepares meters for a store, tagged with its name.
     *
     * @param store the store to measure
     * @throws IllegalArgumentException if {@code store} is null
     */
    public ConfigStoreMetrics(ConfigStore store) {
        this(store, Tags.empty());
    }

    /**
     * Prepares meters for a store, tagged with its name and the given tags.
     *
     * @param store the store to measure
     * @param extraTags more tags for every meter, such as the application's name
     * @throws IllegalArgumentException if {@code store} or {@code extraTags} is null
     */
    public ConfigStoreMetrics(ConfigStore store, Iterable<Tag> extraTags) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        if (extraTags == null) {
            throw new IllegalArgumentException("extraTags must not be null");
        }
        this.store = store;
        this.tags = Tags.of(extraTags).and("store", store.name());
    }

    /**
     * Registers the store's meters, and from now on those of each cache the store builds.
     *
     * @param registry where the meters go
     * @throws IllegalStateException if the store's connection pool already reports to a metrics
     *     tracker (the store was bound before); nothing is registered then
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        // First: HikariCP refuses a second tracker, and then nothing else may be registered.
        store.trackPoolMetrics(new MicrometerMetricsTrackerFactory(registry));
        feedCounter(
                registry,
                "configstore.changefeed.entries",
                "Entries read from the change log",
                stats -> stats.changesRead());
        feedCounter(
                registry,
                "configstore.changefeed.changes",
                "Changes read from the change log: made elsewhere and applied, or this process's own and skipped",
                ChangeFeedStats::externalChangesApplied,
                "origin",
                "external");
        feedCounter(
                registry,
                "configstore.changefeed.changes",
                "Changes read from the change log: made elsewhere and applied, or this process's own and skipped",
                ChangeFeedStats::ownChangesSkipped,
                "origin",
                "own");
        feedCounter(
                registry,
                "configstore.changefeed.gaps",
                "Times change-log entries were missing, so every cache was dropped",
                ChangeFeedStats::gaps);
        feedCounter(
                registry, "configstore.changefeed.errors", "Failed reads of the change log", ChangeFeedStats::errors);
        feedCounter(
                registry,
                "configstore.changefeed.reconnects",
                "Times the change feed opened its connection again after losing it",
                ChangeFeedStats::reconnects);
        feedCounter(
                registry,
                "configstore.changefeed.cache.clears",
                "Cache clears applied, asked by this process or another one on the database",
                ChangeFeedStats::cacheClears);
        Timer delay = Timer.builder("configstore.changefeed.delay")
                .description("Time from a change made elsewhere to its invalidation in every cache")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        store.watchChangeDelays(delay::record);
        Map<String, Integer> names = new HashMap<>();
        store.watchCaches(cache -> bindCache(registry, cache, names));
    }

    private void bindCache(MeterRegistry registry, CachedKeyValueStore<?, ?> cache, Map<String, Integer> names) {
        String name;
        synchronized (names) {
            int seen = names.merge(cache.name(), 1, Integer::sum);
            name = seen == 1 ? cache.name() : cache.name() + " #" + seen;
        }
        StoreMetrics.withTags(cache, tags.and("cache", name)).bindTo(registry);
    }

    private void feedCounter(
            MeterRegistry registry,
            String name,
            String description,
            ToDoubleFunction<ChangeFeedStats> count,
            String... extraTags) {
        FunctionCounter.builder(name, store, s -> count.applyAsDouble(s.changeFeedStats()))
                .description(description)
                .tags(tags.and(extraTags))
                .register(registry);
    }
}
