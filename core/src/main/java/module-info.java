/**
 * configstore core: a cache in front of a durable key-value backend that never serves a value
 * the backend no longer holds once a write has returned.
 *
 * <p>{@code dev.configstore} holds the store, its errors and statistics; {@code
 * dev.configstore.spi} what a backend implements.
 */
module dev.configstore {
    requires transitive org.jspecify;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports dev.configstore;
    exports dev.configstore.spi;
    // Argument checks shared with configstore's own backend modules; not API.
    exports dev.configstore.internal to
            dev.configstore.guild,
            dev.configstore.jdbc,
            dev.configstore.sqlite,
            dev.configstore.postgres,
            dev.configstore.mysql;
}
