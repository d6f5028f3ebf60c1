package dev.configstore.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code configstore.*} properties of a Spring Boot application: which database the store
 * opens, how its caches, change feed and pool are set, and how long its health check waits.
 * Every value is checked when the store is built, and a wrong one stops the application with a
 * message that names the property.
 *
 * <p>The database is a SQLite file when {@code configstore.sqlite.path} is set; otherwise the
 * application's {@code DataSource}, whose database (PostgreSQL, MariaDB or MySQL) is read from its
 * connection's metadata.
 */
@ConfigurationProperties(prefix = "configstore")
public class ConfigStoreProperties {

    /** Whether to configure a ConfigStore and its beans at all. */
    private boolean enabled = true;

    /**
     * How many connections the store's pool keeps open at most, from 1 to 64. On PostgreSQL and
     * MariaDB they come from the application's DataSource, which needs room for them and one more
     * for the change feed.
     */
    private int poolSize = 4;

    /**
     * How long an operation waits for a lock or a pooled connection before it fails, from 1 ms
     * to 1 hour.
     */
    private Duration busyTimeout = Duration.ofSeconds(5);

    private final Sqlite sqlite = new Sqlite();
    private final Postgres postgres = new Postgres();
    private final Mariadb mariadb = new Mariadb();
    private final Cache cache = new Cache();
    private final Feed feed = new Feed();
    private final Health health = new Health();
    private final Settings settings = new Settings();
    private final Audit audit = new Audit();

    /** Creates the properties with their defaults; Spring Boot binds them. */
    public ConfigStoreProperties() {}

    /**
     * Whether to configure a ConfigStore and its beans at all.
     *
     * @return {@code true} unless turned off
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether to configure a ConfigStore and its beans at all.
     *
     * @param enabled {@code false} to turn configstore's auto-configuration off
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * How many connections the store's pool keeps open at most.
     *
     * @return from 1 to 64
     */
    public int getPoolSize() {
        return poolSize;
    }

    /**
     * Sets how many connections the store's pool keeps open at most.
     *
     * @param poolSize from 1 to 64
     */
    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    /**
     * How long an operation waits for a lock or a pooled connection before it fails.
     *
     * @return the timeout
     */
    public Duration getBusyTimeout() {
        return busyTimeout;
    }

    /**
     * Sets how long an operation waits for a lock or a pooled connection before it fails.
     *
     * @param busyTimeout from 1 ms to 1 hour
     */
    public void setBusyTimeout(Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
    }

    /**
     * The SQLite settings.
     *
     * @return the {@code configstore.sqlite.*} properties
     */
    public Sqlite getSqlite() {
        return sqlite;
    }

    /**
     * The PostgreSQL settings.
     *
     * @return the {@code configstore.postgres.*} properties
     */
    public Postgres getPostgres() {
        return postgres;
    }

    /**
     * The MariaDB and MySQL settings.
     *
     * @return the {@code configstore.mariadb.*} properties
     */
    public Mariadb getMariadb() {
        return mariadb;
    }

    /**
     * The caches' settings.
     *
     * @return the {@code configstore.cache.*} properties
     */
    public Cache getCache() {
        return cache;
    }

    /**
     * The change feed's settings.
     *
     * @return the {@code configstore.feed.*} properties
     */
    public Feed getFeed() {
        return feed;
    }

    /**
     * The health indicator's settings.
     *
     * @return the {@code configstore.health.*} properties
     */
    public Health getHealth() {
        return health;
    }

    /**
     * The declared settings' settings.
     *
     * @return the {@code configstore.settings.*} properties
     */
    public Settings getSettings() {
        return settings;
    }

    /**
     * The {@code configstore.audit.*} properties.
     *
     * @return them
     */
    public Audit getAudit() {
        return audit;
    }

    /** The {@code configstore.sqlite.*} properties. */
    public static class Sqlite {

        /**
         * The SQLite database file, created if missing. When set, the store opens it and
         * ignores the application's DataSource.
         */
        private @Nullable Path path;

        /** Creates the properties; Spring Boot binds them. */
        public Sqlite() {}

        /**
         * The SQLite database file.
         *
         * @return the file, or null to use the application's DataSource
         */
        public @Nullable Path getPath() {
            return path;
        }

        /**
         * Sets the SQLite database file.
         *
         * @param path the file, created if missing
         */
        public void setPath(@Nullable Path path) {
            this.path = path;
        }
    }

    /** The {@code configstore.postgres.*} properties. */
    public static class Postgres {

        /**
         * The schema that holds the store's tables, created if missing: 1 to 48 lowercase
         * letters, digits or '_', not starting with a digit or 'pg_'.
         */
        private String schema = "configstore";

        /** Creates the properties; Spring Boot binds them. */
        public Postgres() {}

        /**
         * The schema that holds the store's tables.
         *
         * @return the schema's name
         */
        public String getSchema() {
            return schema;
        }

        /**
         * Sets the schema that holds the store's tables.
         *
         * @param schema the schema's name
         */
        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    /** The {@code configstore.mariadb.*} properties. */
    public static class Mariadb {

        /**
         * The database (MariaDB's name for a schema) that holds the store's tables, created if
         * missing: 1 to 64 letters, digits or '_'.
         */
        private String database = "configstore";

        /** Creates the properties; Spring Boot binds them. */
        public Mariadb() {}

        /**
         * The database that holds the store's tables.
         *
         * @return its name
         */
        public String getDatabase() {
            return database;
        }

        /**
         * Sets the database that holds the store's tables.
         *
         * @param database its name
         */
        public void setDatabase(String database) {
            this.database = database;
        }
    }

    /** The {@code configstore.cache.*} properties. */
    public static class Cache {

        /** How long a value stays cached after it was loaded or written. */
        private Duration expireAfterWrite = Duration.ofSeconds(60);

        /** How many entries each of the store's caches holds at most. */
        private long maximumSize = 10_000;

        /** Creates the properties; Spring Boot binds them. */
        public Cache() {}

        /**
         * How long a value stays cached after it was loaded or written.
         *
         * @return the time to live
         */
        public Duration getExpireAfterWrite() {
            return expireAfterWrite;
        }

        /**
         * Sets how long a value stays cached after it was loaded or written.
         *
         * @param expireAfterWrite positive
         */
        public void setExpireAfterWrite(Duration expireAfterWrite) {
            this.expireAfterWrite = expireAfterWrite;
        }

        /**
         * How many entries each of the store's caches holds at most.
         *
         * @return the bound
         */
        public long getMaximumSize() {
            return maximumSize;
        }

        /**
         * Sets how many entries each of the store's caches holds at most.
         *
         * @param maximumSize positive
         */
        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }
    }

    /** The {@code configstore.feed.*} properties. */
    public static class Feed {

        /**
         * Whether the change feed applies changes made by other processes to the caches; without
         * it they are seen when cached values expire.
         */
        private boolean enabled = true;

        /**
         * How often the change feed reads the change log at the latest, up to 1 hour; the
         * database's default when not set (1 second on PostgreSQL, 250 ms on SQLite and MariaDB).
         */
        private @Nullable Duration interval;

        /** Creates the properties; Spring Boot binds them. */
        public Feed() {}

        /**
         * Whether the change feed runs.
         *
         * @return {@code true} unless turned off
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the change feed runs.
         *
         * @param enabled {@code false} when this process is the only writer
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * How often the change feed reads the change log at the latest.
         *
         * @return the interval, or null for the database's default
         */
        public @Nullable Duration getInterval() {
            return interval;
        }

        /**
         * Sets how often the change feed reads the change log at the latest.
         *
         * @param interval positive, at most 1 hour
         */
        public void setInterval(@Nullable Duration interval) {
            this.interval = interval;
        }
    }

    /** The {@code configstore.health.*} properties. */
    public static class Health {

        /** How long the health check waits for the database, from 1 ms to 1 minute. */
        private Duration timeout = Duration.ofSeconds(2);

        /** Creates the properties; Spring Boot binds them. */
        public Health() {}

        /**
         * How long the health check waits for the database.
         *
         * @return the timeout
         */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * Sets how long the health check waits for the database.
         *
         * @param timeout from 1 ms to 1 minute
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** The {@code configstore.settings.*} properties. */
    public static class Settings {

        /**
         * The application name the declared settings are stored under when the application
         * declares one SettingsSchema bean. With several, each is stored under its bean's name.
         */
        private String application = "default";

        /** Creates the properties; Spring Boot binds them. */
        public Settings() {}

        /**
         * The application name the declared settings are stored under.
         *
         * @return the name
         */
        public String getApplication() {
            return application;
        }

        /**
         * Sets the application name the declared settings are stored under.
         *
         * @param application the name
         */
        public void setApplication(String application) {
            this.application = application;
        }
    }

    /** The {@code configstore.audit.*} properties: the audit trail of changes. */
    public static class Audit {

        /** How long the audit trail keeps its entries, from 1 hour to 100 years. */
        private Duration retention = Duration.ofDays(90);

        /**
         * Who made a change when the writing thread set no Actor, 1 to 200 characters: recorded in
         * the audit trail and the log.
         */
        private String defaultActor = "unknown";

        /** Creates the properties; Spring Boot binds them. */
        public Audit() {}

        /**
         * How long the audit trail keeps its entries.
         *
         * @return the retention
         */
        public Duration getRetention() {
            return retention;
        }

        /**
         * Sets how long the audit trail keeps its entries.
         *
         * @param retention from 1 hour to 100 years
         */
        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        /**
         * Who made a change when the writing thread set no Actor.
         *
         * @return the actor
         */
        public String getDefaultActor() {
            return defaultActor;
        }

        /**
         * Sets who made a change when the writing thread set no Actor.
         *
         * @param defaultActor 1 to 200 characters, no control characters
         */
        public void setDefaultActor(String defaultActor) {
            this.defaultActor = defaultActor;
        }
    }
}
