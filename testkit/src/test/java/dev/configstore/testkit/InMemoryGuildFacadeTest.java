package dev.configstore.testkit;

import dev.configstore.guild.GuildSettingsBackend;

class InMemoryGuildFacadeTest extends GuildFacadeTests {

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return InMemoryGuildSettingsBackend.create();
    }
}
