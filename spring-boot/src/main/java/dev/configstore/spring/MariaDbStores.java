package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.mysql.MariaDbConfigStore;
import javax.sql.DataSource;

/** Opens a MariaDB store; loaded only when configstore-mysql is on the class path. */
final class MariaDbStores {

    private MariaDbStores() {}

    static ConfigStore open(DataSource dataSource, ConfigStoreProperties properties) {
        MariaDbConfigStore.Builder builder = MariaDbConfigStore.builder(dataSource);
        String database = properties.getMariadb().getDatabase();
        StoreOpener.setting("configstore.mariadb.database", database, () -> builder.database(database));
        return StoreOpener.build(builder, properties);
    }
}
