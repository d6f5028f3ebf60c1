/**
 * The JDBC layer configstore's SQL databases share. A database module supplies a {@link
 * dev.configstore.jdbc.internal.JdbcDatabase} (its pool, its transactions and its error
 * translation), a {@link dev.configstore.jdbc.internal.SqlDialect} (the few pieces of SQL that
 * differ) and its change feed ({@link dev.configstore.jdbc.internal.ChangeFeed}); the backends here
 * do the rest. Not an API: only configstore's database modules may use it.
 */
@NullMarked
package dev.configstore.jdbc.internal;

import org.jspecify.annotations.NullMarked;
