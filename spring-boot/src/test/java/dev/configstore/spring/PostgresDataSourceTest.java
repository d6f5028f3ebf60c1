package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.testkit.RequiresServer;

@RequiresServer(RequiresServer.Server.POSTGRES)
class PostgresDataSourceTest extends DataSourceStoreTests {

    @Override
    RequiresServer.Server server() {
        return RequiresServer.Server.POSTGRES;
    }

    @Override
    String placeProperty() {
        return "configstore.postgres.schema";
    }

    @Override
    String dropPlace() {
        return "DROP SCHEMA IF EXISTS " + PLACE + " CASCADE";
    }

    @Override
    Class<? extends ConfigStore> storeType() {
        return PostgresConfigStore.class;
    }
}
