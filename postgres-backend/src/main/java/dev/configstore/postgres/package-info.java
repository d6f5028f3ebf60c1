/**
 * configstore on PostgreSQL. {@link dev.configstore.postgres.PostgresConfigStore} is the entry
 * point; everything else in this package is implementation.
 */
@NullMarked
package dev.configstore.postgres;

import org.jspecify.annotations.NullMarked;
