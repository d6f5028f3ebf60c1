package dev.configstore.mysql;

import dev.configstore.spi.Backend;
import dev.configstore.testkit.BackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresMariaDb
class MariaDbBackendContractTest extends BackendContractTest<String, String> {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Override
    public Backend<String, String> createBackend() {
        return DATABASES.freshNamespace();
    }

    @Override
    public String key(int i) {
        return "key-" + i;
    }

    @Override
    public String value(int i) {
        return "value-" + i + (i % 3 == 0 ? " with ünicode, 'quotes' and \uD83D\uDE00" : "");
    }
}
