package dev.configstore.mysql;

import dev.configstore.testkit.RequiresServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class only if the MariaDB test server answers ({@code CONFIGSTORE_MYSQL_URL}); see
 * {@link RequiresServer} for what happens otherwise and {@code CONFIGSTORE_REQUIRE_MYSQL}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RequiresServer(RequiresServer.Server.MARIADB)
@interface RequiresMariaDb {}
