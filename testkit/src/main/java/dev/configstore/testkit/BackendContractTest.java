package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Backend} must have, as tests. A backend module extends this class
 * and implements {@link BackendFixture}; nothing else is needed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class BackendContractTest<K, V> implements BackendFixture<K, V> {

    /** The backend under test, fresh for each test. */
    protected Backend<K, V> backend;

    /** Creates the test; JUnit calls this. */
    protected BackendContractTest() {}

    /**
     * Creates the backend under test.
     *
     * @throws Exception if it cannot be created
     */
    @BeforeEach
    void createBackendUnderTest() throws Exception {
        backend = createBackend();
    }

    /**
     * Closes the backend under test.
     *
     * @throws Exception if it cannot be closed
     */
    @AfterEach
    void disposeBackendUnderTest() throws Exception {
        dispose(backend);
    }

    @Test
    void aKeyNeverWrittenHasNoValue() {
        assertThat(backend.read(key(0))).isEmpty();
    }

    @Test
    void aWrittenValueIsReadBackWithTheVersionTheWriteReturned() {
        long version = backend.write(key(0), value(1));

        assertThat(version).isPositive();
        assertThat(backend.read(key(0))).contains(new Versioned<>(value(1), version));
    }

    @Test
    void aSecondWriteReplacesTheValueWithAHigherVersion() {
        long first = backend.write(key(0), value(1));
        long second = backend.write(key(0), value(2));

        assertThat(second).isGreaterThan(first);
        assertThat(backend.read(key(0))).contains(new Versioned<>(value(2), second));
    }

    @Test
    void writingTheSameValueAgainStillAdvancesTheVersion() {
        long first = backend.write(key(0), value(1));
        long second = backend.write(key(0), value(1));

        assertThat(second).isGreaterThan(first);
        assertThat(backend.read(key(0))).contains(new Versioned<>(value(1), second));
    }

    @Test
    void aDeleteRemovesTheValue() {
        backend.write(key(0), value(1));

        backend.delete(key(0));

        assertThat(backend.read(key(0))).isEmpty();
    }

    @Test
    void deletingAKeyWithoutValueIsAllowed() {
        long version = backend.delete(key(0));

        assertThat(version).isPositive();
        assertThat(backend.read(key(0))).isEmpty();
    }

    @Test
    void versionsOfOneKeyIncreaseAcrossWritesAndDeletes() {
        List<Long> versions = new ArrayList<>();
        versions.add(backend.write(key(0), value(1)));
        versions.add(backend.delete(key(0)));
        versions.add(backend.write(key(0), value(2)));
        versions.add(backend.delete(key(0)));
        versions.add(backend.delete(key(0)));
        versions.add(backend.write(key(0), value(1)));

        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(backend.read(key(0))).contains(new Versioned<>(value(1), versions.get(5)));
    }

    @Test
    void keysAreIndependent() {
        backend.write(key(0), value(1));
        backend.write(key(1), value(2));
        backend.delete(key(0));

        assertThat(backend.read(key(0))).isEmpty();
        assertThat(backend.read(key(1)).map(Versioned::value)).contains(value(2));
        assertThat(backend.read(key(2))).isEmpty();
    }

    @Test
    void manyDistinctKeysAndValuesRoundTrip() {
        for (int i = 0; i < 50; i++) {
            backend.write(key(i), value(49 - i));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(backend.read(key(i)).map(Versioned::value)).contains(value(49 - i));
        }
    }

    @Test
    void aTransactionCommitsAllItsChangesAndReturnsTheWorksResult() {
        backend.write(key(2), value(9));

        String result = backend.inTransaction(tx -> {
            tx.write(key(0), value(1));
            tx.write(key(1), value(2));
            tx.delete(key(2));
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(backend.read(key(0)).map(Versioned::value)).contains(value(1));
        assertThat(backend.read(key(1)).map(Versioned::value)).contains(value(2));
        assertThat(backend.read(key(2))).isEmpty();
    }

    @Test
    void aTransactionWhoseWorkThrowsChangesNothingAndRethrows() {
        backend.write(key(0), value(1));
        backend.write(key(2), value(3));
        IllegalStateException failure = new IllegalStateException("work failed");

        assertThatThrownBy(() -> backend.inTransaction(tx -> {
                    tx.write(key(0), value(2));
                    tx.write(key(1), value(2));
                    tx.delete(key(2));
                    throw failure;
                }))
                .isSameAs(failure);

        assertThat(backend.read(key(0)).map(Versioned::value)).contains(value(1));
        assertThat(backend.read(key(1))).isEmpty();
        assertThat(backend.read(key(2)).map(Versioned::value)).contains(value(3));
    }

    @Test
    void readsInsideATransactionSeeItsOwnChanges() {
        backend.write(key(1), value(1));

        List<Optional<V>> seen = backend.inTransaction(tx -> {
            tx.write(key(0), value(5));
            tx.delete(key(1));
            return List.of(
                    tx.read(key(0)).map(Versioned::value), tx.read(key(1)).map(Versioned::value));
        });

        assertThat(seen).containsExactly(Optional.of(value(5)), Optional.empty());
    }

    @Test
    void versionsWrittenInATransactionAreNewerThanEarlierOnesAndMatchWhatIsRead() {
        long before = backend.write(key(0), value(1));

        long inside = backend.inTransaction(tx -> tx.write(key(0), value(2)));

        assertThat(inside).isGreaterThan(before);
        assertThat(backend.read(key(0))).contains(new Versioned<>(value(2), inside));
        assertThat(backend.write(key(0), value(3))).isGreaterThan(inside);
    }

    @Test
    void transactionOperationsCannotBeUsedAfterTheTransaction() {
        AtomicReference<BackendOperations<K, V>> escaped = new AtomicReference<>();
        backend.inTransaction(tx -> {
            escaped.set(tx);
            return null;
        });

        BackendOperations<K, V> afterwards = Objects.requireNonNull(escaped.get());
        assertThatThrownBy(() -> afterwards.write(key(0), value(1))).isInstanceOf(IllegalStateException.class);
        assertThat(backend.read(key(0))).isEmpty();
    }

    @Test
    void concurrentWritersToOneKeyGetDistinctVersionsAndTheHighestWins() throws Exception {
        int writers = 4;
        int writesEach = 25;
        Map<Long, V> written = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        V value = value(writer * writesEach + i);
                        long version = backend.write(key(0), value);
                        assertThat(written.put(version, value))
                                .as("version %d returned twice", version)
                                .isNull();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long highest =
                written.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(written).hasSize(writers * writesEach);
        assertThat(backend.read(key(0)))
                .contains(new Versioned<>(Objects.requireNonNull(written.get(highest)), highest));
    }
}
