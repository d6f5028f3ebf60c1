package dev.configstore.postgres;

import dev.configstore.testkit.StoreRaceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresStoreRaceTest extends StoreRaceTests<String, String> implements PostgresKeyValueFixture {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    @Override
    public TestSchemas schemas() {
        return SCHEMAS;
    }
}
