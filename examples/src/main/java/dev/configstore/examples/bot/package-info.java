/**
 * An example Discord bot (on JDA) that reads its per-guild settings from configstore on every
 * message and changes them with {@code /config} slash commands.
 */
@NullMarked
package dev.configstore.examples.bot;

import org.jspecify.annotations.NullMarked;
