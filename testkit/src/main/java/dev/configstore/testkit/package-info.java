/**
 * Test support for configstore and for anyone writing a backend: an in-memory backend, a
 * fault-injecting wrapper that can fail or pause any backend call, a ticker tests advance by
 * hand, and the abstract test classes every backend must pass ({@link
 * dev.configstore.testkit.BackendContractTest}, {@link dev.configstore.testkit.StoreProperties},
 * {@link dev.configstore.testkit.StoreRaceTests}).
 */
@NullMarked
package dev.configstore.testkit;

import org.jspecify.annotations.NullMarked;
