/**
 * Test support for configstore and its backends: an in-memory backend, a fault-injecting
 * wrapper, a hand-driven ticker, and the contract, property and race tests every backend runs.
 */
module dev.configstore.testkit {
    requires transitive dev.configstore;
    requires transitive dev.configstore.jdbc;
    requires java.sql;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires org.assertj.core;
    requires quicktheories;

    exports dev.configstore.testkit;

    opens dev.configstore.testkit to
            org.junit.platform.commons;
}
