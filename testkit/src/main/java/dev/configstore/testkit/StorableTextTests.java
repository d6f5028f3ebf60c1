package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.WritePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a database's string key-value stores do with text they cannot store exactly: a lone UTF-16
 * surrogate, NUL, a key longer than 1024 bytes of UTF-8. Each is refused with an {@link
 * IllegalArgumentException} naming the argument and the rule, before the database is used, so
 * that neither the database nor the cache changes, on every database alike.
 *
 * <p>A database module extends this class and says how to open a store of a fresh namespace and
 * how to read that namespace's rows straight from the database.
 */
public abstract class StorableTextTests {

    /** The largest key every database stores, in bytes of UTF-8. */
    protected static final int MAX_KEY_BYTES = 1024;

    /** Creates the suite. */
    protected StorableTextTests() {}

    /**
     * Opens the store of a namespace no other test uses, with the given write policy; the same
     * namespace on every call within one test.
     *
     * @param policy the write policy
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract CachedKeyValueStore<String, String> store(WritePolicy policy) throws Exception;

    /**
     * Reads the rows of the test's namespace straight from the database, bypassing every cache.
     *
     * @return each key with a value, with its value
     * @throws Exception if they cannot be read
     */
    protected abstract Map<String, String> storedRows() throws Exception;

    @ParameterizedTest
    @ValueSource(strings = {"INVALIDATE", "WRITE_THROUGH"})
    void aLoneSurrogateInAKeyIsRefusedSoThatDistinctKeysNeverCollide(String policy) throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.valueOf(policy));
        store.put("a?", "question mark");

        assertThatThrownBy(() -> store.put("a\uD800", "surrogate"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must be well-formed UTF-16, but has a lone high surrogate \\uD800 at index 1: it has"
                        + " no UTF-8 form and would be stored as '?'. Pass text whose surrogates come in high-low"
                        + " pairs.");
        assertThatThrownBy(() -> store.get("a\uDC00"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "key must be well-formed UTF-16, but has a lone low surrogate \\uDC00 at index 1");
        assertThatThrownBy(() -> store.remove("\uDC00\uD800"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "key must be well-formed UTF-16, but has a lone low surrogate \\uDC00 at index 0");

        assertThat(store.get("a?")).contains("question mark");
        assertThat(storedRows()).isEqualTo(Map.of("a?", "question mark"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALIDATE", "WRITE_THROUGH"})
    void aLoneSurrogateInAValueIsRefusedAndTheCacheKeepsWhatTheDatabaseHolds(String policy) throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.valueOf(policy));
        store.put("greeting", "hello");
        assertThat(store.get("greeting")).contains("hello");

        assertThatThrownBy(() -> store.put("greeting", "bye \uD83D"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "value must be well-formed UTF-16, but has a lone high surrogate \\uD83D at" + " index 4");

        assertThat(store.get("greeting")).contains("hello");
        assertThat(storedRows()).isEqualTo(Map.of("greeting", "hello"));
    }

    @Test
    void wellFormedPairsAndOtherScriptsAreStoredExactly() throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.INVALIDATE);
        String key = "clé-\uD83D\uDE00-键";
        String value = "\uD83D\uDE80 ünïcödé \u0663\u0660";

        store.put(key, value);

        assertThat(storedRows()).isEqualTo(Map.of(key, value));
        assertThat(store.get(key)).contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALIDATE", "WRITE_THROUGH"})
    void nulIsRefusedInKeysAndValuesOnEveryDatabase(String policy) throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.valueOf(policy));
        store.put("greeting", "hello");

        assertThatThrownBy(() -> store.put("greet\0ing", "hello"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not contain the NUL character (U+0000), found at index 5: PostgreSQL cannot"
                        + " store it, and configstore refuses it on every database. Remove it, or encode the key (for"
                        + " example in Base64).");
        assertThatThrownBy(() -> store.put("greeting", "bye\0"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value must not contain the NUL character (U+0000), found at index 3");
        assertThatThrownBy(() -> store.get("\0"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key must not contain the NUL character");

        assertThat(store.get("greeting")).contains("hello");
        assertThat(storedRows()).isEqualTo(Map.of("greeting", "hello"));
    }

    @Test
    void aKeyOfTheLargestSizeIsStoredAndOneByteMoreIsRefused() throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.INVALIDATE);
        // Text that does not compress, as a database's index would hold it.
        StringBuilder largest = new StringBuilder();
        for (long x = 1; largest.length() < MAX_KEY_BYTES; x = x * 6364136223846793005L + 1442695040888963407L) {
            largest.append((char) ('!' + Math.floorMod(x >>> 33, 94)));
        }
        String tooLarge = "é".repeat(MAX_KEY_BYTES / 2 - 1) + "abc";

        store.put(largest.toString(), "fits");

        assertThatThrownBy(() -> store.put(tooLarge, "does not fit"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must be at most 1024 bytes in UTF-8, got 1025 bytes (starting \"" + "é".repeat(20)
                        + "\"). Use a shorter key, such as a hash of this one.");
        assertThatThrownBy(() -> store.remove(tooLarge)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(storedRows()).isEqualTo(Map.of(largest.toString(), "fits"));
        assertThat(store.get(largest.toString())).contains("fits");
    }

    @Test
    void aRefusedWriteInsideATransactionWritesNothingWhenTheWorkLetsItThrow() throws Exception {
        CachedKeyValueStore<String, String> store = store(WritePolicy.INVALIDATE);
        store.put("greeting", "hello");

        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.put("other", "value");
                    tx.put("greeting", "bye\uDFFF");
                    return null;
                }))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value must be well-formed UTF-16");

        assertThat(storedRows()).isEqualTo(Map.of("greeting", "hello"));
        assertThat(store.get("other")).isEmpty();
    }
}
