/** Tests of configstore on MariaDB, against a real server. */
@NullMarked
package dev.configstore.mysql;

import org.jspecify.annotations.NullMarked;
