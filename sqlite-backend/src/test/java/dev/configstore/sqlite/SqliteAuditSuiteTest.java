package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.testkit.AuditTests;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The audit trail's suite on a SQLite file of its own per test. */
class SqliteAuditSuiteTest extends AuditTests {

    private final Path file = TestDatabases.newFile();

    @Override
    protected StoreBuilder<?, ?> builder() {
        return SqliteConfigStore.builder(file).manualChangeFeed();
    }

    @Override
    protected void sql(String... statements) throws Exception {
        SqliteSettingsSuiteTest.sql(file, statements);
    }

    @Override
    protected void refuseValue(String text) throws Exception {
        SqliteSettingsSuiteTest.refuseValue(file, text);
    }

    @Test
    void pruningTheChangeLogLeavesTheAuditTrailAlone() throws Exception {
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).manualChangeFeed().build()) {
            store.keyValueStore("prefs").put("lang", "de");
            store.keyValueStore("prefs").put("lang", "fr");

            store.pruneChangeLogNow(0, Duration.ZERO, 0);

            assertThat(store.history(HistoryQuery.namespace("prefs"))).hasSize(2);
        }
    }
}
