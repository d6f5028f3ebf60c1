package dev.configstore.sqlite;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildFacadeTests;

class SqliteGuildFacadeTest extends GuildFacadeTests {

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return TestDatabases.freshGuildBackend();
    }
}
