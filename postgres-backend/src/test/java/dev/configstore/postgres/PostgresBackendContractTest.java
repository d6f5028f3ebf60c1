package dev.configstore.postgres;

import dev.configstore.testkit.BackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresBackendContractTest extends BackendContractTest<String, String> implements PostgresKeyValueFixture {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    @Override
    public TestSchemas schemas() {
        return SCHEMAS;
    }
}
