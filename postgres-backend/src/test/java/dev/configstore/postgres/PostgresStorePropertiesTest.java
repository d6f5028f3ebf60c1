package dev.configstore.postgres;

import dev.configstore.testkit.StoreProperties;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresStorePropertiesTest extends StoreProperties<String, String> implements PostgresKeyValueFixture {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    @Override
    public TestSchemas schemas() {
        return SCHEMAS;
    }

    /**
     * Every step is several round trips to the server (the property reads the backend after each
     * one): 200 sequences per property keep this class near 20 s on a two-core machine. The
     * in-memory backend runs the full 1,000; {@code -Dconfigstore.properties.examples=N} runs more
     * here.
     */
    @Override
    protected int examples() {
        return Integer.getInteger("configstore.properties.examples", 200);
    }
}
