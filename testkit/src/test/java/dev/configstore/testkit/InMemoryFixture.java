package dev.configstore.testkit;

import dev.configstore.spi.Backend;

/** Keys and values for running the shared backend tests over {@link InMemoryBackend}. */
interface InMemoryFixture extends BackendFixture<String, String> {

    @Override
    default Backend<String, String> createBackend() {
        return InMemoryBackend.create();
    }

    @Override
    default String key(int i) {
        return "key-" + i;
    }

    @Override
    default String value(int i) {
        return "value-" + i;
    }
}
