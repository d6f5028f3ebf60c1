package dev.configstore.mysql;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.jdbc.internal.JdbcGuildSettingsBackend;
import dev.configstore.jdbc.internal.JdbcKeyValueBackend;
import dev.configstore.spi.Backend;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The databases of one test class, each with a random name, all dropped when the class is done
 * (even if a test failed). Key-value backends share one database and get a fresh namespace each;
 * guild backends share another, whose guild table is emptied for each.
 */
final class TestDatabases implements AfterAllCallback {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> names = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final AtomicInteger namespaces = new AtomicInteger();
    private @Nullable MariaDbDatabase shared;
    private @Nullable MariaDbDatabase guilds;

    /** A database name no other test uses; it does not exist yet. */
    synchronized String newName() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String name = "cs_test_" + HexFormat.of().formatHex(bytes);
        names.add(name);
        return name;
    }

    /** Settings for a new database of the test server. */
    MariaDbDatabase.Settings settings(String name) {
        return new MariaDbDatabase.Settings(
                TestServer.dataSource(), name, 4, Duration.ofMillis(1500), Duration.ofSeconds(30));
    }

    /** Opens (and migrates) a database that is closed when the class is done. */
    synchronized MariaDbDatabase open(String name) {
        MariaDbDatabase database = MariaDbDatabase.open(settings(name));
        opened.add(database);
        return database;
    }

    /** Opens a new database that is closed and dropped when the class is done. */
    MariaDbDatabase open() {
        return open(newName());
    }

    /** Keeps something open until the class is done; closed before the databases are dropped. */
    synchronized <T extends AutoCloseable> T closeLater(T resource) {
        opened.add(resource);
        return resource;
    }

    /** A backend on a fresh namespace of a database shared by the test class. */
    synchronized Backend<String, String> freshNamespace() {
        MariaDbDatabase database = shared;
        if (database == null) {
            database = open();
            shared = database;
        }
        return new JdbcKeyValueBackend(database, new MariaDbSql(database), "ns" + namespaces.incrementAndGet(), null);
    }

    /** An empty guild backend: the guild table of a database shared by the test class, emptied. */
    synchronized GuildSettingsBackend freshGuildBackend() {
        MariaDbDatabase database = guilds;
        if (database == null) {
            database = open();
            guilds = database;
        }
        try {
            TestServer.sql("DELETE FROM " + database.table("guild_config"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the guild table", e);
        }
        return new JdbcGuildSettingsBackend(database, new MariaDbSql(database), null);
    }

    /** Closes what was opened and drops the databases even if closing fails. */
    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        List<AutoCloseable> closing = new ArrayList<>(opened);
        opened.clear();
        shared = null;
        guilds = null;
        try {
            for (AutoCloseable resource : closing) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // Dropping the databases matters more; the next one is still closed.
                }
            }
        } finally {
            List<String> dropping = new ArrayList<>(names);
            names.clear();
            for (String name : dropping) {
                TestServer.sql("DROP DATABASE IF EXISTS `" + name + "`");
            }
        }
    }
}
