package dev.configstore.postgres;

import dev.configstore.testkit.RequiresServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class only if the PostgreSQL test server answers ({@code CONFIGSTORE_PG_URL}); see
 * {@link RequiresServer} for what happens otherwise and {@code CONFIGSTORE_REQUIRE_PG}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RequiresServer(RequiresServer.Server.POSTGRES)
@interface RequiresPostgres {}
