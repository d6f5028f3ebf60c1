package dev.configstore.postgres;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildSettingsBackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresGuildSettingsBackendContractTest extends GuildSettingsBackendContractTest {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return SCHEMAS.freshGuildBackend();
    }
}
