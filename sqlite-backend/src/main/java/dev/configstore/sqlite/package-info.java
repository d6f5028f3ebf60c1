/**
 * configstore on a SQLite file. {@link dev.configstore.sqlite.SqliteConfigStore} is the entry
 * point; everything else in this package is implementation.
 */
@NullMarked
package dev.configstore.sqlite;

import org.jspecify.annotations.NullMarked;
