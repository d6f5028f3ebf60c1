/**
 * What configstore's SQL databases share: the key-value and guild-settings backends over JDBC,
 * written once and driven by a per-database {@link dev.configstore.jdbc.internal.SqlDialect}. Its
 * package is open only to configstore's database modules while the dialect settles.
 */
module dev.configstore.jdbc {
    requires transitive dev.configstore;
    requires transitive java.sql;

    exports dev.configstore.jdbc.internal to
            dev.configstore.sqlite,
            dev.configstore.postgres,
            dev.configstore.mysql;
}
