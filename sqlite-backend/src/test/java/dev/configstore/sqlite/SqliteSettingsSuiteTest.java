package dev.configstore.sqlite;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.internal.JdbcSettings;
import dev.configstore.settings.Settings;
import dev.configstore.testkit.SettingsTests;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.function.Consumer;

/** The declared settings' suite on a SQLite file of its own per test. */
class SqliteSettingsSuiteTest extends SettingsTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }

    @Override
    protected void pollChangesNow(ConfigStore store) {
        ((SqliteConfigStore) store).pollChangesNow();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        sql(file, statements);
    }

    /** Runs statements on {@code file} by hand, each committed. */
    static void sql(Path file, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=5000");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        refuseValue(file, text);
    }

    /** Makes {@code file} refuse every insert or update of configstore_settings storing {@code text}. */
    static void refuseValue(Path file, String text) throws Exception {
        for (String change : new String[] {"INSERT", "UPDATE"}) {
            sql(
                    file,
                    "CREATE TRIGGER test_refuse_" + change.toLowerCase(java.util.Locale.ROOT) + " BEFORE " + change
                            + " ON configstore_settings WHEN NEW.value = '" + text
                            + "' BEGIN SELECT RAISE(ABORT, 'refused by"
                            + " the test'); END");
        }
    }

    @Override
    protected int propertyExamples() {
        return 400;
    }

    @Override
    protected void afterGuildRead(Settings settings, Consumer<String> hook) {
        ((JdbcSettings) settings).afterGuildReadForTests(hook);
    }
}
