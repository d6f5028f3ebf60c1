package dev.configstore.mysql;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.internal.JdbcSettings;
import dev.configstore.settings.Settings;
import dev.configstore.testkit.SettingsTests;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The declared settings' suite on a MariaDB database of its own per test. */
@RequiresMariaDb
class MariaDbSettingsSuiteTest extends SettingsTests {

    @RegisterExtension
    static final TestDatabases DATABASES = new TestDatabases();

    private final String database = DATABASES.newName();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return MariaDbConfigStore.builder(TestServer.dataSource())
                .database(database)
                .manualChangeFeed();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((MariaDbConfigStore) store).pollChangesNow();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        sql(database, statements);
    }

    /** Runs statements with configstore's tables in them qualified by {@code database}, each committed. */
    static void sql(String database, String... statements) throws Exception {
        String[] qualified = new String[statements.length];
        for (int i = 0; i < statements.length; i++) {
            // MariaDB reserves the word key.
            qualified[i] = statements[i]
                    .replace("configstore_settings", "`" + database + "`.configstore_settings")
                    .replace("guild_config", "`" + database + "`.guild_config")
                    .replace("configstore_audit", "`" + database + "`.configstore_audit")
                    .replace(" key", " `key`");
        }
        TestServer.sql(qualified);
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        refuseValue(database, text);
    }

    /** Makes {@code database} refuse every insert or update of configstore_settings storing {@code text}. */
    static void refuseValue(String database, String text) throws Exception {
        for (String change : new String[] {"INSERT", "UPDATE"}) {
            TestServer.sql("CREATE TRIGGER `" + database + "`.test_refuse_" + change.toLowerCase(java.util.Locale.ROOT)
                    + " BEFORE " + change + " ON `" + database + "`.configstore_settings FOR EACH ROW IF NEW.value = '"
                    + text + "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF");
        }
    }

    @Override
    protected int propertyExamples() {
        return 300;
    }

    @Override
    protected void afterGuildRead(Settings settings, Consumer<String> hook) {
        ((JdbcSettings) settings).afterGuildReadForTests(hook);
    }
}
