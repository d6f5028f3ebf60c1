package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every database's store offers for the namespaces of {@code configstore_kv} beyond their
 * cached stores: listing a namespace's keys from the table, and watching the changes other
 * processes make to one namespace.
 *
 * <p>A database module extends this class and says how to open a store on the test's database
 * with its change feed driven by hand.
 */
public abstract class NamespaceTests {

    /** Creates the suite. */
    protected NamespaceTests() {}

    /** A store of the database under test, as the suite uses it. */
    protected interface OpenStore extends AutoCloseable {
        /**
         * The cached store of a namespace.
         *
         * @param namespace the namespace
         * @return its store
         */
        CachedKeyValueStore<String, String> keyValueStore(String namespace);

        /**
         * A page of a namespace's keys, from the table.
         *
         * @param namespace the namespace
         * @param offset keys skipped
         * @param limit keys at most
         * @return the keys
         */
        List<String> keys(String namespace, long offset, int limit);

        /**
         * Watches the changes others make to a namespace.
         *
         * @param namespace the namespace
         * @param listener what to call
         * @return the subscription
         */
        ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener);

        /** Reads the change log once, now. */
        void pollChangesNow();

        @Override
        void close();
    }

    /**
     * Opens a store on the test's database (the same database on every call within one test),
     * with its change feed driven by {@link OpenStore#pollChangesNow()}.
     *
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected abstract OpenStore open() throws Exception;

    @Test
    void aNamespacesKeysAreListedInOrderAPageAtATimeWithoutRemovedOnes() throws Exception {
        try (OpenStore store = open()) {
            CachedKeyValueStore<String, String> welcome = store.keyValueStore("welcome");
            for (String key : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
                welcome.put(key, "value of " + key);
            }
            welcome.remove("charlie");
            store.keyValueStore("other").put("aaa", "elsewhere");

            assertThat(store.keys("welcome", 0, 3)).containsExactly("alpha", "bravo", "delta");
            assertThat(store.keys("welcome", 3, 3)).containsExactly("echo");
            assertThat(store.keys("empty", 0, 10)).isEmpty();
            assertThatThrownBy(() -> store.keys("welcome", -1, 3)).hasMessage("offset must not be negative, got -1");
            assertThatThrownBy(() -> store.keys("welcome", 0, 10_001))
                    .hasMessage("limit must be between 1 and 10000, got 10001");
            assertThatThrownBy(() -> store.keys("no spaces", 0, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace must be 1 to 64 letters");
        }
    }

    @Test
    void aWatcherGetsTheChangesOthersMakeToItsNamespaceOnly() throws Exception {
        try (OpenStore writer = open();
                OpenStore reader = open()) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            ChangeSubscription subscription = reader.watchKeyValueChanges("welcome", new ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    seen.add(key);
                }

                @Override
                public void allChanged() {
                    seen.add("*");
                }
            });

            writer.keyValueStore("welcome").put("greeting", "hello");
            writer.keyValueStore("other").put("greeting", "hello");
            writer.keyValueStore("welcome").remove("farewell");
            reader.pollChangesNow();

            assertThat(seen).containsExactly("greeting", "farewell");
            subscription.cancel();
            writer.keyValueStore("welcome").put("greeting", "hi");
            reader.pollChangesNow();
            assertThat(seen).containsExactly("greeting", "farewell");
            assertThatThrownBy(() -> reader.watchKeyValueChanges("no spaces", new ChangeListener<>() {
                        @Override
                        public void keyChanged(String key) {}

                        @Override
                        public void allChanged() {}
                    }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
