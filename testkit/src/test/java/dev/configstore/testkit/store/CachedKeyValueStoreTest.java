package dev.configstore.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.StoreStats;
import dev.configstore.Transaction;
import dev.configstore.WritePolicy;
import dev.configstore.spi.Backend;
import dev.configstore.testkit.FakeTicker;
import dev.configstore.testkit.FaultyBackend;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.InMemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Examples of the store's behaviour, one rule at a time. */
class CachedKeyValueStoreTest {

    private final FakeTicker ticker = new FakeTicker();
    private final InMemoryBackend<String, String> backend = InMemoryBackend.create();
    private final FaultyBackend<String, String> faulty = FaultyBackend.wrap(backend);

    private CachedKeyValueStore.Builder<String, String> builder() {
        return CachedKeyValueStore.builder(faulty)
                .name("guild-settings")
                .expireAfterWrite(Duration.ofSeconds(60))
                .ticker(ticker)
                .executor(Runnable::run);
    }

    @Nested
    class Building {

        @Test
        void aNullBackendIsRejectedByName() {
            assertThatThrownBy(() -> CachedKeyValueStore.<String, String>builder(nullValue()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("backend must not be null");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT0S", "PT-1S", "-PT0.000000001S"})
        void aTimeToLiveThatIsNotPositiveIsRejectedWithTheValue(String duration) {
            assertThatThrownBy(() -> builder().expireAfterWrite(Duration.parse(duration)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expireAfterWrite must be positive, got " + Duration.parse(duration));
        }

        @Test
        void aTimeToLiveLongerThanACenturyIsRejected() {
            assertThatThrownBy(() -> builder().expireAfterWrite(Duration.ofDays(365L * 200)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expireAfterWrite must be at most 36500 days, got PT1752000H");
        }

        @Test
        void nullSettingsAreRejectedByName() {
            assertThatThrownBy(() -> builder().expireAfterWrite(nullValue()))
                    .hasMessage("expireAfterWrite must not be null");
            assertThatThrownBy(() -> builder().writePolicy(nullValue())).hasMessage("writePolicy must not be null");
            assertThatThrownBy(() -> builder().ticker(nullValue())).hasMessage("ticker must not be null");
            assertThatThrownBy(() -> builder().executor(nullValue())).hasMessage("executor must not be null");
            assertThatThrownBy(() -> builder().serveStaleOnError(nullValue()))
                    .hasMessage("serveStaleOnError must not be null");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void aMaximumSizeThatIsNotPositiveIsRejectedWithTheValue(long size) {
            assertThatThrownBy(() -> builder().maximumSize(size))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maximumSize must be positive, got " + size);
        }

        @Test
        void aStaleWindowThatIsNotPositiveIsRejected() {
            assertThatThrownBy(() -> builder().serveStaleOnError(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("serveStaleOnError must be positive, got PT0S");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void aBlankNameIsRejected(String name) {
            assertThatThrownBy(() -> builder().name(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("name must not be blank");
        }

        @Test
        void anUnnamedStoreGetsADistinctName() {
            CachedKeyValueStore<String, String> first =
                    CachedKeyValueStore.builder(backend).build();
            CachedKeyValueStore<String, String> second =
                    CachedKeyValueStore.builder(backend).build();

            assertThat(first.name()).startsWith("configstore-").isNotEqualTo(second.name());
            assertThat(first.toString()).contains(first.name(), "INVALIDATE");
        }
    }

    @Nested
    class Reading {

        @Test
        void aValueIsReadOnceAndThenServedFromTheCacheUntilItExpires() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store = builder().build();

            assertThat(store.get("guild-1")).contains("channel-1");
            ticker.advance(Duration.ofSeconds(59));
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(faulty.calls(Call.READ)).isEqualTo(1);

            ticker.advance(Duration.ofSeconds(1));
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(faulty.calls(Call.READ)).isEqualTo(2);
            assertThat(store.stats())
                    .extracting(StoreStats::hits, StoreStats::misses)
                    .containsExactly(1L, 2L);
        }

        @Test
        void absenceIsCachedAndExpiresLikeAValue() {
            CachedKeyValueStore<String, String> store = builder().build();

            assertThat(store.get("guild-1")).isEmpty();
            backend.write("guild-1", "written-behind-the-stores-back");
            assertThat(store.get("guild-1")).as("absence cached").isEmpty();
            assertThat(faulty.calls(Call.READ)).isEqualTo(1);

            ticker.advance(Duration.ofSeconds(60));
            assertThat(store.get("guild-1")).contains("written-behind-the-stores-back");
        }

        @Test
        void aFailedReadIsNotCached() {
            CachedKeyValueStore<String, String> store = builder().build();
            backend.write("guild-1", "channel-1");
            faulty.failNext(Call.READ, StoreException.Reason.UNAVAILABLE);

            assertThatThrownBy(() -> store.get("guild-1"))
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE));

            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(store.stats())
                    .extracting(StoreStats::loads, StoreStats::loadFailures)
                    .containsExactly(1L, 1L);
        }

        @Test
        void aBackendThatThrowsSomethingElseIsReportedAsAStoreException() {
            Backend<String, String> broken = new ThrowingBackend(new IllegalStateException("bug in backend"));
            CachedKeyValueStore<String, String> store =
                    CachedKeyValueStore.builder(broken).name("broken").build();

            assertThatThrownBy(() -> store.get("guild-1"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("broken: reading key guild-1 failed unexpectedly")
                    .hasCauseInstanceOf(IllegalStateException.class);
        }

        @Test
        void getAllReturnsTheKeysWithValuesInTheOrderAsked() {
            backend.write("b", "2");
            backend.write("a", "1");
            CachedKeyValueStore<String, String> store = builder().build();

            Map<String, String> found = store.getAll(List.of("a", "missing", "b", "a"));

            assertThat(found).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
            assertThatThrownBy(() -> found.put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void aKeyCheckRefusesKeysBeforeTheyReachTheBackendAndIsNotRepeatedOnAHit() {
            List<String> checked = new ArrayList<>();
            CachedKeyValueStore<String, String> store = builder()
                    .keyCheck(key -> {
                        checked.add(key);
                        if (!key.startsWith("guild-")) {
                            throw new IllegalArgumentException("key must start with guild-, got " + key);
                        }
                    })
                    .build();
            backend.write("guild-1", "channel-1");

            assertThatThrownBy(() -> store.get("user-1")).hasMessage("key must start with guild-, got user-1");
            assertThatThrownBy(() -> store.put("user-1", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.remove("user-1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.update("user-1", () -> 1L)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.inTransaction(tx -> tx.get("user-1")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                        tx.put("user-1", "x");
                        return null;
                    }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(faulty.calls(Call.READ)).isZero();
            assertThat(faulty.calls(Call.WRITE)).isZero();
            assertThat(backend.snapshot()).containsExactly(Map.entry("guild-1", "channel-1"));

            checked.clear();
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(checked).as("checked on the miss only").containsExactly("guild-1");
            assertThatThrownBy(() -> builder().keyCheck(nullValue())).hasMessage("keyCheck must not be null");
        }

        @Test
        void nullKeysAndValuesAreRejected() {
            CachedKeyValueStore<String, String> store = builder().build();

            assertThatThrownBy(() -> store.get(nullValue())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.put("guild-1", nullValue()))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("use remove(key)");
            assertThat(backend.snapshot()).isEmpty();
        }
    }

    @Nested
    class StaleIfError {

        @Test
        void isOffByDefault() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store = builder().build();
            store.get("guild-1");
            ticker.advance(Duration.ofSeconds(61));
            faulty.failNext(Call.READ, StoreException.Reason.BUSY);

            assertThatThrownBy(() -> store.get("guild-1")).isInstanceOf(StoreException.class);
            assertThat(store.stats().staleServes()).isZero();
        }

        @Test
        void servesTheExpiredValueWithinTheWindowAndCountsIt() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store =
                    builder().serveStaleOnError(Duration.ofMinutes(5)).build();
            store.get("guild-1");
            faulty.failAlways(Call.READ, StoreException.Reason.BUSY);

            ticker.advance(Duration.ofSeconds(60 + 299));
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(store.stats().staleServes()).isEqualTo(1);

            ticker.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> store.get("guild-1")).isInstanceOf(StoreException.class);
        }

        @Test
        void neverServesAValueThatWasInvalidated() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store =
                    builder().serveStaleOnError(Duration.ofMinutes(5)).build();
            store.get("guild-1");
            store.invalidate("guild-1");
            faulty.failAlways(Call.READ, StoreException.Reason.BUSY);

            assertThatThrownBy(() -> store.get("guild-1")).isInstanceOf(StoreException.class);
            assertThat(store.stats().staleServes()).isZero();
        }

        @Test
        void aFreshReadAfterRecoveryReplacesTheStaleValue() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store =
                    builder().serveStaleOnError(Duration.ofMinutes(5)).build();
            store.get("guild-1");
            ticker.advance(Duration.ofSeconds(90));
            faulty.failNext(Call.READ, StoreException.Reason.BUSY);
            assertThat(store.get("guild-1")).contains("channel-1");
            backend.write("guild-1", "channel-2");

            assertThat(store.get("guild-1")).contains("channel-2");
            assertThat(store.get("guild-1")).contains("channel-2");
            assertThat(store.stats().hits()).isEqualTo(1);
        }
    }

    @Nested
    class Writing {

        @Test
        void aPutIsDurableAndVisibleWhenItReturns() {
            CachedKeyValueStore<String, String> store = builder().build();
            assertThat(store.get("guild-1")).isEmpty();

            store.put("guild-1", "channel-1");

            assertThat(backend.valueOf("guild-1")).contains("channel-1");
            assertThat(store.get("guild-1")).contains("channel-1");
        }

        @Test
        void writeThroughServesTheWrittenValueWithoutABackendRead() {
            CachedKeyValueStore<String, String> store =
                    builder().writePolicy(WritePolicy.WRITE_THROUGH).build();

            store.put("guild-1", "channel-1");
            store.remove("guild-2");

            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(store.get("guild-2")).isEmpty();
            assertThat(faulty.calls(Call.READ)).isZero();
        }

        @Test
        void aFailedWriteChangesNeitherTheCacheNorTheBackend() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store = builder().build();
            store.get("guild-1");
            faulty.failNext(Call.WRITE, StoreException.Reason.STORAGE_FULL);

            assertThatThrownBy(() -> store.put("guild-1", "channel-2"))
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.STORAGE_FULL));

            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(faulty.calls(Call.READ)).isEqualTo(1);
            assertThat(backend.valueOf("guild-1")).contains("channel-1");
            assertThat(store.stats())
                    .extracting(StoreStats::writes, StoreStats::writeFailures)
                    .containsExactly(0L, 1L);
        }

        @Test
        void aFailedUpdateChangesNothingAndASuccessfulOneDropsTheEntry() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store = builder().build();
            store.get("guild-1");
            StoreException refused = new StoreException(
                    StoreException.Reason.READ_ONLY, "read-only", new java.io.IOException("read-only"));

            assertThatThrownBy(() -> store.update("guild-1", () -> {
                        throw refused;
                    }))
                    .isSameAs(refused);
            assertThat(store.get("guild-1")).contains("channel-1");
            assertThat(faulty.calls(Call.READ)).isEqualTo(1);

            store.update("guild-1", () -> backend.write("guild-1", "channel-2"));
            assertThat(store.get("guild-1")).contains("channel-2");
            assertThat(store.stats())
                    .extracting(StoreStats::writes, StoreStats::writeFailures)
                    .containsExactly(1L, 1L);
        }

        @Test
        void aTransactionInvalidatesItsKeysOnlyAfterCommitAndReturnsTheWorksResult() {
            backend.write("a", "1");
            CachedKeyValueStore<String, String> store = builder().build();
            store.get("a");

            int result = store.inTransaction(tx -> {
                tx.put("a", "2");
                tx.put("b", "3");
                assertThat(store.get("a")).as("not invalidated before commit").contains("1");
                return 42;
            });

            assertThat(result).isEqualTo(42);
            assertThat(store.get("a")).contains("2");
            assertThat(store.get("b")).contains("3");
            assertThat(store.stats().writes()).isEqualTo(2);
        }

        @Test
        void aTransactionCannotBeUsedAfterItsWork() {
            CachedKeyValueStore<String, String> store = builder().build();
            AtomicReference<Transaction<String, String>> escaped = new AtomicReference<>();
            store.inTransaction(tx -> {
                escaped.set(tx);
                return null;
            });

            Transaction<String, String> afterwards = java.util.Objects.requireNonNull(escaped.get());
            assertThatThrownBy(() -> afterwards.put("a", "1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction has ended");
            assertThat(backend.snapshot()).isEmpty();
        }
    }

    @Nested
    class ExternalChanges {

        @Test
        void aChangeReportedByTheBackendDropsTheCachedValue() {
            backend.write("guild-1", "channel-1");
            CachedKeyValueStore<String, String> store = builder().build();
            store.get("guild-1");

            backend.writeExternally("guild-1", "channel-2");

            assertThat(store.get("guild-1")).contains("channel-2");
            assertThat(store.stats().externalChangesApplied()).isEqualTo(1);
        }

        @Test
        void aReportThatAnythingMayHaveChangedDropsTheWholeCache() {
            backend.write("a", "1");
            backend.write("b", "2");
            CachedKeyValueStore<String, String> store = builder().build();
            store.getAll(List.of("a", "b"));
            backend.write("a", "3");
            backend.write("b", "4");

            backend.reportAllChanged();

            assertThat(store.getAll(List.of("a", "b"))).containsExactly(Map.entry("a", "3"), Map.entry("b", "4"));
            assertThat(store.stats().externalFullInvalidations()).isEqualTo(1);
        }

        @Test
        void aClosedStoreNoLongerFollowsChangesAndRefusesToWork() {
            CachedKeyValueStore<String, String> store = builder().build();
            store.close();
            store.close();

            backend.writeExternally("guild-1", "channel-2");

            assertThat(store.stats().externalChangesApplied()).isZero();
            assertThatThrownBy(() -> store.get("guild-1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("guild-settings: the store is closed; build a new one to use it again");
            assertThatThrownBy(() -> store.put("guild-1", "x")).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * A backend that refuses input it cannot store (here, text with a '!') with an {@link
     * IllegalArgumentException} before touching its storage, as the database backends do with
     * malformed UTF-16, NUL and oversized keys.
     */
    @Nested
    class RefusedInput {

        private final Backend<String, String> refusing = new RefusingBackend(faulty);

        private CachedKeyValueStore<String, String> store(WritePolicy policy) {
            return CachedKeyValueStore.builder(refusing)
                    .expireAfterWrite(Duration.ofSeconds(60))
                    .ticker(ticker)
                    .executor(Runnable::run)
                    .writePolicy(policy)
                    .build();
        }

        @ParameterizedTest
        @ValueSource(strings = {"INVALIDATE", "WRITE_THROUGH"})
        void aRefusedWriteReachesTheCallerAsIsAndLeavesTheCacheAsItWas(String policy) {
            CachedKeyValueStore<String, String> store = store(WritePolicy.valueOf(policy));
            store.put("guild", "v1");
            assertThat(store.get("guild")).contains("v1");
            long reads = faulty.calls(Call.READ);

            assertThatThrownBy(() -> store.put("guild", "v2!"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value must not contain '!'");
            assertThatThrownBy(() -> store.put("guild!", "v2"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("key must not contain '!'");
            assertThatThrownBy(() -> store.remove("guild!"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("key must not contain '!'");

            assertThat(store.get("guild")).contains("v1");
            assertThat(faulty.calls(Call.READ)).as("reads after the refusals").isEqualTo(reads);
            assertThat(backend.valueOf("guild")).contains("v1");
            assertThat(store.stats().writeFailures()).isZero();
        }

        @Test
        void aRefusedReadReachesTheCallerAsIsAndIsNeitherCachedNorServedStale() {
            CachedKeyValueStore<String, String> store = CachedKeyValueStore.builder(refusing)
                    .ticker(ticker)
                    .executor(Runnable::run)
                    .serveStaleOnError(Duration.ofMinutes(5))
                    .build();

            assertThatThrownBy(() -> store.get("guild!"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("key must not contain '!'");
            assertThat(store.stats().loadFailures()).isZero();
        }

        @Test
        void aWriteRefusedInsideATransactionLeavesThatKeyCachedWhileTheOthersCommit() {
            CachedKeyValueStore<String, String> store = store(WritePolicy.INVALIDATE);
            store.put("guild", "v1");
            store.put("other", "o1");
            assertThat(store.get("guild")).contains("v1");
            long reads = faulty.calls(Call.READ);

            store.inTransaction(tx -> {
                tx.put("other", "o2");
                assertThatThrownBy(() -> tx.put("guild", "v2!")).isExactlyInstanceOf(IllegalArgumentException.class);
                return null;
            });

            assertThat(store.get("guild")).contains("v1");
            assertThat(faulty.calls(Call.READ)).as("reads of the refused key").isEqualTo(reads);
            assertThat(store.get("other")).contains("o2");
        }
    }

    /** Refuses keys and values holding '!', before calling the backend it wraps. */
    private record RefusingBackend(Backend<String, String> delegate) implements Backend<String, String> {
        private static String check(String text, String argument) {
            if (text.contains("!")) {
                throw new IllegalArgumentException(argument + " must not contain '!'");
            }
            return text;
        }

        @Override
        public java.util.Optional<dev.configstore.spi.Versioned<String>> read(String key) {
            return delegate.read(check(key, "key"));
        }

        @Override
        public long write(String key, String value) {
            return delegate.write(check(key, "key"), check(value, "value"));
        }

        @Override
        public long delete(String key) {
            return delegate.delete(check(key, "key"));
        }

        @Override
        public <T> T inTransaction(
                java.util.function.Function<? super dev.configstore.spi.BackendOperations<String, String>, ? extends T>
                        work) {
            return delegate.inTransaction(operations -> work.apply(new dev.configstore.spi.BackendOperations<>() {
                @Override
                public java.util.Optional<dev.configstore.spi.Versioned<String>> read(String key) {
                    return operations.read(check(key, "key"));
                }

                @Override
                public long write(String key, String value) {
                    return operations.write(check(key, "key"), check(value, "value"));
                }

                @Override
                public long delete(String key) {
                    return operations.delete(check(key, "key"));
                }
            }));
        }
    }

    @SuppressWarnings({"NullAway", "TypeParameterUnusedInFormals"})
    private static <T> T nullValue() {
        return null;
    }

    /** A backend whose every call throws the given exception. */
    private record ThrowingBackend(RuntimeException failure) implements Backend<String, String> {
        @Override
        public java.util.Optional<dev.configstore.spi.Versioned<String>> read(String key) {
            throw failure;
        }

        @Override
        public long write(String key, String value) {
            throw failure;
        }

        @Override
        public long delete(String key) {
            throw failure;
        }

        @Override
        public <T> T inTransaction(
                java.util.function.Function<? super dev.configstore.spi.BackendOperations<String, String>, ? extends T>
                        work) {
            throw failure;
        }
    }
}
