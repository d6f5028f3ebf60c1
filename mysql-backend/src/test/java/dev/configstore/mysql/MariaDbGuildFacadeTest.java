package dev.configstore.mysql;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.testkit.GuildFacadeTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guild facades' suite over MariaDB's guild table. */
@RequiresMariaDb
class MariaDbGuildFacadeTest extends GuildFacadeTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    @Override
    protected GuildSettingsBackend createGuildBackend() {
        return DATABASES.freshGuildBackend();
    }
}
