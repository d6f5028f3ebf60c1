package dev.configstore.mysql;

import dev.configstore.spi.Backend;
import dev.configstore.testkit.BackendFixture;

/** String keys and values over a fresh namespace of a database of the test server. */
interface MariaDbKeyValueFixture extends BackendFixture<String, String> {

    /** The databases of the test class; each test class registers its own. */
    TestDatabases databases();

    @Override
    default Backend<String, String> createBackend() {
        return databases().freshNamespace();
    }

    @Override
    default String key(int i) {
        return "key-" + i;
    }

    @Override
    default String value(int i) {
        return "value-" + i + (i % 3 == 0 ? " with ünicode, 'quotes' and \uD83D\uDE00" : "");
    }
}
