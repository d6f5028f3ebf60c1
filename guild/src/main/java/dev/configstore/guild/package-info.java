/**
 * Typed, validated per-guild settings for chat bots, built on {@link
 * dev.configstore.CachedKeyValueStore}.
 */
@NullMarked
package dev.configstore.guild;

import org.jspecify.annotations.NullMarked;
