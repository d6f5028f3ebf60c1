package dev.configstore.testkit;

import dev.configstore.StoreException;
import dev.configstore.testkit.FaultyBackend.Call;
import java.util.List;
import java.util.Optional;

/**
 * One step of a random operation sequence in the property tests. Keys and values are indexes
 * into the fixture's keys and values, so that counterexamples read as small numbers.
 */
sealed interface StoreOp {

    /** {@code store.get(key)}. */
    record Get(int key) implements StoreOp {}

    /** {@code store.getAll(keys)}. */
    record GetAll(List<Integer> keys) implements StoreOp {}

    /** {@code store.put(key, value)}. */
    record Put(int key, int value) implements StoreOp, TxStep {}

    /** {@code store.remove(key)}. */
    record Remove(int key) implements StoreOp, TxStep {}

    /** {@code store.invalidate(key)}. */
    record Invalidate(int key) implements StoreOp {}

    /** {@code store.invalidateAll()}. */
    record InvalidateAll() implements StoreOp {}

    /** Advance the ticker. */
    record Tick(int seconds) implements StoreOp {}

    /** Script the next backend call of a kind to fail. */
    record Fail(Call call, StoreException.Reason reason) implements StoreOp {}

    /** Script the next change of a kind to be applied and then fail with an unknown outcome. */
    record FailAfterApplying(Call call) implements StoreOp {}

    /** Another process changes the backend; no change feed tells the store. */
    record ExternalChange(int key, Optional<Integer> value) implements StoreOp {}

    /** {@code store.inTransaction(...)} with the given steps, rolled back at the end if asked. */
    record Tx(List<TxStep> steps, boolean rollBack) implements StoreOp {}

    /** A change inside a transaction. */
    sealed interface TxStep permits Put, Remove {}
}
