/** Micrometer meters for a {@link dev.configstore.CachedKeyValueStore}'s statistics. */
@NullMarked
package dev.configstore.micrometer;

import org.jspecify.annotations.NullMarked;
