package dev.configstore.micrometer;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a store's {@link StoreStats} to a {@link MeterRegistry}. Every meter is tagged {@code
 * store=<the store's name>} and {@code cache=<the store's name>} (plus any extra tags given), the
 * same tags {@link ConfigStoreMetrics} gives each cache of a {@code ConfigStore}, and reads the
 * store's counters when the registry is scraped; binding adds no cost to the store's reads and
 * writes.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>counts</th></tr>
 *   <tr><td>{@code configstore.gets{result=hit|miss}}</td><td>counter</td><td>reads answered from the
 *       cache, and reads that had to wait for the backend</td></tr>
 *   <tr><td>{@code configstore.loads{result=success|failure}}</td><td>counter</td><td>backend reads</td></tr>
 *   <tr><td>{@code configstore.writes{result=success|failure}}</td><td>counter</td><td>writes, and
 *       writes or transactions that failed</td></tr>
 *   <tr><td>{@code configstore.invalidations}</td><td>counter</td><td>cached entries dropped for a key</td></tr>
 *   <tr><td>{@code configstore.stale.installs.refused}</td><td>counter</td><td>values not cached because
 *       their key changed while they were in flight</td></tr>
 *   <tr><td>{@code configstore.stale.serves}</td><td>counter</td><td>expired values served because a
 *       backend read failed</td></tr>
 *   <tr><td>{@code configstore.external.changes}</td><td>counter</td><td>changes by other writers
 *       reported by the backend</td></tr>
 *   <tr><td>{@code configstore.feed.gaps}</td><td>counter</td><td>times the backend reported that
 *       anything may have changed, dropping the whole cache</td></tr>
 *   <tr><td>{@code configstore.hit.ratio}</td><td>gauge</td><td>hits divided by gets since start</td></tr>
 * </table>
 *
 * <pre>{@code
 * new StoreMetrics(store).bindTo(registry);
 * }</pre>
 */
public final class StoreMetrics implements MeterBinder {

    private final CachedKeyValueStore<?, ?> store;
    private final Tags tags;

    /**
     * Prepares meters for a store, tagged with its name.
     *
     * @param store the store to measure
     * @throws IllegalArgumentException if {@code store} is null
     */
    public StoreMetrics(CachedKeyValueStore<?, ?> store) {
        this(store, Tags.empty());
    }

    /**
     * Prepares meters for a store, tagged with its name and the given tags.
     *
     * @param store the store to measure
     * @param extraTags more tags for every meter, such as the application's name
     * @throws IllegalArgumentException if {@code store} or {@code extraTags} is null
     */
    public StoreMetrics(CachedKeyValueStore<?, ?> store, Iterable<Tag> extraTags) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        if (extraTags == null) {
            throw new IllegalArgumentException("extraTags must not be null");
        }
        this.store = store;
        this.tags = Tags.of(extraTags).and("store", store.name()).and("cache", store.name());
    }

    private StoreMetrics(Tags tags, CachedKeyValueStore<?, ?> store) {
        this.store = store;
        this.tags = tags;
    }

    /** Meters of one cache of a ConfigStore, with exactly the tags {@link ConfigStoreMetrics} chose. */
    static StoreMetrics withTags(CachedKeyValueStore<?, ?> store, Tags tags) {
        return new StoreMetrics(tags, store);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        counter(registry, "configstore.gets", "Reads of the store", StoreStats::hits, "result", "hit");
        counter(registry, "configstore.gets", "Reads of the store", StoreStats::misses, "result", "miss");
        counter(registry, "configstore.loads", "Backend reads", StoreStats::loads, "result", "success");
        counter(registry, "configstore.loads", "Backend reads", StoreStats::loadFailures, "result", "failure");
        counter(registry, "configstore.writes", "Writes through the store", StoreStats::writes, "result", "success");
        counter(
                registry,
                "configstore.writes",
                "Writes through the store",
                StoreStats::writeFailures,
                "result",
                "failure");
        counter(registry, "configstore.invalidations", "Cached entries dropped", StoreStats::invalidations);
        counter(
                registry,
                "configstore.stale.installs.refused",
                "Values not cached because their key changed meanwhile",
                StoreStats::staleInstallsRefused);
        counter(
                registry,
                "configstore.stale.serves",
                "Expired values served because a backend read failed",
                StoreStats::staleServes);
        counter(
                registry,
                "configstore.external.changes",
                "Changes by other writers applied to the cache",
                StoreStats::externalChangesApplied);
        counter(
                registry,
                "configstore.feed.gaps",
                "Times the whole cache was dropped because any key may have changed",
                StoreStats::externalFullInvalidations);
        Gauge.builder("configstore.hit.ratio", store, s -> s.stats().hitRate())
                .description("Share of reads answered from the cache since the store was built")
                .tags(tags)
                .register(registry);
    }

    private void counter(
            MeterRegistry registry,
            String name,
            String description,
            ToDoubleFunction<StoreStats> count,
            String... extraTags) {
        FunctionCounter.builder(name, store, s -> count.applyAsDouble(s.stats()))
                .description(description)
                .tags(tags.and(extraTags))
                .register(registry);
    }
}
