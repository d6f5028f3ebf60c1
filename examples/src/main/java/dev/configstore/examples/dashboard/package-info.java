/**
 * An example web dashboard for a bot's declared settings: a guild list, each guild's settings with
 * their provenance, rules and history, an edit form saved as one conditional update, and live
 * updates when another process changes a value. See {@code docs/dashboard.md}.
 */
@NullMarked
package dev.configstore.examples.dashboard;

import org.jspecify.annotations.NullMarked;
