/**
 * The cached store: {@link dev.configstore.CachedKeyValueStore} and what it returns and throws.
 *
 * <p>The guarantee, in one sentence: once {@code put} or {@code remove} has returned, no
 * {@code get} on the same store serves the value it replaced, whether the write failed, a read
 * raced it, or (within the change feed's bound) another process made it. {@code docs/contract.md}
 * lists every rule and the test that proves it.
 */
@NullMarked
package dev.configstore;

import org.jspecify.annotations.NullMarked;
