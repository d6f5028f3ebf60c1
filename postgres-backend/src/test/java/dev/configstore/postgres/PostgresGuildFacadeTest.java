package dev.configstore.postgres;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildFacadeTests;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPostgres
class PostgresGuildFacadeTest extends GuildFacadeTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return SCHEMAS.freshGuildBackend();
    }
}
