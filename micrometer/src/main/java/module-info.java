/** Micrometer meters for configstore's statistics. */
module dev.configstore.micrometer {
    requires transitive dev.configstore;
    requires transitive micrometer.core;

    exports dev.configstore.micrometer;
}
