package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import javax.sql.DataSource;

/** Opens a PostgreSQL store; loaded only when configstore-postgres is on the class path. */
final class PostgresStores {

    private PostgresStores() {}

    static ConfigStore open(DataSource dataSource, ConfigStoreProperties properties) {
        PostgresConfigStore.Builder builder = PostgresConfigStore.builder(dataSource);
        String schema = properties.getPostgres().getSchema();
        StoreOpener.setting("configstore.postgres.schema", schema, () -> builder.schema(schema));
        return StoreOpener.build(builder, properties);
    }
}
