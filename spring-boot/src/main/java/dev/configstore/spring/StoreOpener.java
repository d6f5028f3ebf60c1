package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * Opens the store the properties describe: SQLite when a path is set, else the database behind
 * the application's DataSource. Each database's builder is touched only once its module is known
 * to be on the class path, since the application brings only the one it uses.
 */
final class StoreOpener {

    /** The databases configstore runs on. */
    enum Database {
        SQLITE("SQLite", "configstore-sqlite", "dev.configstore.sqlite.SqliteConfigStore"),
        POSTGRES("PostgreSQL", "configstore-postgres", "dev.configstore.postgres.PostgresConfigStore"),
        MARIADB("MariaDB", "configstore-mysql", "dev.configstore.mysql.MariaDbConfigStore");

        final String title;
        final String artifact;
        final String storeClass;

        Database(String title, String artifact, String storeClass) {
            this.title = title;
            this.artifact = artifact;
            this.storeClass = storeClass;
        }
    }

    static final String NO_DATABASE = "configstore has no database to open: set configstore.sqlite.path to a"
            + " SQLite file, or give the application one DataSource bean (for example with spring.datasource.url)"
            + " on PostgreSQL or MariaDB. Several DataSource beans need one marked @Primary. To run without"
            + " configstore's beans, set configstore.enabled=false.";

    private StoreOpener() {}

    static ConfigStore open(
            ConfigStoreProperties properties, @Nullable DataSource dataSource, @Nullable ClassLoader classLoader) {
        Path path = properties.getSqlite().getPath();
        if (path != null) {
            requireModule(Database.SQLITE, "configstore.sqlite.path is set", classLoader);
            return SqliteStores.open(path, properties);
        }
        if (dataSource == null) {
            throw new IllegalStateException(NO_DATABASE);
        }
        Database database = detect(dataSource);
        requireModule(database, "The application's DataSource is on " + database.title, classLoader);
        return switch (database) {
            case POSTGRES -> PostgresStores.open(dataSource, properties);
            case MARIADB -> MariaDbStores.open(dataSource, properties);
            case SQLITE ->
                throw new IllegalStateException("The application's DataSource is on SQLite, which configstore opens"
                        + " itself: set configstore.sqlite.path to the database file instead.");
        };
    }

    /** Which database the DataSource connects to, from its connection's metadata. */
    static Database detect(DataSource dataSource) {
        String product;
        String version;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            product = String.valueOf(metaData.getDatabaseProductName());
            version = String.valueOf(metaData.getDatabaseProductVersion());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "configstore could not connect to the application's DataSource to find out which database it"
                            + " is (" + e.getMessage() + "). Check spring.datasource.url and its credentials, and"
                            + " that the server runs; or set configstore.sqlite.path to use a SQLite file instead.",
                    e);
        }
        String name = product.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return Database.POSTGRES;
        }
        // MySQL's driver names a MariaDB server "MySQL", with "MariaDB" in its version.
        if (name.contains("mariadb")
                || (name.contains("mysql") && version.toLowerCase(Locale.ROOT).contains("mariadb"))) {
            return Database.MARIADB;
        }
        if (name.contains("sqlite")) {
            return Database.SQLITE;
        }
        if (name.contains("mysql")) {
            throw new IllegalStateException("The application's DataSource is on MySQL " + version + ", which"
                    + " configstore does not support (MySQL has no INSERT … RETURNING). Point spring.datasource.url"
                    + " at PostgreSQL or MariaDB, or set configstore.sqlite.path to use a SQLite file.");
        }
        throw new IllegalStateException("The application's DataSource is on " + product + " " + version + ", which"
                + " configstore does not support: it runs on PostgreSQL, MariaDB and SQLite. Point"
                + " spring.datasource.url at PostgreSQL or MariaDB, set configstore.sqlite.path to use a SQLite"
                + " file, or set configstore.enabled=false.");
    }

    private static void requireModule(Database database, String why, @Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(database.storeClass, classLoader)) {
            throw new IllegalStateException(why + ", but configstore's " + database.title + " module is not on the"
                    + " class path: add the dependency dev.configstore:" + database.artifact + ".");
        }
    }

    /** Applies what every database's builder shares, naming the property of a value it refuses. */
    static <B extends StoreBuilder<B, S>, S extends ConfigStore> S build(B builder, ConfigStoreProperties properties) {
        setting("configstore.pool-size", properties.getPoolSize(), () -> builder.poolSize(properties.getPoolSize()));
        setting(
                "configstore.busy-timeout",
                properties.getBusyTimeout(),
                () -> builder.busyTimeout(properties.getBusyTimeout()));
        Duration timeToLive = properties.getCache().getExpireAfterWrite();
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new InvalidConfigurationPropertyValueException(
                    "configstore.cache.expire-after-write", timeToLive, "It must be positive, such as 60s.");
        }
        long maximumSize = properties.getCache().getMaximumSize();
        if (maximumSize < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    "configstore.cache.maximum-size", maximumSize, "It must be at least 1.");
        }
        builder.cache(cache -> cache.expireAfterWrite(timeToLive).maximumSize(maximumSize));
        ConfigStoreProperties.Audit audit = properties.getAudit();
        setting(
                "configstore.audit.retention",
                audit.getRetention(),
                () -> builder.auditRetention(audit.getRetention()));
        setting(
                "configstore.audit.default-actor",
                audit.getDefaultActor(),
                () -> builder.defaultActor(audit.getDefaultActor()));
        ConfigStoreProperties.Feed feed = properties.getFeed();
        Duration interval = feed.getInterval();
        if (!feed.isEnabled()) {
            builder.disableChangeFeed();
        } else if (interval != null) {
            setting("configstore.feed.interval", interval, () -> builder.changeFeedInterval(interval));
        }
        return builder.build();
    }

    /** Runs one builder setting; a value it refuses is reported as the property's. */
    static void setting(String property, Object value, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }
}
