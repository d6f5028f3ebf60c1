/**
 * What a durable backend implements so that a {@link dev.configstore.CachedKeyValueStore} can
 * sit in front of it. A backend reads and writes one key at a time, reports a version for every
 * change, runs transactions and, optionally, reports changes made by other processes. It knows
 * nothing about caching.
 */
@NullMarked
package dev.configstore.spi;

import org.jspecify.annotations.NullMarked;
