package dev.configstore.mysql;

import dev.configstore.testkit.StoreProperties;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's contract as properties over random operations, on MariaDB. */
@RequiresMariaDb
class MariaDbStorePropertiesTest extends StoreProperties<String, String> implements MariaDbKeyValueFixture {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Override
    public TestDatabases databases() {
        return DATABASES;
    }

    /**
     * Every step is several round trips to the server: 200 sequences per property, as on
     * PostgreSQL; {@code -Dconfigstore.properties.examples=N} runs more.
     */
    @Override
    protected int examples() {
        return Integer.getInteger("configstore.properties.examples", 200);
    }
}
