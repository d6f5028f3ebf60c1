/**
 * What configstore's SQL databases share: {@link dev.configstore.jdbc.ConfigStore}, the store type
 * every database's store implements; and, in a package open only to configstore's database modules
 * while the dialect settles, the key-value and guild-settings backends over JDBC, written once and
 * driven by a per-database {@link dev.configstore.jdbc.internal.SqlDialect}.
 */
module dev.configstore.jdbc {
    requires transitive dev.configstore;
    requires transitive dev.configstore.guild;
    requires transitive java.sql;
    requires org.slf4j;
    // The pool's metrics tracker is part of ConfigStore's API (trackPoolMetrics).
    requires transitive com.zaxxer.hikari;

    exports dev.configstore.jdbc;
    exports dev.configstore.jdbc.internal to
            dev.configstore.sqlite,
            dev.configstore.postgres,
            dev.configstore.mysql;
}
