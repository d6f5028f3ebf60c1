package dev.configstore.mysql;

import dev.configstore.StoreException;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.JdbcConfigStore;
import dev.configstore.jdbc.ServerStoreBuilder;
import dev.configstore.jdbc.StoreBuilder;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.jdbc.internal.StoreSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * configstore on MariaDB: from a JDBC URL to working, cached settings in one database of the
 * server, kept coherent across processes and hosts by a polled change feed.
 *
 * <pre>{@code
 * try (MariaDbConfigStore config = MariaDbConfigStore.builder("jdbc:mariadb://db:3306/bot?user=bot&password=…")
 *         .database("bot")
 *         .build()) {
 *     config.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
 * }
 * }</pre>
 *
 * <p>Building connects, creates the database if missing, runs the schema migrations (adopting an
 * existing bot's {@code guild_config} table) under a server lock, and starts a small pool and the
 * change feed. Every MariaDB failure reaches the caller as a {@link StoreException} whose reason
 * and message say what is wrong and what to do. See {@code docs/mysql.md}.
 *
 * <p>Safe for use by many threads; build one per database and process, and close it on shutdown.
 */
public final class MariaDbConfigStore extends JdbcConfigStore {

    /** The schema version this configstore writes; a database with a higher one is refused. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final StoreParts<MariaDbDatabase, MariaDbChangeFeed> parts;

    private MariaDbConfigStore(StoreParts<MariaDbDatabase, MariaDbChangeFeed> parts) {
        super(parts);
        this.parts = parts;
    }

    @Override
    protected int expectedSchemaVersion() {
        return SCHEMA_VERSION;
    }

    /**
     * Starts configuring a store on the server a JDBC URL names.
     *
     * @param jdbcUrl {@code jdbc:mariadb://host:3306/?user=…&password=…}; the database the tables
     *     go in is set with {@link Builder#database(String)}
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if the URL is null or not a MariaDB URL
     */
    public static Builder builder(String jdbcUrl) {
        Arguments.notNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:mariadb:") && !jdbcUrl.startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with \"jdbc:mariadb:\""
                    + " (jdbc:mariadb://host:3306/?user=…), got \"" + withoutParameters(jdbcUrl) + "\"");
        }
        MariaDbDataSource dataSource = new MariaDbDataSource();
        try {
            // MariaDB Connector/J also answers to jdbc:mysql: URLs when told so; the tool and the
            // docs use jdbc:mariadb:.
            dataSource.setUrl(
                    jdbcUrl.startsWith("jdbc:mysql:")
                            ? "jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length())
                            : jdbcUrl);
        } catch (SQLException e) {
            throw new IllegalArgumentException("jdbcUrl must be a URL the MariaDB driver can read"
                    + " (jdbc:mariadb://host:3306/?user=…), got \"" + withoutParameters(jdbcUrl) + "\"");
        }
        return new Builder(dataSource);
    }

    /**
     * Starts configuring a store on the connections of a DataSource; the store pools the
     * connections it gets from it (so give a plain one, such as {@code MariaDbDataSource}).
     *
     * @param dataSource where connections come from
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if it is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Arguments.notNull(dataSource, "dataSource"));
    }

    /**
     * Lists, without changing anything, what building a store on database {@code database} would
     * migrate: the database, tables, columns and triggers to add, and the schema version to record.
     *
     * @param jdbcUrl the server, as for {@link #builder(String)}
     * @param database the database, as for {@link Builder#database(String)}
     * @return one line per step; empty if the schema is complete and current
     * @throws IllegalArgumentException if the URL or the database's name is invalid
     * @throws StoreException if the server cannot be reached or the database comes from a newer
     *     configstore
     */
    public static List<String> pendingMigrations(String jdbcUrl, String database) {
        Builder checked = builder(jdbcUrl).database(database);
        String where = withoutParameters(jdbcUrl);
        try (java.sql.Connection connection = checked.dataSource.getConnection()) {
            return Migrations.plan(connection, database, where);
        } catch (SQLException e) {
            throw new MariaDbErrors("database " + database + " on " + where, Duration.ZERO)
                    .translate(e, "-", "reading the schema");
        }
    }

    private static String withoutParameters(String url) {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters) + "?…";
    }

    /** The database under the store; for tests that reach its pooled connections. */
    MariaDbDatabase database() {
        return parts.database();
    }

    /** Reads the change log now, as the feed's thread would; for tests that drive the feed. */
    void pollChangesNow() {
        feed().pollNow();
    }

    MariaDbChangeFeed feed() {
        return parts.requireFeed();
    }

    @Override
    public String toString() {
        return "MariaDbConfigStore[" + parts.database().where() + "]";
    }

    /**
     * Settings for a {@link MariaDbConfigStore}, each checked when given with a message naming it;
     * those every database has are described on {@link StoreBuilder}.
     *
     * <p>Defaults: database {@code configstore}, caches of 60 seconds and 10,000 entries each, a
     * pool of 4 connections, a busy timeout of 5 seconds (MariaDB's lock waits are whole seconds,
     * so it is rounded up), a network timeout of 30 seconds, no environment defaults, the change
     * feed on with a 250 ms poll interval.
     */
    public static final class Builder extends ServerStoreBuilder<Builder, MariaDbConfigStore> {
        private final DataSource dataSource;
        private String database = "configstore";

        private Builder(DataSource dataSource) {
            super(Duration.ofMillis(250));
            this.dataSource = dataSource;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the database (MariaDB's schema) that holds the store's tables; it is created if
         * missing. Processes that should share settings use the same one.
         *
         * @param name 1 to 64 letters, digits or {@code _}; {@code configstore} by default
         * @return this builder
         * @throws IllegalArgumentException if it is null or breaks that rule
         */
        public Builder database(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("database must be 1 to 64 letters, digits or '_', got "
                        + (name == null ? "null" : "\"" + name + "\""));
            }
            this.database = name;
            return this;
        }

        /** Keeps the change feed's thread from starting: tests drive it with pollChangesNow(). */
        Builder manualChangeFeed() {
            return changeFeedMode(FeedMode.MANUAL);
        }

        /**
         * Connects, migrates the database and starts the store.
         *
         * @return the open store
         * @throws IllegalArgumentException if {@link #networkTimeout} was set no longer than the
         *     busy timeout
         * @throws StoreException if the server cannot be reached, refuses the login, or holds a
         *     schema from a newer configstore or a {@code guild_config} table that cannot be
         *     adopted; nothing is then left open
         */
        @Override
        public MariaDbConfigStore build() {
            StoreSettings settings = storeSettings();
            MariaDbDatabase opened = MariaDbDatabase.open(new MariaDbDatabase.Settings(
                    dataSource, database, settings.poolSize(), settings.busyTimeout(), settings.networkTimeout()));
            return new MariaDbConfigStore(StoreParts.start(
                    opened, opened::close, new MariaDbSql(opened), settings, database, MariaDbChangeFeed::start));
        }
    }
}
