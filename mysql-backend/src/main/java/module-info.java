/**
 * configstore on MariaDB: {@link dev.configstore.mysql.MariaDbConfigStore} opens a database of a
 * MariaDB server, pooled and migrated, every failure translated, with a polled change feed that
 * keeps the caches of every process coherent.
 */
module dev.configstore.mysql {
    requires transitive dev.configstore;
    requires transitive java.sql;
    requires transitive dev.configstore.jdbc;
    requires org.mariadb.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports dev.configstore.mysql;
}
