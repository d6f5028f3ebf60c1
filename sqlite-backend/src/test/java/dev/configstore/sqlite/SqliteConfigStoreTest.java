package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.BuiltInSettings;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
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
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofNanos(500_000)))
                .hasMessage("busyTimeout must be at least 1 ms, got PT0.0005S");
        assertThatThrownBy(() -> builder.cache(nullCache())).hasMessage("cache must not be null");
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

    @Test
    void pendingMigrationsAreListedWithoutTouchingTheFile() throws Exception {
        Path file = folder.resolve("bot.db");
        assertThat(SqliteConfigStore.pendingMigrations(file))
                .startsWith("create the file " + file, "create table guild_config")
                .contains(
                        "create table configstore_changes",
                        "record schema version " + SqliteConfigStore.SCHEMA_VERSION + " (now 0)");
        assertThat(file).doesNotExist();

        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE guild_config (guild_id TEXT PRIMARY KEY, logging_channel_id TEXT)");
        }
        byte[] before = Files.readAllBytes(file);
        assertThat(SqliteConfigStore.pendingMigrations(file))
                .contains("add column guild_config.flags_channel_id TEXT")
                .doesNotContain("create table guild_config");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        SqliteConfigStore.open(file).close();
        assertThat(SqliteConfigStore.pendingMigrations(file)).isEmpty();
    }

    @Test
    void aReadOnlyConnectionLeavesAFileNoProcessHasOpenAndItsFolderAsTheyWere() throws Exception {
        Path file = folder.resolve("bot.db");
        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        }
        Map<String, String> before = listing(folder);

        try (Connection connection = SqliteConfigStore.openReadOnlyConnection(file);
                Statement statement = connection.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
                assertThat(check.next()).isTrue();
                assertThat(check.getString(1)).isEqualTo("ok");
            }
            try (ResultSet row = statement.executeQuery("SELECT logging_channel_id FROM guild_config")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(CHANNEL);
            }
            assertThatThrownBy(() -> statement.execute("DELETE FROM guild_config"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_READONLY");
        }
        assertThat(SqliteConfigStore.pendingMigrations(file)).isEmpty();

        assertThat(listing(folder)).isEqualTo(before);
    }

    @Test
    void readingACopyOfADatabaseWithItsLogChangesNeitherAndSeesTheLoggedCommits() throws Exception {
        Path live = folder.resolve("live/bot.db");
        Path copy = folder.resolve("copy/bot.db");
        Files.createDirectories(copy.getParent());
        try (SqliteConfigStore store = SqliteConfigStore.open(live)) {
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            // Copied while the store is open: the commit is still only in the write-ahead log.
            Files.copy(live, copy);
            Files.copy(live.resolveSibling("bot.db-wal"), copy.resolveSibling("bot.db-wal"));
        }
        byte[] database = Files.readAllBytes(copy);
        byte[] log = Files.readAllBytes(copy.resolveSibling("bot.db-wal"));
        assertThat(log).isNotEmpty();

        assertThat(SqliteConfigStore.pendingMigrations(copy)).isEmpty();
        try (Connection connection = SqliteConfigStore.openReadOnlyConnection(copy);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT logging_channel_id FROM guild_config")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo(CHANNEL);
        }

        assertThat(Files.readAllBytes(copy)).isEqualTo(database);
        assertThat(Files.readAllBytes(copy.resolveSibling("bot.db-wal"))).isEqualTo(log);
    }

    @Test
    void aReadOnlyConnectionToAMissingFileIsRefusedWithoutCreatingIt() {
        Path file = folder.resolve("missing.db");

        assertThatThrownBy(() -> SqliteConfigStore.openReadOnlyConnection(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("The database " + file + " does not exist. Check the path.");
        assertThat(file).doesNotExist();
    }

    @Test
    void everyGuildsSettingsAreReadFromOneSnapshot() throws Exception {
        Path file = folder.resolve("bot.db");
        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            store.loggingStore().setLoggingChannelId("100000000000000001", CHANNEL);
            store.flaggerStore().setSilentFirstMsgDays("100000000000000002", 30);
            store.flaggerStore().setFlagsChannelId("100000000000000003", CHANNEL);
            store.loggingStore().setLoggingChannelId("100000000000000004", CHANNEL);
            store.loggingStore().clearLoggingChannelId("100000000000000004");
            List<String> seen = new ArrayList<>();

            try (SqliteConfigStore other = SqliteConfigStore.open(file)) {
                store.forEachGuildSettings((guild, settings) -> {
                    seen.add(guild + " " + settings);
                    if (seen.size() == 1) {
                        // Committed while the read is under way: none of it may show.
                        other.flaggerStore().clearSilentFirstMsgDays("100000000000000002");
                        other.flaggerStore().setSilentFirstMsgDays("100000000000000003", 9);
                        other.loggingStore().setLoggingChannelId("100000000000000004", CHANNEL);
                        other.loggingStore().setLoggingChannelId("100000000000000000", CHANNEL);
                    }
                });
            }

            assertThat(seen)
                    .containsExactly(
                            "100000000000000001 "
                                    + settings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.empty()),
                            "100000000000000002 " + settings(Optional.empty(), Optional.empty(), OptionalInt.of(30)),
                            "100000000000000003 "
                                    + settings(Optional.empty(), Optional.of(CHANNEL), OptionalInt.empty()));
            List<String> after = new ArrayList<>();
            store.forEachGuildSettings((guild, settings) -> after.add(guild));
            assertThat(after)
                    .containsExactly(
                            "100000000000000000", "100000000000000001", "100000000000000003", "100000000000000004");
        }
    }

    private static GuildSettings settings(Optional<String> logging, Optional<String> flags, OptionalInt days) {
        return new GuildSettings(logging, flags, days);
    }

    /** Every file in a folder with a digest of its content. */
    private static Map<String, String> listing(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(folder)) {
            for (Path path : paths.toList()) {
                files.put(
                        path.getFileName().toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
            }
        }
        return files;
    }

    @Test
    void silentDaysTheSqlite3ShellStoredAsTextOrAFractionAreSkippedNeverAFailedRead() throws Exception {
        Path file = folder.resolve("bot.db");
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).manualChangeFeed().build()) {
            try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO guild_config (guild_id, flags_channel_id, silent_first_msg_days) VALUES"
                        + " ('100000000000000001', '" + CHANNEL + "', 'thirty'), ('100000000000000002', NULL, 3.5),"
                        + " ('100000000000000003', NULL, 99999999999)");
            }
            store.pollChangesNow();

            assertThat(store.flaggerStore().getFlaggerConfig("100000000000000001"))
                    .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 7, Source.DATABASE, Source.DEFAULT));
            for (String guild : List.of("100000000000000002", "100000000000000003")) {
                assertThat(store.flaggerStore().getFlaggerConfig(guild))
                        .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
            }
            assertThat(store.guildConfig().schema().skippedValues()).isEqualTo(3);
            assertThat(store.guildConfig()
                            .snapshot("100000000000000002")
                            .resolve(BuiltInSettings.SILENT_FIRST_MSG_DAYS)
                            .skipped())
                    .singleElement()
                    .satisfies(skipped -> assertThat(skipped.text()).isEqualTo("3.5"));
            assertThat(store.guildConfig().store().get("100000000000000001"))
                    .hasValueSatisfying(
                            row -> assertThat(row.unreadableSilentDays()).contains("thirty"));
            List<String> listed = new ArrayList<>();
            assertThat(store.forEachGuildSettings((guild, settings) -> listed.add(guild)))
                    .isEqualTo(3);

            store.flaggerStore().setSilentFirstMsgDays("100000000000000001", 9);
            assertThat(store.flaggerStore().getFlaggerConfig("100000000000000001"))
                    .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 9, Source.DATABASE, Source.DATABASE));
        }
    }

    @Test
    void guildChangesMadeElsewhereCanBeWatched() throws Exception {
        Path file = folder.resolve("bot.db");
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).manualChangeFeed().build()) {
            List<String> changed = new ArrayList<>();
            store.watchGuildChanges(new dev.configstore.spi.ChangeListener<>() {
                @Override
                public void keyChanged(String key) {
                    changed.add(key);
                }

                @Override
                public void allChanged() {
                    changed.add("*");
                }
            });
            store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
            try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement statement = connection.createStatement()) {
                statement.execute("UPDATE guild_config SET silent_first_msg_days = 9");
            }

            store.pollChangesNow();

            assertThat(changed).containsExactly(GUILD);
        }
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(file).disableChangeFeed().build()) {
            assertThatThrownBy(() -> store.watchGuildChanges(new dev.configstore.spi.ChangeListener<>() {
                        @Override
                        public void keyChanged(String key) {}

                        @Override
                        public void allChanged() {}
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("disabled");
        }
    }

    /**
     * A failure after the change feed started (here a class missing from the class path, met while
     * the caches are built) leaves the caller no store to close: building must stop the feed's
     * threads and close every connection to the file.
     */
    @Test
    void aBuildThatFailsAfterTheFeedStartedLeavesNoThreadOrOpenFileBehind() throws Exception {
        Path file = folder.resolve("bot.db");
        Error missingClass = new NoClassDefFoundError("com/github/benmanes/caffeine/cache/Caffeine");

        assertThatThrownBy(() -> SqliteConfigStore.builder(file)
                        .cache(cache -> {
                            assertThat(threadsOf(file)).isNotEmpty();
                            throw missingClass;
                        })
                        .build())
                .isSameAs(missingClass);

        assertThat(threadsOf(file)).isEmpty();
        assertThat(openDescriptors(file))
                .as("file descriptors of this process on the database")
                .isEmpty();
    }

    /** The live feed threads of a store on {@code file}. */
    private static List<String> threadsOf(Path file) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("configstore-sqlite-") && name.endsWith(" " + file.getFileName()))
                .toList();
    }

    /** This process's open file descriptors on {@code file} or its -wal and -shm files (Linux). */
    private static List<String> openDescriptors(Path file) throws Exception {
        List<String> open = new ArrayList<>();
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith(file.toAbsolutePath().toString())) {
                        open.add(target);
                    }
                } catch (java.io.IOException e) {
                    // Closed while listing.
                }
            }
        }
        return open;
    }

    @SuppressWarnings("NullAway")
    private static Path nullPath() {
        return null;
    }

    @SuppressWarnings("NullAway")
    private static java.util.function.Consumer<dev.configstore.CachedKeyValueStore.Builder<?, ?>> nullCache() {
        return null;
    }
}
