/**
 * configstore on a SQLite file: {@link dev.configstore.sqlite.SqliteConfigStore} opens (or
 * creates) the file, migrates it, pools connections and hands out cached stores.
 */
module dev.configstore.sqlite {
    requires transitive dev.configstore;
    requires transitive java.sql;
    requires transitive dev.configstore.jdbc;
    requires org.xerial.sqlitejdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports dev.configstore.sqlite;
}
