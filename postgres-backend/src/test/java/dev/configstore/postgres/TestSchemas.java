package dev.configstore.postgres;

import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.Backend;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The schemas of one test class, each with a random name, all dropped when the class is done.
 * Key-value backends share one schema and get a fresh namespace each; guild backends share
 * another, whose guild table is emptied for each (guild ids are global to a schema). A schema per
 * backend would isolate them completely, but property tests build hundreds of backends in one
 * test, and each schema costs a migration and a pool of connections.
 */
final class TestSchemas implements AfterAllCallback {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> schemas = new ArrayList<>();
    private final AtomicInteger namespaces = new AtomicInteger();
    private @Nullable PostgresConfigStore shared;
    private @Nullable PostgresConfigStore guilds;

    /** A schema name no other test uses; it does not exist yet. */
    synchronized String newSchema() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String name = "cs_test_" + HexFormat.of().formatHex(bytes);
        schemas.add(name);
        return name;
    }

    /** A schema name no other test uses, as long as a schema name may be (48 characters). */
    synchronized String newLongSchema() {
        String name = newSchema();
        schemas.remove(name);
        String longName = name + "_" + "l".repeat(47 - name.length());
        schemas.add(longName);
        return longName;
    }

    /** A builder on a new schema of the test server. */
    PostgresConfigStore.Builder builder() {
        return PostgresConfigStore.builder(TestServer.dataSource()).schema(newSchema());
    }

    /**
     * A builder on a new schema whose connections do not wait for each commit to reach the disk.
     * That changes nothing the shared suites check (what a transaction sees, and when, is the same),
     * and makes their thousands of small commits several times faster.
     */
    PostgresConfigStore.Builder fastBuilder() {
        PGSimpleDataSource dataSource = TestServer.dataSource();
        dataSource.setOptions("-c synchronous_commit=off");
        return PostgresConfigStore.builder(dataSource).schema(newSchema());
    }

    /** A backend on a fresh namespace of a schema shared by the test class. */
    synchronized Backend<String, String> freshNamespace() {
        if (shared == null) {
            shared = fastBuilder().disableChangeFeed().build();
        }
        return new dev.configstore.jdbc.internal.JdbcKeyValueBackend(
                shared.database(), new PostgresSql(shared.database()), "ns" + namespaces.incrementAndGet(), null);
    }

    /**
     * An empty guild backend: the guild table of a schema shared by the test class, emptied.
     * Closing it does nothing; the store behind it is closed when the class is done. (A schema per
     * backend would be cleaner, but property tests make hundreds of backends in one test, and each
     * store holds connections.)
     */
    synchronized GuildSettingsBackend freshGuildBackend() {
        if (guilds == null) {
            guilds = fastBuilder().disableChangeFeed().build();
        }
        try {
            TestServer.sql("DELETE FROM \"" + guilds.schema() + "\".guild_config");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the guild table", e);
        }
        return guilds.guildSettingsBackend();
    }

    static void drop(String schema) {
        try {
            TestServer.sql("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }

    /** Drops the schemas even if closing a store fails, so that no test leaves one behind. */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        PostgresConfigStore sharedStore = shared;
        PostgresConfigStore guildStore = guilds;
        shared = null;
        guilds = null;
        try {
            try {
                if (sharedStore != null) {
                    sharedStore.close();
                }
            } finally {
                if (guildStore != null) {
                    guildStore.close();
                }
            }
        } finally {
            List<String> dropping = new ArrayList<>(schemas);
            schemas.clear();
            dropping.forEach(TestSchemas::drop);
        }
    }
}
