/**
 * configstore on PostgreSQL: {@link dev.configstore.postgres.PostgresConfigStore} migrates a
 * schema, pools connections, hands out cached stores and keeps every process's caches coherent
 * through LISTEN/NOTIFY.
 */
// The PostgreSQL driver names its module in its manifest (an automatic module); it has no
// module-info of its own to require instead.
@SuppressWarnings("requires-automatic")
module dev.configstore.postgres {
    requires transitive dev.configstore;
    requires transitive java.sql;
    requires transitive dev.configstore.jdbc;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports dev.configstore.postgres;
}
