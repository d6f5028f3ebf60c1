package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreStats;
import dev.configstore.WritePolicy;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.Versioned;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.StoreOp.ExternalChange;
import dev.configstore.testkit.StoreOp.Fail;
import dev.configstore.testkit.StoreOp.FailAfterApplying;
import dev.configstore.testkit.StoreOp.Get;
import dev.configstore.testkit.StoreOp.GetAll;
import dev.configstore.testkit.StoreOp.Invalidate;
import dev.configstore.testkit.StoreOp.InvalidateAll;
import dev.configstore.testkit.StoreOp.Put;
import dev.configstore.testkit.StoreOp.Remove;
import dev.configstore.testkit.StoreOp.Tick;
import dev.configstore.testkit.StoreOp.Tx;
import dev.configstore.testkit.StoreOp.TxStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property tests of the store over a backend: random sequences of operations, ticks and injected
 * faults, checked step by step against {@link StoreModel}. QuickTheories shrinks a failing
 * sequence to a small one and prints it with its seed; {@code -DQT_SEED=<seed>} replays it.
 *
 * <p>A backend module extends this class and implements {@link BackendFixture}. The number of
 * sequences per property is {@value #DEFAULT_EXAMPLES} unless the system property {@code
 * configstore.properties.examples} says otherwise.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class StoreProperties<K, V> implements BackendFixture<K, V> {

    /** Sequences tried per property by default. */
    public static final int DEFAULT_EXAMPLES = 1000;

    private static final int KEYS = 4;
    private static final int VALUES = 5;
    private static final int MAX_STEPS = 40;
    private static final long TTL_SECONDS = 60;
    private static final long STALE_SECONDS = 30;

    /** Creates the test; JUnit calls this. */
    protected StoreProperties() {}

    /**
     * How many sequences each property tries.
     *
     * @return the number of examples
     */
    protected int examples() {
        return Integer.getInteger("configstore.properties.examples", DEFAULT_EXAMPLES);
    }

    /** How a store under test is configured. */
    record Config(WritePolicy policy, boolean serveStale, long maximumSize) {}

    /**
     * With a cache large enough never to evict, the store behaves exactly like the model: every
     * {@code get} is a hit or a miss exactly when the model says, returns exactly the model's
     * value, and every counter matches. This covers write-then-invalidate, failed writes changing
     * nothing, writes of unknown outcome dropping the entry, absence cached, failed reads never
     * cached, expiry at the time-to-live, stale-if-error bounds, transactions, and changes made
     * behind the store's back staying visible no longer than the time-to-live.
     */
    @Test
    void theStoreBehavesExactlyLikeTheModel() {
        qt().withExamples(examples())
                .forAll(configs(10_000), operations(true))
                .checkAssert((config, ops) -> run(config, ops, true));
    }

    /**
     * With a cache of two entries, evictions happen all the time; without changes behind the
     * store's back, every {@code get} must still return exactly what the backend holds, and every
     * failure must be the one injected.
     */
    @Test
    void readsMatchTheBackendUnderEvictionAndFaults() {
        qt().withExamples(examples())
                .forAll(configs(2), operations(false))
                .checkAssert((config, ops) -> run(config, ops, false));
    }

    private static Gen<Config> configs(long maximumSize) {
        return Generate.enumValues(WritePolicy.class)
                .zip(
                        Generate.booleans(),
                        (policy, stale) -> new Config(policy, stale && maximumSize > KEYS, maximumSize));
    }

    private static Gen<List<StoreOp>> operations(boolean withExternalChanges) {
        Gen<Integer> keys = Generate.range(0, KEYS - 1);
        Gen<Integer> values = Generate.range(0, VALUES - 1);
        Gen<StoreOp> get = keys.map(Get::new);
        Gen<StoreOp> getAll = lists().of(keys).ofSizeBetween(0, 3).map(GetAll::new);
        Gen<Put> put = keys.zip(values, Put::new);
        Gen<Remove> remove = keys.map(Remove::new);
        Gen<StoreOp> invalidate = keys.map(Invalidate::new);
        Gen<StoreOp> invalidateAll = Generate.constant((StoreOp) new InvalidateAll());
        Gen<StoreOp> tick =
                Generate.pick(List.of(1, 29, 30, 31, 59, 60, 61, 89, 90, 91)).map(Tick::new);
        Gen<StoreOp> fail = Generate.enumValues(Call.class)
                .zip(Generate.pick(List.of(StoreException.Reason.BUSY, StoreException.Reason.STORAGE_FULL)), Fail::new);
        Gen<StoreOp> failAfterApplying = Generate.pick(List.of(Call.WRITE, Call.DELETE, Call.TRANSACTION))
                .map(FailAfterApplying::new);
        Gen<TxStep> txStep = put.<TxStep>map(p -> p).mix(remove.map(r -> r));
        Gen<StoreOp> tx = lists().of(txStep).ofSizeBetween(1, 3).zip(Generate.booleans(), Tx::new);
        Gen<StoreOp> external = keys.zip(values.toOptionals(30), ExternalChange::new);

        List<Pair<Integer, Gen<StoreOp>>> weighted = new ArrayList<>(List.of(
                Pair.of(8, get),
                Pair.of(2, getAll),
                Pair.of(4, put.map(p -> p)),
                Pair.of(2, remove.map(r -> r)),
                Pair.of(1, invalidate),
                Pair.of(1, invalidateAll),
                Pair.of(3, tick),
                Pair.of(3, fail),
                Pair.of(1, failAfterApplying),
                Pair.of(1, tx)));
        if (withExternalChanges) {
            weighted.add(Pair.of(2, external));
        }
        return lists().of(Generate.frequency(weighted)).ofSizeBetween(1, MAX_STEPS);
    }

    private void run(Config config, List<StoreOp> ops, boolean exact) {
        try (Disposal disposal = new Disposal(newBackend())) {
            Backend<K, V> raw = disposal.backend;
            FaultyBackend<K, V> faulty = FaultyBackend.wrap(new WithoutChangeFeed<>(raw));
            FakeTicker ticker = new FakeTicker();
            CachedKeyValueStore.Builder<K, V> builder = CachedKeyValueStore.builder(faulty)
                    .name("property")
                    .expireAfterWrite(Duration.ofSeconds(TTL_SECONDS))
                    .maximumSize(config.maximumSize())
                    .writePolicy(config.policy())
                    .ticker(ticker)
                    .executor(Runnable::run);
            if (config.serveStale()) {
                builder.serveStaleOnError(Duration.ofSeconds(STALE_SECONDS));
            }
            StoreModel model = new StoreModel(config.policy(), TTL_SECONDS, config.serveStale() ? STALE_SECONDS : 0);
            try (CachedKeyValueStore<K, V> store = builder.build()) {
                Run run = new Run(store, faulty, raw, ticker, model, exact);
                for (int step = 0; step < ops.size(); step++) {
                    run.context = "step " + step + " (" + ops.get(step) + ") of " + ops;
                    run.apply(ops.get(step));
                    run.checkBackend();
                    if (exact) {
                        run.checkStats();
                    }
                }
            }
        }
    }

    /** Disposes of a backend at the end of a try-with-resources block. */
    private final class Disposal implements AutoCloseable {
        final Backend<K, V> backend;

        Disposal(Backend<K, V> backend) {
            this.backend = backend;
        }

        @Override
        public void close() {
            try {
                dispose(backend);
            } catch (Exception e) {
                throw new IllegalStateException("could not dispose of the backend", e);
            }
        }
    }

    private Backend<K, V> newBackend() {
        try {
            return createBackend();
        } catch (Exception e) {
            throw new IllegalStateException("could not create a backend", e);
        }
    }

    /** The expected outcome of one read: a value (by index), or a failure with a reason. */
    private record Outcome(Optional<Integer> value, StoreException.@Nullable Reason failure) {
        static Outcome value(Optional<Integer> value) {
            return new Outcome(value, null);
        }

        static Outcome failure(StoreException.Reason reason) {
            return new Outcome(Optional.empty(), reason);
        }

        boolean failed() {
            return failure != null;
        }

        StoreException.Reason requireFailure() {
            return Objects.requireNonNull(failure);
        }
    }

    /** One sequence being run: the store, its backend, the model, and the step being checked. */
    private final class Run {
        final CachedKeyValueStore<K, V> store;
        final FaultyBackend<K, V> faulty;
        final Backend<K, V> raw;
        final FakeTicker ticker;
        final StoreModel model;
        final boolean exact;
        String context = "";

        Run(
                CachedKeyValueStore<K, V> store,
                FaultyBackend<K, V> faulty,
                Backend<K, V> raw,
                FakeTicker ticker,
                StoreModel model,
                boolean exact) {
            this.store = store;
            this.faulty = faulty;
            this.raw = raw;
            this.ticker = ticker;
            this.model = model;
            this.exact = exact;
        }

        void apply(StoreOp op) {
            if (op instanceof Get get) {
                checkGet(get.key());
            } else if (op instanceof GetAll getAll) {
                checkGetAll(getAll.keys());
            } else if (op instanceof Put put) {
                checkChange(put.key(), Optional.of(put.value()));
            } else if (op instanceof Remove remove) {
                checkChange(remove.key(), Optional.empty());
            } else if (op instanceof Invalidate invalidate) {
                store.invalidate(key(invalidate.key()));
                model.cache.remove(invalidate.key());
            } else if (op instanceof InvalidateAll) {
                store.invalidateAll();
                model.cache.clear();
            } else if (op instanceof Tick tick) {
                ticker.advance(Duration.ofSeconds(tick.seconds()));
                model.nowSeconds += tick.seconds();
            } else if (op instanceof Fail fail) {
                faulty.failNext(fail.call(), fail.reason());
                model.faults(fail.call()).add(new StoreModel.Fault(fail.reason()));
            } else if (op instanceof FailAfterApplying fail) {
                faulty.failNextAfterApplying(fail.call());
                model.faults(fail.call()).add(new StoreModel.Fault(null));
            } else if (op instanceof ExternalChange change) {
                if (change.value().isPresent()) {
                    raw.write(key(change.key()), value(change.value().get()));
                } else {
                    raw.delete(key(change.key()));
                }
                model.setBackend(change.key(), change.value());
            } else if (op instanceof Tx tx) {
                checkTransaction(tx);
            } else {
                throw new AssertionError("unknown operation " + op);
            }
        }

        private void checkGet(int key) {
            if (exact) {
                Outcome expected = expectGet(key);
                if (expected.failed()) {
                    assertFailsWith(() -> store.get(key(key)), expected.requireFailure());
                } else {
                    assertThat(store.get(key(key)))
                            .as(context)
                            .isEqualTo(expected.value().map(StoreProperties.this::value));
                }
                return;
            }
            StoreModel.Fault pending = model.faults(Call.READ).peek();
            int before = faulty.pending(Call.READ);
            Throwable thrown = catchThrowable(() -> assertThat(store.get(key(key)))
                    .as(context)
                    .isEqualTo(Optional.ofNullable(model.backend.get(key)).map(StoreProperties.this::value)));
            checkReadFaultConsumed(before, pending, thrown);
        }

        private void checkGetAll(List<Integer> keys) {
            List<K> asked = keys.stream().map(StoreProperties.this::key).toList();
            if (exact) {
                Map<Integer, Integer> expected = new LinkedHashMap<>();
                for (int key : keys) {
                    if (expected.containsKey(key)) {
                        continue;
                    }
                    Outcome outcome = expectGet(key);
                    if (outcome.failed()) {
                        assertFailsWith(() -> store.getAll(asked), outcome.requireFailure());
                        return;
                    }
                    outcome.value().ifPresent(value -> expected.put(key, value));
                }
                assertThat(store.getAll(asked)).as(context).isEqualTo(toValues(expected));
                return;
            }
            Map<Integer, Integer> expected = new LinkedHashMap<>();
            for (int key : keys) {
                Integer value = model.backend.get(key);
                if (value != null) {
                    expected.put(key, value);
                }
            }
            StoreModel.Fault pending = model.faults(Call.READ).peek();
            int before = faulty.pending(Call.READ);
            Throwable thrown = catchThrowable(
                    () -> assertThat(store.getAll(asked)).as(context).isEqualTo(toValues(expected)));
            checkReadFaultConsumed(before, pending, thrown);
        }

        /** Works out what a get must return, updating the model's cache and counters. */
        private Outcome expectGet(int key) {
            StoreModel.Entry entry = model.retained(key);
            if (entry != null && model.fresh(entry)) {
                model.hits++;
                return Outcome.value(entry.value());
            }
            model.misses++;
            StoreModel.Fault fault = model.nextFault(Call.READ);
            if (fault != null) {
                model.loadFailures++;
                if (model.staleSeconds > 0 && entry != null) {
                    model.staleServes++;
                    return Outcome.value(entry.value());
                }
                return Outcome.failure(Objects.requireNonNull(fault.reason()));
            }
            model.loads++;
            Optional<Integer> current = Optional.ofNullable(model.backend.get(key));
            model.cache.put(key, new StoreModel.Entry(current, model.nowSeconds));
            return Outcome.value(current);
        }

        private void checkReadFaultConsumed(
                int before, StoreModel.@Nullable Fault pending, @Nullable Throwable thrown) {
            boolean consumed = faulty.pending(Call.READ) < before;
            if (consumed) {
                model.faults(Call.READ).poll();
                StoreException.Reason injected = Objects.requireNonNull(pending).reason();
                assertThat(thrown)
                        .as("a read that met an injected fault must fail with it, " + context)
                        .isInstanceOfSatisfying(
                                StoreException.class,
                                e -> assertThat(e.reason()).as(context).isEqualTo(injected));
            } else if (thrown != null) {
                throw new AssertionError(context, thrown);
            }
        }

        private void checkChange(int key, Optional<Integer> value) {
            Call call = value.isPresent() ? Call.WRITE : Call.DELETE;
            StoreModel.Fault fault = model.nextFault(call);
            Runnable change = () -> {
                if (value.isPresent()) {
                    store.put(key(key), value(value.get()));
                } else {
                    store.remove(key(key));
                }
            };
            if (fault == null) {
                change.run();
                model.writes++;
                model.setBackend(key, value);
                model.afterWrite(key, value);
            } else if (fault.appliesChange()) {
                assertFailsWith(change, StoreException.Reason.UNKNOWN);
                model.writeFailures++;
                model.setBackend(key, value);
                model.cache.remove(key);
            } else {
                assertFailsWith(change, Objects.requireNonNull(fault.reason()));
                model.writeFailures++;
            }
        }

        private void checkTransaction(Tx tx) {
            StoreModel.Fault fault = model.nextFault(Call.TRANSACTION);
            IllegalStateException rollBack = new IllegalStateException("roll back");
            Runnable transaction = () -> store.inTransaction(t -> {
                for (TxStep step : tx.steps()) {
                    if (step instanceof Put put) {
                        t.put(key(put.key()), value(put.value()));
                    } else if (step instanceof Remove remove) {
                        t.remove(key(remove.key()));
                    }
                }
                if (tx.rollBack()) {
                    throw rollBack;
                }
                return null;
            });
            Set<Integer> touched = new LinkedHashSet<>();
            tx.steps().forEach(step -> touched.add(step instanceof Put put ? put.key() : ((Remove) step).key()));
            if (tx.rollBack()) {
                assertThatThrownBy(transaction::run).as(context).isSameAs(rollBack);
                return;
            }
            if (fault != null && !fault.appliesChange()) {
                assertFailsWith(transaction, Objects.requireNonNull(fault.reason()));
                model.writeFailures++;
                return;
            }
            if (fault == null) {
                transaction.run();
                model.writes += touched.size();
            } else {
                assertFailsWith(transaction, StoreException.Reason.UNKNOWN);
                model.writeFailures++;
            }
            for (TxStep step : tx.steps()) {
                if (step instanceof Put put) {
                    model.setBackend(put.key(), Optional.of(put.value()));
                } else if (step instanceof Remove remove) {
                    model.setBackend(remove.key(), Optional.empty());
                }
            }
            touched.forEach(model.cache::remove);
        }

        void checkBackend() {
            for (int key = 0; key < KEYS; key++) {
                assertThat(raw.read(key(key)).map(Versioned::value))
                        .as("backend value of key %d after %s", key, context)
                        .isEqualTo(Optional.ofNullable(model.backend.get(key)).map(StoreProperties.this::value));
            }
        }

        void checkStats() {
            StoreStats stats = store.stats();
            assertThat(stats)
                    .as(context)
                    .extracting(
                            StoreStats::hits,
                            StoreStats::misses,
                            StoreStats::loads,
                            StoreStats::loadFailures,
                            StoreStats::writes,
                            StoreStats::writeFailures,
                            StoreStats::staleServes,
                            StoreStats::staleInstallsRefused)
                    .containsExactly(
                            model.hits,
                            model.misses,
                            model.loads,
                            model.loadFailures,
                            model.writes,
                            model.writeFailures,
                            model.staleServes,
                            0L);
        }

        private Map<K, V> toValues(Map<Integer, Integer> indexes) {
            Map<K, V> values = new LinkedHashMap<>();
            indexes.forEach((key, value) -> values.put(key(key), value(value)));
            return values;
        }

        private void assertFailsWith(Runnable call, StoreException.Reason reason) {
            assertThatThrownBy(call::run)
                    .as(context)
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.reason()).as(context).isEqualTo(reason));
        }
    }

    /** Hides a backend's change feed, so that changes behind the store's back stay unreported. */
    private record WithoutChangeFeed<K, V>(Backend<K, V> delegate) implements Backend<K, V> {
        @Override
        public Optional<Versioned<V>> read(K key) {
            return delegate.read(key);
        }

        @Override
        public long write(K key, V value) {
            return delegate.write(key, value);
        }

        @Override
        public long delete(K key) {
            return delegate.delete(key);
        }

        @Override
        public <T> T inTransaction(Function<? super BackendOperations<K, V>, ? extends T> work) {
            return delegate.inTransaction(work);
        }
    }
}
