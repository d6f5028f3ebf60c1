package dev.configstore.mysql;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildSettingsBackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresMariaDb
class MariaDbGuildSettingsBackendContractTest extends GuildSettingsBackendContractTest {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return DATABASES.freshGuildBackend();
    }
}
