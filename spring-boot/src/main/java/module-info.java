/**
 * Spring Boot auto-configuration for configstore: see {@link
 * dev.configstore.spring.ConfigStoreAutoConfiguration}.
 */
// Spring's jars are automatic modules. The database modules, Micrometer and Spring Boot's health
// module are optional: the application brings those it uses.
module dev.configstore.spring {
    requires transitive dev.configstore.jdbc;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires spring.beans;
    requires spring.core;
    requires java.sql;
    requires static dev.configstore.sqlite;
    requires static dev.configstore.postgres;
    requires static dev.configstore.mysql;
    requires static dev.configstore.micrometer;
    requires static micrometer.core;
    requires static spring.boot.health;
    requires static com.fasterxml.jackson.annotation;

    exports dev.configstore.spring;

    opens dev.configstore.spring to
            spring.core,
            spring.beans,
            spring.context;
}
