package dev.configstore.postgres;

import dev.configstore.spi.Backend;
import dev.configstore.testkit.BackendFixture;

/** String keys and values over a fresh namespace of a schema of the test server. */
interface PostgresKeyValueFixture extends BackendFixture<String, String> {

    /** The schemas of the test class; each test class registers its own. */
    TestSchemas schemas();

    @Override
    default Backend<String, String> createBackend() {
        return schemas().freshNamespace();
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
