package dev.configstore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.configstore.internal.Arguments;
import dev.configstore.internal.CachedReads;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process cache in front of a durable {@link Backend}, which stays the source of truth.
 *
 * <p><b>The guarantee.</b> Once {@link #put} or {@link #remove} has returned, no {@link #get} on
 * this store serves the value it replaced. In detail:
 *
 * <ul>
 *   <li>A write is made durable in the backend first; only then is the cached entry dropped (or,
 *       under {@link WritePolicy#WRITE_THROUGH}, replaced).
 *   <li>A failed write changes nothing: the backend and the cache keep what they had, and the
 *       caller gets a {@link StoreException} saying why.
 *   <li>A key or value the backend cannot store (it throws {@link IllegalArgumentException}
 *       before touching its storage) reaches the caller as that exception, unchanged; nothing is
 *       written, cached or dropped from the cache.
 *   <li>A value read from the backend while a write, an {@link #invalidate} or an {@link
 *       #invalidateAll} was under way is returned to its reader but never cached past it.
 *   <li>Under write-through, a written value only replaces an entry with an older version, so the
 *       loser of two racing writes is never left cached.
 *   <li>Absence is cached like a value. A failed read is never cached.
 *   <li>Every {@code get} returns the value of the last write that completed before it began, or
 *       of a write concurrent with it: the store is linearizable within one process.
 *   <li>Changes made by other processes are seen as soon as the backend reports them (see {@link
 *       Backend#subscribe}), and in any case once the entry expires.
 * </ul>
 *
 * <p>Values must be immutable (records of immutable fields, {@code String}, boxed numbers):
 * the store hands out the cached instance itself, so a caller that mutated it would change what
 * other callers see.
 *
 * <p>Instances are safe for use by many threads. Build one per backend with {@link
 * #builder(Backend)}, share it, and {@link #close()} it when done.
 *
 * @param <K> the key type; keys must implement {@code equals} and {@code hashCode}
 * @param <V> the value type; values must be immutable
 */
public final class CachedKeyValueStore<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.cache");
    private static final AtomicInteger unnamedStores = new AtomicInteger();

    static {
        CachedReads.install(new CachedReads.Reader() {
            @Override
            @SuppressWarnings("NullableOptional") // null: not cached; empty: cached absence
            public <K, V> @Nullable Optional<V> cached(CachedKeyValueStore<K, V> store, K key) {
                return store.cachedOrNull(key);
            }
        });
    }

    private final String name;
    private final Backend<K, V> backend;
    private final WritePolicy writePolicy;
    private final Ticker ticker;
    private final long expireNanos;
    private final long staleNanos;
    private final Consumer<? super K> keyCheck;
    private final Cache<K, CacheEntry<V>> cache;
    private final ConcurrentMap<K, CacheEntry<V>> entries;
    private final ConcurrentHashMap<K, KeyGuard<V>> guards = new ConcurrentHashMap<>();

    /**
     * Installs hold the read lock while they check the generation and put their entry;
     * {@link #invalidateAll} takes the write lock to advance it. An install either completes
     * before the advance, and is then removed by the clear that follows, or sees the new
     * generation and gives up.
     */
    private final ReentrantReadWriteLock generationLock = new ReentrantReadWriteLock();

    private final AtomicLong generation = new AtomicLong();
    private final StatsCounter stats = new StatsCounter();
    private final AtomicBoolean servingStale = new AtomicBoolean();
    private volatile ChangeSubscription subscription = ChangeSubscription.NONE;
    private volatile boolean closed;

    private CachedKeyValueStore(Builder<K, V> builder) {
        this.name = builder.name != null ? builder.name : "configstore-" + unnamedStores.incrementAndGet();
        this.backend = builder.backend;
        this.writePolicy = builder.writePolicy;
        this.ticker = builder.ticker;
        this.expireNanos = builder.expireNanos;
        this.staleNanos = builder.staleNanos;
        this.keyCheck = builder.keyCheck;
        // No Caffeine expiry: each entry carries the time it was cached and every read checks it,
        // which is exact (Caffeine tolerates up to a second of drift when an entry is replaced)
        // and cheaper than having Caffeine track expiry as well. Expired entries stay until they
        // are read again, replaced or evicted by size, so memory stays bounded by maximumSize.
        // The cache's upkeep (the size bound's bookkeeping after writes) runs on the calling thread
        // unless an executor is given: a config cache sees few writes, and handing each one to a
        // pool thread cost more than the upkeep itself (a thread wake-up per miss).
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .executor(builder.executor)
                .build();
        this.entries = cache.asMap();
    }

    /**
     * Starts building a store in front of {@code backend}.
     *
     * @param backend the source of truth
     * @param <K> the key type
     * @param <V> the value type
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code backend} is null
     */
    public static <K, V> Builder<K, V> builder(Backend<K, V> backend) {
        return new Builder<>(Arguments.notNull(backend, "backend"));
    }

    /**
     * Returns the value of {@code key}: from the cache if it holds an unexpired entry, otherwise
     * from the backend, caching what it read (including absence) unless the key was changed or
     * invalidated meanwhile. Concurrent misses on one key share a single backend read.
     *
     * @param key the key
     * @return the value, or empty if the key has none
     * @throws StoreException if the backend read failed (and no stale value may be served)
     * @throws IllegalArgumentException if the key check or the backend refuses {@code key}
     * @throws IllegalStateException if the store is closed
     */
    public Optional<V> get(K key) {
        requireKey(key);
        ensureOpen();
        CacheEntry<V> entry = cache.getIfPresent(key);
        if (entry != null && isFresh(entry)) {
            stats.hits.increment();
            return entry.value;
        }
        // Checked only here: a key found in the cache was checked when its value was read.
        keyCheck.accept(key);
        stats.misses.increment();
        return load(key);
    }

    /**
     * Returns the value of {@code key} without blocking the caller on a miss: the {@link #get}
     * of an event loop (Reactor's {@code Mono.fromFuture}, JDA's callbacks). On a cache hit the
     * returned future is already complete, made on the caller's thread, and nothing else is
     * allocated; on a miss the backend is read on {@code executor}, with every guarantee of {@link
     * #get} (a read racing a write never caches the old value, a failed read is never cached,
     * concurrent misses on one key share one backend read).
     *
     * <p>The future completes with the value, or exceptionally with what {@link #get} would throw
     * ({@link StoreException} if the backend read failed, {@link IllegalStateException} if the store
     * was closed meanwhile) or with the {@link java.util.concurrent.RejectedExecutionException}
     * of an executor that refused the read. Completing or cancelling the future yourself does not
     * stop the read or change what is cached.
     *
     * @param key the key
     * @param executor where a miss reads the backend, such as a bounded pool for blocking work
     *     (never the event loop itself)
     * @return the value, or empty if the key has none
     * @throws IllegalArgumentException if the key check refuses {@code key} (only checked on a
     *     miss, as by {@link #get}), or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    public CompletableFuture<Optional<V>> getAsync(K key, Executor executor) {
        Arguments.notNull(executor, "executor");
        Optional<V> cached = cachedOrNull(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        keyCheck.accept(key);
        stats.misses.increment();
        CompletableFuture<Optional<V>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(getAfterMiss(key));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Returns the values of several keys without blocking the caller on a miss: complete at once if
     * every key is cached, otherwise read on {@code executor} as {@link #getAll} would.
     *
     * @param keys the keys
     * @param executor where the reads run if any key is not cached
     * @return an unmodifiable map, in the iteration order of {@code keys}, of the keys that have a
     *     value
     * @throws IllegalArgumentException if {@code keys} or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    public CompletableFuture<Map<K, V>> getAllAsync(Collection<? extends K> keys, Executor executor) {
        Arguments.notNull(keys, "keys");
        Arguments.notNull(executor, "executor");
        ensureOpen();
        Map<K, V> found = new LinkedHashMap<>();
        int hits = 0;
        boolean allCached = true;
        for (K key : keys) {
            requireKey(key);
            CacheEntry<V> entry = cache.getIfPresent(key);
            if (entry == null || !isFresh(entry)) {
                allCached = false;
                break;
            }
            hits++;
            entry.value.ifPresent(value -> found.putIfAbsent(key, value));
        }
        if (allCached) {
            stats.hits.add(hits);
            return CompletableFuture.completedFuture(Collections.unmodifiableMap(found));
        }
        CompletableFuture<Map<K, V>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(getAll(keys));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Returns the cached value of {@code key} if the cache holds a fresh entry, counted as a hit;
     * otherwise null, counting nothing. Reads nothing from the backend.
     */
    @SuppressWarnings("NullableOptional") // null: not cached; empty: cached absence
    private @Nullable Optional<V> cachedOrNull(K key) {
        requireKey(key);
        ensureOpen();
        CacheEntry<V> entry = cache.getIfPresent(key);
        if (entry != null && isFresh(entry)) {
            stats.hits.increment();
            return entry.value;
        }
        return null;
    }

    /**
     * The read of an asynchronous miss, on the executor: the entry may have been cached since, by
     * a load that began after this read did, which makes it a value this read may return.
     */
    private Optional<V> getAfterMiss(K key) {
        ensureOpen();
        CacheEntry<V> entry = cache.getIfPresent(key);
        if (entry != null && isFresh(entry)) {
            return entry.value;
        }
        return load(key);
    }

    /**
     * Returns the values of several keys, as {@link #get} would one by one. Keys without a value
     * are left out. The result is not a snapshot: each key is read on its own.
     *
     * @param keys the keys
     * @return an unmodifiable map, in the iteration order of {@code keys}, of the keys that have a
     *     value
     * @throws StoreException if a backend read failed
     * @throws IllegalStateException if the store is closed
     */
    public Map<K, V> getAll(Collection<? extends K> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        Map<K, V> found = new LinkedHashMap<>();
        for (K key : keys) {
            if (!found.containsKey(key)) {
                get(key).ifPresent(value -> found.put(key, value));
            }
        }
        return Collections.unmodifiableMap(found);
    }

    /**
     * Durably sets the value of {@code key}, then drops (or, under write-through, replaces) the
     * cached entry. When this returns, every {@code get} that starts afterwards sees {@code value}
     * or a later change.
     *
     * @param key the key
     * @param value the new value; must be immutable
     * @throws StoreException if the backend write failed; nothing was changed
     * @throws IllegalArgumentException if the key check or the backend refuses {@code key} or
     *     {@code value}; nothing was changed
     * @throws IllegalStateException if the store is closed
     */
    public void put(K key, V value) {
        requireKey(key);
        keyCheck.accept(key);
        Objects.requireNonNull(value, "value must not be null; use remove(key) to clear a key");
        ensureOpen();
        write(key, Optional.of(value), true, () -> backend.write(key, value), "put");
    }

    /**
     * Durably removes the value of {@code key}, then drops (or, under write-through, replaces with
     * absence) the cached entry.
     *
     * @param key the key
     * @throws StoreException if the backend write failed; nothing was changed
     * @throws IllegalArgumentException if the key check or the backend refuses {@code key};
     *     nothing was changed
     * @throws IllegalStateException if the store is closed
     */
    public void remove(K key) {
        requireKey(key);
        keyCheck.accept(key);
        ensureOpen();
        write(key, Optional.empty(), true, () -> backend.delete(key), "remove");
    }

    /**
     * Makes a change to the value of {@code key} that only the backend can express, such as
     * setting one column of a stored row while leaving the others alone, with the guarantees of
     * {@link #put}: the change is made durable first, then the cached entry is dropped, and a
     * read racing the change never leaves the old value cached. The entry is dropped whatever the
     * write policy, since the store does not know the resulting value.
     *
     * <p>{@code change} must change only {@code key}, in this store's backend, and follow the
     * backend rules of {@link BackendOperations}: return the change's version, throw {@link
     * StoreException} only if nothing was changed.
     *
     * @param key the key whose value the change affects
     * @param change makes the change durable and returns its version
     * @throws StoreException if the change failed; nothing was changed
     * @throws IllegalStateException if the store is closed
     */
    public void update(K key, LongSupplier change) {
        requireKey(key);
        keyCheck.accept(key);
        Objects.requireNonNull(change, "change must not be null");
        ensureOpen();
        write(key, Optional.empty(), false, change, "update");
    }

    /**
     * Runs {@code work} in one backend transaction. Cached entries of the keys it changed are
     * dropped only once the transaction has committed (whatever the write policy), and not at all
     * if it rolled back; a read racing the transaction never leaves a pre-commit value cached.
     *
     * <p>Use only the given {@link Transaction} inside {@code work}: calling this store's own
     * methods there would act outside the transaction.
     *
     * @param work the reads and writes to run together
     * @param <T> what {@code work} returns
     * @return what {@code work} returned, once committed
     * @throws StoreException if the transaction could not run or did not commit; nothing was
     *     changed
     * @throws IllegalStateException if the store is closed
     */
    public <T> T inTransaction(Function<? super Transaction<K, V>, ? extends T> work) {
        Objects.requireNonNull(work, "work must not be null");
        ensureOpen();
        StoreTransaction transaction = new StoreTransaction();
        T result;
        try {
            result = backend.inTransaction(operations -> transaction.run(operations, work));
        } catch (StoreException e) {
            stats.writeFailures.increment();
            log.warn("{}: transaction failed, nothing changed: {}", name, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            if (!transaction.workCompleted) {
                throw e; // thrown by the work itself: the backend rolled back
            }
            stats.writeFailures.increment();
            for (K key : transaction.touched) {
                invalidateKey(key);
            }
            throw outcomeUnknown("transaction", "keys " + transaction.touched, e);
        }
        stats.writes.add(transaction.touched.size());
        for (K key : transaction.touched) {
            invalidateKey(key);
        }
        return result;
    }

    /**
     * Drops the cached entry of {@code key}, in this store only; the backend is not touched. A
     * read of the key already under way will not cache what it read.
     *
     * @param key the key
     */
    public void invalidate(K key) {
        requireKey(key);
        invalidateKey(key);
        log.debug("{}: invalidated key {}", name, key);
    }

    /**
     * Drops every cached entry, in this store only; the backend is not touched. No read under way
     * when this is called will cache what it read.
     */
    public void invalidateAll() {
        generationLock.writeLock().lock();
        try {
            generation.incrementAndGet();
        } finally {
            generationLock.writeLock().unlock();
        }
        cache.invalidateAll();
        log.debug("{}: invalidated all keys", name);
    }

    /**
     * Returns what this store has done since it was built.
     *
     * @return a snapshot of the counters
     */
    public StoreStats stats() {
        return stats.snapshot();
    }

    /**
     * Returns the store's name, as given to {@link Builder#name} or generated; log messages start
     * with it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Stops following the backend's change feed and drops the cache. Every later operation throws
     * {@link IllegalStateException}. The backend is not closed: it belongs to whoever created it.
     * Calling this again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.cancel();
        invalidateAll();
        log.debug("{}: closed", name);
    }

    @Override
    public String toString() {
        return "CachedKeyValueStore[" + name + ", " + writePolicy + ", " + cache.estimatedSize() + " cached]";
    }

    private void subscribeToChanges() {
        subscription = backend.subscribe(new ExternalChanges());
    }

    private boolean isFresh(CacheEntry<V> entry) {
        return entry.ageNanos(ticker.read()) < expireNanos;
    }

    private Optional<V> load(K key) {
        LoadTicket<V> ticket = registerLoad(key);
        try {
            return ticket.owner ? readAndInstall(key, ticket) : awaitSharedLoad(key, ticket);
        } finally {
            unregister(key, ticket.guard);
        }
    }

    private LoadTicket<V> registerLoad(K key) {
        LoadTicket<V> ticket = new LoadTicket<>();
        guards.compute(key, (k, existing) -> {
            KeyGuard<V> guard = existing != null ? existing : new KeyGuard<>();
            guard.holders++;
            long invalidations = guard.invalidations.get();
            long currentGeneration = generation.get();
            KeyGuard.Load<V> inFlight = guard.load;
            if (inFlight != null
                    && inFlight.invalidationsAtStart == invalidations
                    && inFlight.generationAtStart == currentGeneration) {
                ticket.load = inFlight;
            } else {
                ticket.load = new KeyGuard.Load<>(invalidations, currentGeneration);
                ticket.owner = true;
                guard.load = ticket.load;
            }
            ticket.guard = guard;
            return guard;
        });
        return ticket;
    }

    private Optional<V> readAndInstall(K key, LoadTicket<V> ticket) {
        KeyGuard.Load<V> load = ticket.requireLoad();
        try {
            Optional<Versioned<V>> read;
            try {
                read = backend.read(key);
            } catch (IllegalArgumentException e) {
                // The backend refused the key before reading: not a failed read, and no reason to
                // serve a stale value.
                finishLoad(key, ticket, null, e);
                throw e;
            } catch (RuntimeException e) {
                StoreException failure = readFailure(key, e);
                stats.loadFailures.increment();
                finishLoad(key, ticket, null, failure);
                return staleOrThrow(key, failure);
            }
            stats.loads.increment();
            CacheEntry<V> loaded = CacheEntry.read(read, ticker.read());
            installLoaded(key, ticket.requireGuard(), load, loaded);
            if (servingStale.get()) {
                servingStale.set(false);
                log.info("{}: backend reads succeed again; no longer serving stale values", name);
            }
            finishLoad(key, ticket, loaded, null);
            return loaded.value;
        } catch (RuntimeException | Error e) {
            // Never leave readers that joined this load waiting.
            if (!load.result.isDone()) {
                finishLoad(key, ticket, null, e);
            }
            throw e;
        }
    }

    private void finishLoad(K key, LoadTicket<V> ticket, @Nullable CacheEntry<V> loaded, @Nullable Throwable failure) {
        KeyGuard.Load<V> load = ticket.requireLoad();
        // Stop new readers from joining before publishing the outcome, so that nobody who
        // starts after a failure is handed that failure instead of trying the backend again.
        guards.computeIfPresent(key, (k, guard) -> {
            if (guard.load == load) {
                guard.load = null;
            }
            return guard;
        });
        if (loaded != null) {
            load.result.complete(loaded);
        } else {
            load.result.completeExceptionally(Objects.requireNonNull(failure));
        }
    }

    private Optional<V> awaitSharedLoad(K key, LoadTicket<V> ticket) {
        try {
            return ticket.requireLoad().result.join().value;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException storeFailure) {
                return staleOrThrow(key, storeFailure);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void installLoaded(K key, KeyGuard<V> guard, KeyGuard.Load<V> load, CacheEntry<V> loaded) {
        generationLock.readLock().lock();
        try {
            entries.compute(key, (k, current) -> {
                if (guard.invalidations.get() != load.invalidationsAtStart
                        || generation.get() != load.generationAtStart) {
                    stats.staleInstallsRefused.increment();
                    log.debug("{}: key {} changed while it was being read; not caching what was read", name, key);
                    // The caller is still handed what this load read, which can be newer than what
                    // a later load cached (or is about to cache) if another process committed in
                    // between. So that no later read of this process goes back to an older value,
                    // loads in flight may not install, and a different cached entry is dropped: the
                    // next read goes to the backend.
                    guard.invalidations.incrementAndGet();
                    if (current != null && (current.version != loaded.version || !current.value.equals(loaded.value))) {
                        return null;
                    }
                    return current;
                }
                // Undisturbed, the load began after every write that has installed an entry for
                // this key, so what it read is at least as new as anything cached (even when it
                // read an absence, whose version the backend does not report).
                return loaded;
            });
        } finally {
            generationLock.readLock().unlock();
        }
    }

    private Optional<V> staleOrThrow(K key, StoreException failure) {
        if (staleNanos > 0) {
            // Invalidated entries are gone from the cache, so they are never served.
            CacheEntry<V> previous = cache.getIfPresent(key);
            if (previous != null && previous.ageNanos(ticker.read()) < expireNanos + staleNanos) {
                stats.staleServes.increment();
                if (servingStale.compareAndSet(false, true)) {
                    log.warn(
                            "{}: backend read failed, serving cached values up to {} past their expiry until reads"
                                    + " succeed again (first key: {}, value {} old): {}",
                            name,
                            Duration.ofNanos(staleNanos),
                            key,
                            Duration.ofNanos(previous.ageNanos(ticker.read())),
                            failure.getMessage());
                } else {
                    log.debug("{}: serving stale value of key {}: {}", name, key, failure.getMessage());
                }
                return previous.value;
            }
        }
        throw failure;
    }

    private void write(K key, Optional<V> newValue, boolean newValueKnown, LongSupplier change, String operation) {
        KeyGuard<V> guard = registerWrite(key);
        try {
            long invalidationsAtStart = guard.invalidations.get();
            long generationAtStart = generation.get();
            long version;
            try {
                version = change.getAsLong();
            } catch (StoreException e) {
                stats.writeFailures.increment();
                log.warn("{}: {} of key {} failed, nothing changed: {}", name, operation, key, e.getMessage());
                throw e;
            } catch (IllegalArgumentException e) {
                // Refused by the backend before anything was written: the cache stays as it is.
                log.debug("{}: {} of key {} refused, nothing changed: {}", name, operation, key, e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                stats.writeFailures.increment();
                invalidateKey(key);
                throw outcomeUnknown(operation, "key " + key, e);
            }
            stats.writes.increment();
            applyWrite(key, guard, invalidationsAtStart, generationAtStart, newValue, newValueKnown, version);
            log.debug("{}: {} of key {} committed as version {}", name, operation, key, version);
        } finally {
            unregister(key, guard);
        }
    }

    private KeyGuard<V> registerWrite(K key) {
        return guards.compute(key, (k, existing) -> {
            KeyGuard<V> guard = existing != null ? existing : new KeyGuard<>();
            guard.holders++;
            return guard;
        });
    }

    private void applyWrite(
            K key,
            KeyGuard<V> guard,
            long invalidationsAtStart,
            long generationAtStart,
            Optional<V> newValue,
            boolean newValueKnown,
            long version) {
        generationLock.readLock().lock();
        try {
            entries.compute(key, (k, current) -> {
                boolean undisturbed =
                        guard.invalidations.get() == invalidationsAtStart && generation.get() == generationAtStart;
                // Every load or write that began before this commit may hold an older value.
                guard.invalidations.incrementAndGet();
                stats.invalidations.increment();
                if (writePolicy == WritePolicy.INVALIDATE || !newValueKnown) {
                    return null;
                }
                if (current != null && current.version > version) {
                    return current; // a newer write is already cached
                }
                if (undisturbed) {
                    return CacheEntry.written(newValue, version, ticker.read());
                }
                stats.staleInstallsRefused.increment();
                return null;
            });
        } finally {
            generationLock.readLock().unlock();
        }
    }

    private void invalidateKey(K key) {
        entries.compute(key, (k, current) -> {
            KeyGuard<V> guard = guards.get(k);
            if (guard != null) {
                guard.invalidations.incrementAndGet();
            }
            return null;
        });
        stats.invalidations.increment();
    }

    private void unregister(K key, @Nullable KeyGuard<V> guard) {
        guards.computeIfPresent(key, (k, current) -> {
            if (current != guard) {
                return current;
            }
            current.holders--;
            return current.holders == 0 ? null : current;
        });
    }

    private StoreException readFailure(K key, RuntimeException e) {
        if (e instanceof StoreException storeFailure) {
            log.debug("{}: read of key {} failed: {}", name, key, e.getMessage());
            return storeFailure;
        }
        return new StoreException(
                StoreException.Reason.UNKNOWN,
                name + ": reading key " + key + " failed unexpectedly (" + e
                        + "). Nothing was cached; the next read will try the backend again.",
                e);
    }

    private StoreException outcomeUnknown(String operation, String keys, RuntimeException e) {
        log.warn(
                "{}: {} of {} failed and may or may not have been applied; dropped their cached values",
                name,
                operation,
                keys,
                e);
        return new StoreException(
                StoreException.Reason.UNKNOWN,
                name + ": " + operation + " of " + keys + " may or may not have been applied: the backend failed with "
                        + e + ". The cached values were dropped, so the next read shows what the backend holds.",
                e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name + ": the store is closed; build a new one to use it again");
        }
    }

    private static void requireKey(Object key) {
        Objects.requireNonNull(key, "key must not be null");
    }

    /** What {@link #registerLoad} decided: join a load in flight, or own a new one. */
    private static final class LoadTicket<V> {
        @Nullable
        KeyGuard<V> guard;

        KeyGuard.@Nullable Load<V> load;
        boolean owner;

        KeyGuard<V> requireGuard() {
            return Objects.requireNonNull(guard);
        }

        KeyGuard.Load<V> requireLoad() {
            return Objects.requireNonNull(load);
        }
    }

    /** The {@link Transaction} handed to the work of {@link #inTransaction}. */
    private final class StoreTransaction implements Transaction<K, V> {
        final Set<K> touched = new LinkedHashSet<>();

        @Nullable
        BackendOperations<K, V> operations;

        volatile boolean workCompleted;

        <T> T run(BackendOperations<K, V> operations, Function<? super Transaction<K, V>, ? extends T> work) {
            this.operations = operations;
            try {
                T result = work.apply(this);
                workCompleted = true;
                return result;
            } finally {
                this.operations = null;
            }
        }

        @Override
        public Optional<V> get(K key) {
            requireKey(key);
            keyCheck.accept(key);
            return operations().read(key).map(Versioned::value);
        }

        @Override
        public void put(K key, V value) {
            requireKey(key);
            keyCheck.accept(key);
            Objects.requireNonNull(value, "value must not be null; use remove(key) to clear a key");
            BackendOperations<K, V> current = operations();
            // Noted before the call: if its outcome is unknown and the work goes on, the key must
            // still be invalidated after the commit.
            boolean first = touched.add(key);
            try {
                current.write(key, value);
            } catch (IllegalArgumentException e) {
                untouch(key, first);
                throw e;
            }
        }

        @Override
        public void remove(K key) {
            requireKey(key);
            keyCheck.accept(key);
            BackendOperations<K, V> current = operations();
            boolean first = touched.add(key);
            try {
                current.delete(key);
            } catch (IllegalArgumentException e) {
                untouch(key, first);
                throw e;
            }
        }

        /** A key the backend refused was not changed, unless the work changed it before. */
        private void untouch(K key, boolean first) {
            if (first) {
                touched.remove(key);
            }
        }

        private BackendOperations<K, V> operations() {
            BackendOperations<K, V> current = operations;
            if (current == null) {
                throw new IllegalStateException(name + ": the transaction has ended; use it only inside its work");
            }
            return current;
        }
    }

    /** Applies changes the backend reports from other writers. */
    private final class ExternalChanges implements ChangeListener<K> {
        @Override
        public void keyChanged(K key) {
            invalidateKey(key);
            stats.externalChangesApplied.increment();
            log.debug("{}: key {} changed elsewhere; dropped its cached value", name, key);
        }

        @Override
        public void allChanged() {
            invalidateAll();
            stats.externalFullInvalidations.increment();
            log.info("{}: the backend reported that any key may have changed; dropped the whole cache", name);
        }
    }

    /**
     * Settings for a {@link CachedKeyValueStore}. Every setting is checked when it is given, with
     * a message naming the setting and the value received.
     *
     * <p>Defaults: entries expire 60 seconds after they were cached, at most 10,000 are kept,
     * {@link WritePolicy#INVALIDATE}, the system ticker, no stale values on error.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {
        private final Backend<K, V> backend;
        private long expireNanos = Duration.ofSeconds(60).toNanos();
        private long maximumSize = 10_000;
        private WritePolicy writePolicy = WritePolicy.INVALIDATE;
        private Ticker ticker = Ticker.system();
        private long staleNanos;
        private @Nullable String name;
        private Executor executor = Runnable::run;
        private Consumer<? super K> keyCheck = key -> {};

        private Builder(Backend<K, V> backend) {
            this.backend = backend;
        }

        /**
         * Sets how long after it was cached an entry is served without asking the backend. This is
         * also the longest a change made by another process can stay unseen when the backend
         * reports no changes.
         *
         * @param timeToLive a positive duration of at most 100 years
         * @return this builder
         * @throws IllegalArgumentException if {@code timeToLive} is null, not positive or too long
         */
        public Builder<K, V> expireAfterWrite(Duration timeToLive) {
            this.expireNanos = Arguments.positiveNanos(timeToLive, "expireAfterWrite");
            return this;
        }

        /**
         * Sets how many entries the cache keeps at most; beyond it, the least useful are evicted.
         *
         * @param entries a positive number
         * @return this builder
         * @throws IllegalArgumentException if {@code entries} is not positive
         */
        public Builder<K, V> maximumSize(long entries) {
            this.maximumSize = Arguments.positive(entries, "maximumSize");
            return this;
        }

        /**
         * Sets what happens to a key's cached entry once a write to it is durable.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is null
         */
        public Builder<K, V> writePolicy(WritePolicy policy) {
            this.writePolicy = Arguments.notNull(policy, "writePolicy");
            return this;
        }

        /**
         * Sets the source of time for expiry; tests pass one they advance by hand.
         *
         * @param ticker the ticker
         * @return this builder
         * @throws IllegalArgumentException if {@code ticker} is null
         */
        public Builder<K, V> ticker(Ticker ticker) {
            this.ticker = Arguments.notNull(ticker, "ticker");
            return this;
        }

        /**
         * Lets a read whose backend call fails return the key's last cached value instead of
         * throwing, if that value expired at most {@code maxStaleness} ago and was not
         * invalidated. Off by default. Every such read is counted in {@link
         * StoreStats#staleServes()}; the first of an outage is logged at {@code warn}, the rest at
         * {@code debug}. A value that expired longer ago than {@code maxStaleness} is never served.
         *
         * <p>A stale value may be one that another process has since replaced: turn this on only
         * where answering with an old setting beats failing.
         *
         * @param maxStaleness how long after its expiry a value may still be served; positive
         * @return this builder
         * @throws IllegalArgumentException if {@code maxStaleness} is null, not positive or too long
         */
        public Builder<K, V> serveStaleOnError(Duration maxStaleness) {
            this.staleNanos = Arguments.positiveNanos(maxStaleness, "serveStaleOnError");
            return this;
        }

        /**
         * Sets the name that starts the store's log messages; by default {@code configstore-N}.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is null or blank
         */
        public Builder<K, V> name(String name) {
            this.name = Arguments.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the executor the cache uses for its upkeep (the size bound's bookkeeping after
         * writes and evictions). By default the upkeep runs on the thread that wrote, which costs
         * less than waking a pool thread for the few writes a config cache sees; pass an executor
         * such as {@link java.util.concurrent.ForkJoinPool#commonPool()} to move it off the
         * callers' threads.
         *
         * @param executor the executor
         * @return this builder
         * @throws IllegalArgumentException if {@code executor} is null
         */
        public Builder<K, V> executor(Executor executor) {
            this.executor = Arguments.notNull(executor, "executor");
            return this;
        }

        /**
         * Sets a check every key must pass before it reaches the backend: it runs before a read
         * that misses the cache and before every write, and refuses a key by throwing (an {@link
         * IllegalArgumentException} naming the rule, typically). Nothing is read, written or
         * cached for a refused key. A key found in the cache is not checked again, since it passed
         * when its value was read, so a check costs nothing on a cache hit.
         *
         * @param check throws for a key that must not reach the backend; must be side-effect free
         * @return this builder
         * @throws IllegalArgumentException if {@code check} is null
         */
        public Builder<K, V> keyCheck(Consumer<? super K> check) {
            this.keyCheck = Arguments.notNull(check, "keyCheck");
            return this;
        }

        /**
         * Builds the store and subscribes it to the backend's change feed, if it has one.
         *
         * @return a new store with an empty cache
         */
        public CachedKeyValueStore<K, V> build() {
            CachedKeyValueStore<K, V> store = new CachedKeyValueStore<>(this);
            store.subscribeToChanges();
            return store;
        }
    }
}
