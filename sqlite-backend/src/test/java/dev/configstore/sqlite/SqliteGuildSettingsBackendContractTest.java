package dev.configstore.sqlite;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildSettingsBackendContractTest;

class SqliteGuildSettingsBackendContractTest extends GuildSettingsBackendContractTest {

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return TestDatabases.freshGuildBackend();
    }
}
