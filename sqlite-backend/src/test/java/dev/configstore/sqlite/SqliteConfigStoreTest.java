package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteConfigStoreTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";

    @TempDir
    Path folder;

    @Test
    void opensANewFileInFoldersThatDoNotExistYetAndKeepsWhatIsWritten() {
        Path file = folder.resolve("a/b/c/bot.db");

        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            store.keyValueStore("welcome").put("greeting", "hello");
        }
        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            assertThat(store.keyValueStore("welcome").get("greeting")).contains("hello");
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void everyPooledConnectionHasTheSamePragmas() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.builder(folder.resolve("bot.db"))
                .poolSize(3)
                .busyTimeout(Duration.ofMillis(1234))
                .build()) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(store.database().borrowForTest());
                }
                assertThat(held).doesNotHaveDuplicates();
                for (Connection connection : held) {
                    assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
                    assertThat(pragma(connection, "synchronous")).isEqualTo("1"); // NORMAL
                    assertThat(pragma(connection, "busy_timeout")).isEqualTo("1234");
                    assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
                }
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void synchronousFullReachesTheConnections() throws Exception {
        try (SqliteConfigStore store = SqliteConfigStore.builder(folder.resolve("bot.db"))
                        .synchronous(Synchronous.FULL)
                        .build();
                Connection connection = store.database().borrowForTest()) {
            assertThat(pragma(connection, "synchronous")).isEqualTo("2");
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void theFacadesShareOneRowAndUseTheDefaultsGiven() {
        try (SqliteConfigStore store = SqliteConfigStore.builder(folder.resolve("bot.db"))
                .defaults(ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", "30")))
                .build()) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);

            assertThat(store.flaggerStore().getFlaggerConfig(GUILD).silentDays())
                    .isEqualTo(30);
            assertThat(store.flaggerStore().getFlaggerConfig(GUILD).silentDaysSource())
                    .isEqualTo(Source.ENVIRONMENT);
            assertThat(store.guildConfig().store().get(GUILD).orElseThrow().loggingChannelId())
                    .contains(CHANNEL);
        }
    }

    @Test
    void theSameNamespaceGivesTheSameStoreAndNamespacesAreSeparate() {
        try (SqliteConfigStore store = SqliteConfigStore.open(folder.resolve("bot.db"))) {
            CachedKeyValueStore<String, String> first = store.keyValueStore("alpha");

            assertThat(store.keyValueStore("alpha")).isSameAs(first);
            first.put("k", "1");
            assertThat(store.keyValueStore("beta").get("k")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "-leading",
                "has space",
                "semi;colon",
                "quote'",
                "x0123456789012345678901234567890123456789012345678901234567890123"
            })
    void aBadNamespaceIsRefusedWithTheRule(String namespace) {
        try (SqliteConfigStore store = SqliteConfigStore.open(folder.resolve("bot.db"))) {
            assertThatThrownBy(() -> store.keyValueStore(namespace))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("namespace must be 1 to 64 letters, digits");
        }
    }

    @Test
    void builderSettingsAreCheckedWithTheirName() {
        SqliteConfigStore.Builder builder = SqliteConfigStore.builder(folder.resolve("bot.db"));

        assertThatThrownBy(() -> builder.poolSize(0)).hasMessage("poolSize must be between 1 and 64, got 0");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ZERO))
                .hasMessage("busyTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofHours(2)))
                .hasMessage("busyTimeout must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> builder.expireAfterWrite(Duration.ofSeconds(-1)))
                .hasMessage("expireAfterWrite must be positive, got PT-1S");
        assertThatThrownBy(() -> builder.maximumSize(0)).hasMessage("maximumSize must be positive, got 0");
        assertThatThrownBy(() -> SqliteConfigStore.builder(nullPath())).hasMessage("file must not be null");
    }

    @Test
    void aFolderIsNotADatabaseFile() {
        assertThatThrownBy(() -> SqliteConfigStore.open(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a folder");
    }

    @Test
    void aMissingFileIsRefusedWhenCreatingIsNotAllowed() {
        Path missing = folder.resolve("missing.db");

        assertThatThrownBy(() -> SqliteConfigStore.builder(missing)
                        .createIfMissing(false)
                        .build())
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE))
                .hasMessageContaining("does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aStoreThatWasClosedRefusesToWork() {
        SqliteConfigStore store = SqliteConfigStore.open(folder.resolve("bot.db"));
        store.close();

        assertThatThrownBy(() -> store.loggingStore().getLoggingChannelId(GUILD))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(folder.resolve("bot.db"))).isTrue();
    }

    @SuppressWarnings("NullAway")
    private static Path nullPath() {
        return null;
    }
}
