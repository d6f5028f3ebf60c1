/**
 * Micrometer meters for configstore: {@link dev.configstore.micrometer.StoreMetrics} for one
 * cache, {@link dev.configstore.micrometer.ConfigStoreMetrics} for a whole {@code ConfigStore}
 * (every cache, the change feed, the connection pool).
 */
// micrometer-core is an automatic module. The database side is needed only by ConfigStoreMetrics,
// and an application that has a ConfigStore has it: StoreMetrics works without it.
module dev.configstore.micrometer {
    requires transitive dev.configstore;
    requires transitive micrometer.core;
    requires static transitive dev.configstore.jdbc;
    requires static com.zaxxer.hikari;

    exports dev.configstore.micrometer;
}
