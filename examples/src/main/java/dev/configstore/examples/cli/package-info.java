/**
 * The {@code configstore} command-line tool: reads and changes a bot's settings in a SQLite
 * file, checks the file's health, exports and imports settings, and watches changes live.
 */
@NullMarked
package dev.configstore.examples.cli;

import org.jspecify.annotations.NullMarked;
