package dev.configstore.postgres;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.internal.JdbcSettings;
import dev.configstore.settings.Settings;
import dev.configstore.testkit.SettingsTests;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The declared settings' suite on a PostgreSQL schema of its own per test. */
@RequiresPostgres
class PostgresSettingsSuiteTest extends SettingsTests {

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .manualChangeFeed();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((PostgresConfigStore) store).pollChangesNow();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        sql(schema, statements);
    }

    /** Runs statements with configstore's tables in them qualified by {@code schema}, each committed. */
    static void sql(String schema, String... statements) throws Exception {
        String[] qualified = new String[statements.length];
        for (int i = 0; i < statements.length; i++) {
            qualified[i] = statements[i]
                    .replace("configstore_settings", "\"" + schema + "\".configstore_settings")
                    .replace("guild_config", "\"" + schema + "\".guild_config")
                    .replace("TABLE configstore_audit", "TABLE \"" + schema + "\".configstore_audit");
        }
        TestServer.sql(qualified);
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        refuseValue(schema, text);
    }

    /** Makes {@code schema} refuse every insert or update of configstore_settings storing {@code text}. */
    static void refuseValue(String schema, String text) throws Exception {
        TestServer.sql(
                "CREATE FUNCTION \"" + schema + "\".test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF"
                        + " NEW.value = '" + text + "' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW;"
                        + " END $$",
                "CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON \"" + schema + "\".configstore_settings FOR"
                        + " EACH ROW EXECUTE FUNCTION \"" + schema + "\".test_refuse()");
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
