package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.Source;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Building a store from a URL or a DataSource, its settings, and what reaches every connection. */
@RequiresPostgres
class PostgresConfigStoreTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";

    @RegisterExtension
    static final TestSchemas SCHEMAS = new TestSchemas();

    private final String schema = SCHEMAS.newSchema();

    private PostgresConfigStore open() {
        return PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .build();
    }

    @Test
    void aStoreBuiltFromAUrlCreatesItsSchemaAndKeepsWhatIsWritten() throws Exception {
        try (PostgresConfigStore store =
                PostgresConfigStore.builder(TestServer.URL).schema(schema).build()) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            store.keyValueStore("welcome").put("greeting", "hello");
            assertThat(store.schema()).isEqualTo(schema);
            assertThat(store.toString()).contains(schema).doesNotContain("user=");
        }
        try (PostgresConfigStore store = open()) {
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            assertThat(store.keyValueStore("welcome").get("greeting")).contains("hello");
        }
        assertThat(TestServer.rows(
                        "SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "' ORDER BY tablename"))
                .containsExactly(
                        List.of("configstore_applications"),
                        List.of("configstore_audit"),
                        List.of("configstore_changes"),
                        List.of("configstore_changes_removed"),
                        List.of("configstore_declarations"),
                        List.of("configstore_kv"),
                        List.of("configstore_schema_version"),
                        List.of("configstore_server"),
                        List.of("configstore_settings"),
                        List.of("guild_config"));
    }

    @Test
    void whenNoHostOfAMultiHostUrlAnswersTheMessageNamesEveryOne() throws Exception {
        int first;
        int second;
        try (java.net.ServerSocket one = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.ServerSocket two =
                        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            first = one.getLocalPort();
            second = two.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + first + ",127.0.0.1:" + second
                + "/test?user=postgres&password=secret&targetServerType=primary";

        assertThatThrownBy(() -> PostgresConfigStore.builder(url).schema(schema).build())
                .isInstanceOfSatisfying(
                        dev.configstore.StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(dev.configstore.StoreException.Reason.UNAVAILABLE))
                .hasMessageContaining("127.0.0.1:" + first + ",127.0.0.1:" + second + "/test")
                .hasMessageNotContaining("secret");
    }

    @Test
    void everyPooledConnectionHasTheLockTimeoutAndTheStoresName() throws Exception {
        try (PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
                .poolSize(3)
                .busyTimeout(Duration.ofMillis(1234))
                .networkTimeout(Duration.ofMillis(4321))
                .build()) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(store.database().borrowForTest());
                }
                assertThat(held).doesNotHaveDuplicates();
                for (Connection connection : held) {
                    assertThat(setting(connection, "lock_timeout")).isEqualTo("1234ms");
                    assertThat(setting(connection, "application_name")).isEqualTo("configstore " + schema);
                    assertThat(connection.getNetworkTimeout()).isEqualTo(4321);
                }
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void theLongestSchemaNameStillNamesEveryConnectionAsTheServerShowsIt() throws Exception {
        String longSchema = SCHEMAS.newLongSchema();
        assertThat(longSchema).hasSize(48);
        try (PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(longSchema)
                .build()) {
            assertThat(store.schema()).isEqualTo(longSchema);
            assertThat(PostgresChangeFeed.feedApplicationName(longSchema)).hasSize(63);
            assertThat(TestServer.rows("SELECT application_name FROM pg_stat_activity WHERE application_name IN ('"
                            + PostgresDatabase.applicationName(longSchema) + "', '"
                            + PostgresChangeFeed.feedApplicationName(longSchema) + "')"))
                    .contains(
                            List.of(PostgresDatabase.applicationName(longSchema)),
                            List.of(PostgresChangeFeed.feedApplicationName(longSchema)));
        }
    }

    @Test
    void theNetworkTimeoutIs30SecondsOrTwiceTheBusyTimeoutUnlessGiven() throws Exception {
        try (PostgresConfigStore store = open();
                Connection connection = store.database().borrowForTest()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(30_000);
        }
        try (PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                        .schema(schema)
                        .busyTimeout(Duration.ofSeconds(20))
                        .build();
                Connection connection = store.database().borrowForTest()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(40_000);
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW " + name)) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void theFacadesShareOneRowAndUseTheDefaultsGiven() {
        try (PostgresConfigStore store = PostgresConfigStore.builder(TestServer.dataSource())
                .schema(schema)
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
    void valuesThatLookLikeSqlAreStoredAsTheyAre() {
        String nasty = "'); DROP TABLE guild_config; -- \"quoted\" $$ \\ ünicode";
        try (PostgresConfigStore store = open()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("we.ird_name-1");
            values.put(nasty, nasty);
            values.invalidateAll();

            assertThat(values.get(nasty)).contains(nasty);
        }
    }

    @Test
    void theSameNamespaceGivesTheSameStoreAndNamespacesAreSeparate() {
        try (PostgresConfigStore store = open()) {
            CachedKeyValueStore<String, String> first = store.keyValueStore("alpha");

            assertThat(store.keyValueStore("alpha")).isSameAs(first);
            first.put("k", "1");
            assertThat(store.keyValueStore("beta").get("k")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading", "has space", "semi;colon", "quote'"})
    void aBadNamespaceIsRefusedWithTheRule(String namespace) {
        try (PostgresConfigStore store = open()) {
            assertThatThrownBy(() -> store.keyValueStore(namespace))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("namespace must be 1 to 64 letters, digits");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Configstore",
                "1starts_with_a_digit",
                "has-dash",
                "has space",
                "quote\"",
                "pg_catalog",
                "a234567890123456789012345678901234567890123456789"
            })
    void aBadSchemaNameIsRefusedWithTheRule(String name) {
        assertThatThrownBy(() ->
                        PostgresConfigStore.builder(TestServer.dataSource()).schema(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema must be 1 to 48 lowercase letters, digits or '_', starting with a letter or '_'"
                        + " and not with 'pg_', got \"" + name + "\"");
    }

    @Test
    void builderSettingsAreCheckedWithTheirName() {
        PostgresConfigStore.Builder builder = PostgresConfigStore.builder(TestServer.dataSource());

        assertThatThrownBy(() -> builder.poolSize(0)).hasMessage("poolSize must be between 1 and 64, got 0");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ZERO))
                .hasMessage("busyTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofHours(2)))
                .hasMessage("busyTimeout must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> builder.networkTimeout(Duration.ZERO))
                .hasMessage("networkTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.networkTimeout(Duration.ofHours(2)))
                .hasMessage("networkTimeout must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> PostgresConfigStore.builder(TestServer.dataSource())
                        .busyTimeout(Duration.ofSeconds(10))
                        .networkTimeout(Duration.ofSeconds(10))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("networkTimeout must be longer than busyTimeout, got networkTimeout PT10S and busyTimeout"
                        + " PT10S; raise networkTimeout or lower busyTimeout");
        assertThatThrownBy(() -> builder.changeFeedInterval(Duration.ofHours(2)))
                .hasMessage("changeFeedInterval must be at most PT1H, got PT2H");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofNanos(500_000)))
                .hasMessage("busyTimeout must be at least 1 ms, got PT0.0005S");
        assertThatThrownBy(() -> builder.cache(nullCache())).hasMessage("cache must not be null");
        assertThatThrownBy(() -> PostgresConfigStore.builder(nullDataSource()))
                .hasMessage("dataSource must not be null");
        assertThatThrownBy(() -> PostgresConfigStore.builder(nullUrl())).hasMessage("jdbcUrl must not be null");
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedWithoutShowingItsParameters() {
        assertThatThrownBy(() -> PostgresConfigStore.builder("jdbc:mysql://db/bot?user=bot&password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jdbcUrl must start with \"jdbc:postgresql:\" (jdbc:postgresql://host:port/database"
                        + "?user=…), got \"jdbc:mysql://db/bot?…\"");
        assertThatThrownBy(() -> PostgresConfigStore.builder("jdbc:postgresql://db:notaport/bot?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jdbcUrl must be a URL the PostgreSQL driver can read")
                .hasMessageNotContaining("secret");
    }

    /**
     * A failure after the change feed started (here a class missing from the class path) leaves
     * the caller no store to close: building must close the feed's thread and every connection.
     */
    @Test
    void aBuildThatFailsAfterTheFeedStartedLeavesNoThreadOrConnectionBehind() {
        Error missingClass = new NoClassDefFoundError("com/github/benmanes/caffeine/cache/Caffeine");
        AtomicBoolean reached = new AtomicBoolean();

        assertThatThrownBy(() -> PostgresConfigStore.builder(TestServer.dataSource())
                        .schema(schema)
                        .afterFeedStarted(() -> {
                            assertThat(feedThreads()).hasSize(1);
                            assertThat(sessions()).isGreaterThanOrEqualTo(2);
                            reached.set(true);
                            throw missingClass;
                        })
                        .build())
                .isSameAs(missingClass);

        assertThat(reached).isTrue();
        Conditions.await("the feed's thread to end", () -> feedThreads().isEmpty());
        Conditions.await("the store's sessions to end", () -> sessions() == 0);
    }

    private List<Thread> feedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals("configstore-postgres-feed " + schema))
                .toList();
    }

    /** The server sessions of the store's pool and feed. */
    private long sessions() {
        try {
            return Long.parseLong(TestServer.value("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name IN ('"
                    + PostgresDatabase.applicationName(schema) + "', '"
                    + PostgresChangeFeed.feedApplicationName(schema) + "')"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStoreThatWasClosedRefusesToWork() {
        PostgresConfigStore store = open();
        store.close();
        store.close();

        assertThatThrownBy(() -> store.loggingStore().getLoggingChannelId(GUILD))
                .isInstanceOf(IllegalStateException.class);
    }

    @SuppressWarnings("NullAway")
    private static DataSource nullDataSource() {
        return null;
    }

    @SuppressWarnings("NullAway")
    private static String nullUrl() {
        return null;
    }

    @SuppressWarnings("NullAway")
    private static java.util.function.Consumer<dev.configstore.CachedKeyValueStore.Builder<?, ?>> nullCache() {
        return null;
    }
}
