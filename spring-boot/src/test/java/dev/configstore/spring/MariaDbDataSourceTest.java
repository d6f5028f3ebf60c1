package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.mysql.MariaDbConfigStore;
import dev.configstore.testkit.RequiresServer;

@RequiresServer(RequiresServer.Server.MARIADB)
class MariaDbDataSourceTest extends DataSourceStoreTests {

    @Override
    RequiresServer.Server server() {
        return RequiresServer.Server.MARIADB;
    }

    @Override
    String placeProperty() {
        return "configstore.mariadb.database";
    }

    @Override
    String dropPlace() {
        return "DROP DATABASE IF EXISTS " + PLACE;
    }

    @Override
    Class<? extends ConfigStore> storeType() {
        return MariaDbConfigStore.class;
    }
}
