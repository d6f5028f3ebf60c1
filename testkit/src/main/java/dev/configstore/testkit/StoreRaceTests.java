package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreStats;
import dev.configstore.WritePolicy;
import dev.configstore.spi.Backend;
import dev.configstore.spi.Versioned;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.FaultyBackend.Phase;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One deterministic test per named race: each forces its interleaving by pausing a backend call
 * with {@link FaultyBackend#pauseNext} and running the competing operation while it is held. No
 * test sleeps; every wait is on a latch and bounded by {@link Pause#TIMEOUT}.
 *
 * <p>A backend module extends this class and implements {@link BackendFixture}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class StoreRaceTests<K, V> implements BackendFixture<K, V> {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Backend<K, V> raw;
    private FaultyBackend<K, V> faulty;

    /** Creates the test; JUnit calls this. */
    protected StoreRaceTests() {}

    /**
     * Creates the backend under test and the fault-injecting wrapper around it.
     *
     * @throws Exception if the backend cannot be created
     */
    @BeforeEach
    void setUp() throws Exception {
        raw = createBackend();
        faulty = FaultyBackend.wrap(raw);
    }

    /**
     * Stops the helper threads and closes the backend.
     *
     * @throws Exception if the backend cannot be closed
     */
    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        dispose(raw);
    }

    private CachedKeyValueStore<K, V> store(WritePolicy policy) {
        return CachedKeyValueStore.builder(faulty)
                .name("race-" + policy)
                .writePolicy(policy)
                .expireAfterWrite(Duration.ofHours(1))
                .ticker(new FakeTicker())
                .executor(Runnable::run)
                .build();
    }

    /**
     * How the racing reader of each race reads: {@link CachedKeyValueStore#get} here. A subclass
     * may read another way (such as {@link CachedKeyValueStore#getAsync}) to run every race with
     * that read; the other checks keep using {@code get}.
     *
     * @param store the store under test
     * @param key the key to read
     * @return what the read returned
     */
    protected Optional<V> read(CachedKeyValueStore<K, V> store, K key) {
        return store.get(key);
    }

    private <T> Future<T> inOtherThread(Callable<T> task) {
        return threads.submit(task);
    }

    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get(Pause.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the other thread did not finish within " + Pause.TIMEOUT, e);
        }
    }

    private Optional<V> backendValue(K key) {
        return raw.read(key).map(Versioned::value);
    }

    /**
     * Read during write: a reader fetched the old value, then a write committed and returned, then
     * the reader tried to cache what it fetched. The old value must not be cached.
     */
    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void aReadRacingAWriteNeverCachesTheOldValue(WritePolicy policy) throws Exception {
        CachedKeyValueStore<K, V> store = store(policy);
        raw.write(key(0), value(1));
        Pause readerHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        readerHoldsOldValue.awaitArrival();
        store.put(key(0), value(2));
        readerHoldsOldValue.release();

        assertThat(result(reader))
                .as("a read concurrent with the write may return either value")
                .contains(value(1));
        assertThat(store.get(key(0))).contains(value(2));
        assertThat(store.stats().staleInstallsRefused()).isEqualTo(1);
    }

    /** The same race with a remove: the reader's old value must not come back. */
    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void aReadRacingARemoveNeverCachesTheOldValue(WritePolicy policy) throws Exception {
        CachedKeyValueStore<K, V> store = store(policy);
        raw.write(key(0), value(1));
        Pause readerHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        readerHoldsOldValue.awaitArrival();
        store.remove(key(0));
        readerHoldsOldValue.release();

        assertThat(result(reader)).contains(value(1));
        assertThat(store.get(key(0))).isEmpty();
    }

    /**
     * The same race with {@link CachedKeyValueStore#update}, a change the backend makes on its
     * own terms: the reader's old value must not come back, and under write-through too the
     * entry is dropped rather than guessed.
     */
    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void aReadRacingAnUpdateNeverCachesTheOldValue(WritePolicy policy) throws Exception {
        CachedKeyValueStore<K, V> store = store(policy);
        raw.write(key(0), value(1));
        Pause readerHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        readerHoldsOldValue.awaitArrival();
        store.update(key(0), () -> faulty.write(key(0), value(2)));
        readerHoldsOldValue.release();

        assertThat(result(reader)).contains(value(1));
        long readsBefore = faulty.calls(Call.READ);
        assertThat(store.get(key(0))).contains(value(2));
        assertThat(faulty.calls(Call.READ))
                .as("the entry was dropped, not replaced")
                .isEqualTo(readsBefore + 1);
    }

    /**
     * A write fails after a concurrent read cached the value it was about to replace: the cache
     * must keep that value (the backend still holds it) and serve it without a backend read.
     */
    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void aWriteThatFailsAfterAConcurrentReadLeavesCacheAndBackendAsTheyWere(WritePolicy policy) throws Exception {
        CachedKeyValueStore<K, V> store = store(policy);
        raw.write(key(0), value(1));
        Pause writeHeld = faulty.pauseNext(Call.WRITE, Phase.BEFORE);

        Future<Void> writer = inOtherThread(() -> {
            store.put(key(0), value(2));
            return null;
        });
        writeHeld.awaitArrival();
        assertThat(store.get(key(0))).contains(value(1));
        writeHeld.releaseWithFailure(StoreException.Reason.STORAGE_FULL);

        assertThatThrownBy(() -> result(writer))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.STORAGE_FULL));
        long readsBefore = faulty.calls(Call.READ);
        assertThat(store.get(key(0))).contains(value(1));
        assertThat(faulty.calls(Call.READ)).as("the value stayed cached").isEqualTo(readsBefore);
        assertThat(backendValue(key(0))).contains(value(1));
    }

    /**
     * {@code invalidateAll()} runs while a load is in flight, after the backend changed behind the
     * store's back: the load must not cache the value it read before the clear.
     */
    @Test
    void invalidateAllDuringALoadKeepsTheLoadedValueOutOfTheCache() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.INVALIDATE);
        raw.write(key(0), value(1));
        Pause loadHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        loadHoldsOldValue.awaitArrival();
        raw.write(key(0), value(2));
        store.invalidateAll();
        loadHoldsOldValue.release();

        assertThat(result(reader)).contains(value(1));
        assertThat(store.get(key(0))).contains(value(2));
        assertThat(store.stats().staleInstallsRefused()).isEqualTo(1);
    }

    /** The single-key form of the same race: {@code invalidate(key)} during a load of that key. */
    @Test
    void invalidateDuringALoadKeepsTheLoadedValueOutOfTheCache() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.INVALIDATE);
        raw.write(key(0), value(1));
        Pause loadHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        loadHoldsOldValue.awaitArrival();
        raw.write(key(0), value(2));
        store.invalidate(key(0));
        loadHoldsOldValue.release();

        assertThat(result(reader)).contains(value(1));
        assertThat(store.get(key(0))).contains(value(2));
    }

    /**
     * Two write-through writers finish out of order: the first to commit is the last to install.
     * Its older value must not replace the newer one.
     */
    @Test
    void writeThroughWritersFinishingOutOfOrderLeaveTheNewestValueCached() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.WRITE_THROUGH);
        Pause firstWriterCommitted = faulty.pauseNext(Call.WRITE, Phase.AFTER);

        Future<Void> first = inOtherThread(() -> {
            store.put(key(0), value(1));
            return null;
        });
        firstWriterCommitted.awaitArrival();
        store.put(key(0), value(2));
        firstWriterCommitted.release();
        result(first);

        long readsBefore = faulty.calls(Call.READ);
        assertThat(store.get(key(0))).contains(value(2));
        assertThat(faulty.calls(Call.READ))
                .as("the newer value is served from the cache")
                .isEqualTo(readsBefore);
        assertThat(backendValue(key(0))).contains(value(2));
    }

    /**
     * The same race, with the newer value's entry dropped before the older writer installs: with
     * nothing cached to compare versions against, the older writer must still not install.
     */
    @Test
    void anOlderWriteThroughValueIsNotInstalledEvenWhenTheNewerOneWasDropped() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.WRITE_THROUGH);
        Pause firstWriterCommitted = faulty.pauseNext(Call.WRITE, Phase.AFTER);

        Future<Void> first = inOtherThread(() -> {
            store.put(key(0), value(1));
            return null;
        });
        firstWriterCommitted.awaitArrival();
        store.put(key(0), value(2));
        store.invalidate(key(0));
        firstWriterCommitted.release();
        result(first);

        assertThat(store.get(key(0))).contains(value(2));
    }

    /**
     * A read loaded the old value before a transaction committed a new one, and tries to cache it
     * after the commit: the commit's invalidation must refuse it.
     */
    @Test
    void aReadRacingACommittingTransactionNeverCachesTheOldValue() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.INVALIDATE);
        raw.write(key(0), value(1));
        Pause readerHoldsOldValue = faulty.pauseNext(Call.READ, Phase.AFTER);

        Future<Optional<V>> reader = inOtherThread(() -> read(store, key(0)));
        readerHoldsOldValue.awaitArrival();
        store.inTransaction(tx -> {
            tx.put(key(0), value(2));
            tx.put(key(1), value(3));
            return null;
        });
        readerHoldsOldValue.release();

        assertThat(result(reader)).contains(value(1));
        assertThat(store.get(key(0))).contains(value(2));
        assertThat(store.get(key(1))).contains(value(3));
    }

    /**
     * A transaction rolls back: nothing is invalidated, the cached value stays and is served
     * without a backend read, and the backend keeps its value.
     */
    @Test
    void aRolledBackTransactionInvalidatesNothing() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.INVALIDATE);
        raw.write(key(0), value(1));
        assertThat(store.get(key(0))).contains(value(1));
        StoreStats before = store.stats();
        IllegalStateException rollBack = new IllegalStateException("changed my mind");

        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.put(key(0), value(2));
                    assertThat(tx.get(key(0))).contains(value(2));
                    throw rollBack;
                }))
                .isSameAs(rollBack);

        assertThat(store.stats().invalidations()).isEqualTo(before.invalidations());
        assertThat(store.get(key(0))).contains(value(1));
        assertThat(store.stats().hits()).isEqualTo(before.hits() + 1);
        assertThat(backendValue(key(0))).contains(value(1));
    }

    /** A transaction whose commit fails changes neither the backend nor the cache. */
    @Test
    void aTransactionWhoseCommitFailsChangesNothing() throws Exception {
        CachedKeyValueStore<K, V> store = store(WritePolicy.INVALIDATE);
        raw.write(key(0), value(1));
        assertThat(store.get(key(0))).contains(value(1));
        faulty.failNext(Call.TRANSACTION, StoreException.Reason.BUSY);

        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.put(key(0), value(2));
                    return null;
                }))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.BUSY));

        long readsBefore = faulty.calls(Call.READ);
        assertThat(store.get(key(0))).contains(value(1));
        assertThat(faulty.calls(Call.READ)).isEqualTo(readsBefore);
        assertThat(backendValue(key(0))).contains(value(1));
    }

    /**
     * A write whose outcome the backend cannot tell (applied, then the connection broke) drops
     * the cached entry, so the next read shows what the backend really holds.
     */
    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void aWriteOfUnknownOutcomeDropsTheCachedValue(WritePolicy policy) throws Exception {
        CachedKeyValueStore<K, V> store = store(policy);
        raw.write(key(0), value(1));
        assertThat(store.get(key(0))).contains(value(1));
        faulty.failNextAfterApplying(Call.WRITE);

        assertThatThrownBy(() -> store.put(key(0), value(2)))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNKNOWN));

        assertThat(store.get(key(0))).contains(value(2));
    }
}
