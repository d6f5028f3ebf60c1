package dev.configstore.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** SQLite files and the raw JDBC baselines the benchmarks compare configstore with. */
final class Databases {

    /** The statement configstore runs for a key-value write, so the raw baseline does the same work. */
    static final String UPSERT = "INSERT INTO configstore_kv (namespace, key, value, version, updated_at_s)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,"
            + " version = MAX(configstore_kv.version + 1, excluded.version), updated_at_s = excluded.updated_at_s"
            + " RETURNING version";

    /** The statement configstore runs for a key-value read. */
    static final String SELECT = "SELECT value, version FROM configstore_kv WHERE namespace = ? AND key = ?";

    private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private Databases() {}

    static Path newFile(String name) {
        try {
            Path folder = Files.createTempDirectory("configstore-bench");
            return folder.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A HikariCP pool on the file with the same settings configstore gives its connections. */
    static HikariDataSource pool(Path file, boolean fullSync) {
        SQLiteDataSource dataSource = new SQLiteDataSource(settings(fullSync));
        dataSource.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("baseline");
        return new HikariDataSource(hikari);
    }

    /** One connection on the file, with the same settings as {@link #pool}'s with {@code NORMAL} sync. */
    static Connection connection(Path file) throws SQLException {
        return settings(false).createConnection("jdbc:sqlite:" + file);
    }

    /** The MariaDB server: {@code CONFIGSTORE_MYSQL_URL}, or the local test server. */
    static String mariadbUrl() {
        String url = System.getenv("CONFIGSTORE_MYSQL_URL");
        return url == null || url.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/test?user=root" : url.trim();
    }

    /**
     * The PostgreSQL server to measure against: {@code CONFIGSTORE_PG_URL}, or the local test
     * database the build's tests use.
     */
    static String postgresUrl() {
        String url = System.getenv("CONFIGSTORE_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url.trim();
    }

    /** Whether the PostgreSQL server answers. */
    static boolean postgresAnswers() {
        try (Connection connection = DriverManager.getConnection(postgresUrl())) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(postgresUrl());
                Statement drop = connection.createStatement()) {
            drop.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the benchmark's schema " + schema, e);
        }
    }

    /** What configstore's SQLite pool sets on each of its connections. */
    private static SQLiteConfig settings(boolean fullSync) {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        return config;
    }

    static void delete(Path file) {
        Path folder = file.getParent();
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; best effort
        }
    }
}
