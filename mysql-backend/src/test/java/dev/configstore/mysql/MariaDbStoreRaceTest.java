package dev.configstore.mysql;

import dev.configstore.testkit.StoreRaceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The forced race interleavings of the store, on MariaDB. */
@RequiresMariaDb
class MariaDbStoreRaceTest extends StoreRaceTests<String, String> implements MariaDbKeyValueFixture {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Override
    public TestDatabases databases() {
        return DATABASES;
    }
}
