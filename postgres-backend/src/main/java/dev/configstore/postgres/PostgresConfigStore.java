package dev.configstore.postgres;

import dev.configstore.StoreException;
import dev.configstore.WritePolicy;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.JdbcConfigStore;
import dev.configstore.jdbc.ServerStoreBuilder;
import dev.configstore.jdbc.internal.StoreParts;
import dev.configstore.jdbc.internal.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * configstore on a PostgreSQL database: from a JDBC URL (or a {@link DataSource}) to working,
 * cached settings shared by every process that uses the same schema.
 *
 * <pre>{@code
 * try (PostgresConfigStore config =
 *         PostgresConfigStore.builder("jdbc:postgresql://db:5432/bot?user=bot").build()) {
 *     config.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
 *     Optional<String> channel = config.loggingStore().getLoggingChannelId("123456789012345678");
 * }
 * }</pre>
 *
 * <p>Building runs the schema migrations in one transaction under an advisory lock (creating the
 * schema and its tables if needed, adopting an existing bot's {@code guild_config} table, refusing
 * without any change a schema written by a newer configstore), starts a pool of connections, and
 * starts the change feed. Every PostgreSQL failure reaches the caller as a {@link StoreException}
 * whose reason and message say what is wrong and what to do; a failed write changes neither the
 * database nor any cache, and the same object recovers once the fault is gone.
 *
 * <p>Coherence: once a write through this store has returned, its caches never serve the value it
 * replaced. A change committed by any other writer (another process, another host, psql) reaches
 * this store's caches within the change feed's notification latency, and never later than the
 * time-to-live, even if the feed's connection is lost; a feed that reconnects applies every
 * change committed while it was away (or drops every cache if some of them are gone) before it
 * does anything else.
 *
 * <p>Safe for use by many threads; build one per schema and process, and close it on shutdown.
 */
public final class PostgresConfigStore extends JdbcConfigStore {

    /** The schema version this configstore writes; a schema with a higher one is refused. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

    private final String schema;
    private final StoreParts<PostgresDatabase, PostgresChangeFeed> parts;

    private PostgresConfigStore(String schema, StoreParts<PostgresDatabase, PostgresChangeFeed> parts) {
        super(parts);
        this.schema = schema;
        this.parts = parts;
    }

    @Override
    protected int expectedSchemaVersion() {
        return SCHEMA_VERSION;
    }

    /**
     * Lists, without changing anything, what building a store on {@code schema} would migrate:
     * the schema, tables, columns and triggers to add, and the schema version to record.
     *
     * @param jdbcUrl the database, as for {@link #builder(String)}
     * @param schema the schema, as for {@link Builder#schema(String)}
     * @return one line per step; empty if the schema is complete and current
     * @throws IllegalArgumentException if the URL or the schema's name is invalid
     * @throws StoreException if the server cannot be reached or the schema comes from a newer
     *     configstore
     */
    public static List<String> pendingMigrations(String jdbcUrl, String schema) {
        Builder checked = builder(jdbcUrl).schema(schema);
        String where = "schema " + schema + PostgresDatabase.configuredServer(checked.dataSource);
        try (java.sql.Connection connection = checked.dataSource.getConnection()) {
            connection.setReadOnly(true);
            return Migrations.plan(connection, schema, where);
        } catch (java.sql.SQLException e) {
            throw new PostgresErrors(where, Duration.ZERO).translate(e, "-", "reading the schema");
        }
    }

    /**
     * Starts configuring a store on the database a JDBC URL names.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://localhost:5432/bot?user=bot&password=…}
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code jdbcUrl} is null or not a PostgreSQL JDBC URL
     */
    public static Builder builder(String jdbcUrl) {
        Arguments.notNull(jdbcUrl, "jdbcUrl");
        String shown = withoutParameters(jdbcUrl);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "jdbcUrl must start with \"jdbc:postgresql:\" (jdbc:postgresql://host:port/database?user=…),"
                            + " got \"" + shown + "\"");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "jdbcUrl must be a URL the PostgreSQL driver can read (jdbc:postgresql://host:port/database"
                            + "?user=…), got \"" + shown + "\"");
        }
        return new Builder(dataSource);
    }

    /**
     * Starts configuring a store on the database of a {@link DataSource}. The store pools the
     * connections it gets from it (so give a plain one, such as {@code PGSimpleDataSource}), and
     * its change feed holds one more connection of its own.
     *
     * @param dataSource connections to a PostgreSQL database
     * @return a builder with the defaults described on {@link Builder}
     * @throws IllegalArgumentException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Arguments.notNull(dataSource, "dataSource"));
    }

    /** The URL up to its parameters, which may hold a password. */
    private static String withoutParameters(String jdbcUrl) {
        int parameters = jdbcUrl.indexOf('?');
        return parameters < 0 ? jdbcUrl : jdbcUrl.substring(0, parameters) + "?…";
    }

    /**
     * Returns the schema the store's tables are in.
     *
     * @return the name given to the builder, or {@code configstore}
     */
    public String schema() {
        return schema;
    }

    GuildSettingsBackend guildSettingsBackend() {
        return settingsBackend();
    }

    PostgresDatabase database() {
        return parts.database();
    }

    PostgresChangeFeed feed() {
        return parts.requireFeed();
    }

    void pollChangesNow() {
        feed().pollNow();
    }

    @Override
    public String toString() {
        return "PostgresConfigStore[" + parts.database().server + "]";
    }

    /**
     * Settings for a {@link PostgresConfigStore}, each checked when given with a message naming it.
     *
     * <p>Defaults: schema {@code configstore}, entries cached for 60 seconds, at most 10,000 per
     * store, a pool of 4 connections, a busy timeout of 5 seconds, a network timeout of 30 seconds
     * (or twice the busy timeout if that is longer), no environment defaults, the
     * system ticker, {@link WritePolicy#INVALIDATE}, the change feed on with a 1 second poll
     * interval.
     */
    public static final class Builder extends ServerStoreBuilder<Builder, PostgresConfigStore> {
        private final DataSource dataSource;
        private String schema = "configstore";
        private Runnable afterFeedStarted = () -> {};

        private Builder(DataSource dataSource) {
            super(Duration.ofSeconds(1));
            this.dataSource = dataSource;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the schema that holds the store's tables; it is created if missing. Processes that
         * should share settings use the same schema; a bot's existing {@code guild_config} table
         * is adopted where it is.
         *
         * @param name 1 to 48 lowercase letters, digits or {@code _}, starting with a letter or
         *     {@code _}, and not starting with {@code pg_}; {@code configstore} by default
         * @return this builder
         * @throws IllegalArgumentException if it is null or breaks that rule
         */
        public Builder schema(String name) {
            if (name == null || !SCHEMA.matcher(name).matches() || name.startsWith("pg_")) {
                throw new IllegalArgumentException("schema must be 1 to 48 lowercase letters, digits or '_',"
                        + " starting with a letter or '_' and not with 'pg_', got "
                        + (name == null ? "null" : "\"" + name + "\""));
            }
            this.schema = name;
            return this;
        }

        /** Keeps the change feed's thread from starting: tests drive it with pollChangesNow(). */
        Builder manualChangeFeed() {
            return changeFeedMode(FeedMode.MANUAL);
        }

        /** Runs {@code step} once the change feed has started; for tests that make building fail there. */
        Builder afterFeedStarted(Runnable step) {
            this.afterFeedStarted = step;
            return this;
        }

        /**
         * Connects, migrates the schema and starts the store.
         *
         * @return the open store
         * @throws IllegalArgumentException if {@link #networkTimeout} was set no longer than
         *     {@link #busyTimeout}
         * @throws StoreException if the database cannot be reached, refuses the login, or holds a
         *     schema from a newer configstore or a {@code guild_config} table that cannot be
         *     adopted; the schema is then left as it was
         */
        @Override
        public PostgresConfigStore build() {
            StoreSettings settings = storeSettings();
            PostgresDatabase database = PostgresDatabase.open(new PostgresDatabase.Settings(
                    dataSource, schema, settings.poolSize(), settings.busyTimeout(), settings.networkTimeout()));
            StoreParts<PostgresDatabase, PostgresChangeFeed> parts = StoreParts.start(
                    database, database::close, new PostgresSql(database), settings, schema, PostgresChangeFeed::start);
            try {
                afterFeedStarted.run();
            } catch (RuntimeException | Error e) {
                parts.closeAfterFailedBuild(e);
                throw e;
            }
            return new PostgresConfigStore(schema, parts);
        }
    }
}
