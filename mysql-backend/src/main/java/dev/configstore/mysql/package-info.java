/**
 * configstore on MariaDB. This release holds the implementation only (the database, its SQL,
 * migrations, errors and change feed); the store type that opens it comes next.
 */
@NullMarked
package dev.configstore.mysql;

import org.jspecify.annotations.NullMarked;
