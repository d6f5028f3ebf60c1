/**
 * What every SQL database's store offers: {@link dev.configstore.jdbc.ConfigStore}, implemented
 * by {@code SqliteConfigStore} and {@code PostgresConfigStore}, so that code written against it
 * runs unchanged on either.
 */
@NullMarked
package dev.configstore.jdbc;

import org.jspecify.annotations.NullMarked;
