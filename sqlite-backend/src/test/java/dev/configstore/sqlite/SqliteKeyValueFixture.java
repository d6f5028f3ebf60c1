package dev.configstore.sqlite;

import dev.configstore.spi.Backend;
import dev.configstore.testkit.BackendFixture;

/** String keys and values over a fresh namespace of a real SQLite file. */
interface SqliteKeyValueFixture extends BackendFixture<String, String> {

    @Override
    default Backend<String, String> createBackend() {
        return TestDatabases.freshNamespace();
    }

    @Override
    default String key(int i) {
        return "key-" + i;
    }

    @Override
    default String value(int i) {
        return "value-" + i + (i % 3 == 0 ? " with ünicode and 'quotes'" : "");
    }
}
