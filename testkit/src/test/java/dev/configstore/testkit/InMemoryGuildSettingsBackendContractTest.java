package dev.configstore.testkit;

import dev.configstore.guild.GuildSettingsBackend;

class InMemoryGuildSettingsBackendContractTest extends GuildSettingsBackendContractTest {

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return InMemoryGuildSettingsBackend.create();
    }
}
