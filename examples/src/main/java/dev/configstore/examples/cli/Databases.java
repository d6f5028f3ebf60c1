package dev.configstore.examples.cli;

import dev.configstore.jdbc.ConfigStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

/**
 * Opens a database as the {@code configstore} tool's {@code --db} and {@code --schema} options
 * name it, for the other example programs (the dashboard): a SQLite file, or a PostgreSQL or
 * MariaDB JDBC URL, migrated on opening, with the defaults of the environment.
 */
public final class Databases {

    private Databases() {}

    /**
     * Opens the database with its change feed on.
     *
     * @param db a SQLite file, or a {@code jdbc:postgresql:} or {@code jdbc:mariadb:} URL
     * @param schema with a server: the schema (PostgreSQL) or database (MariaDB) of configstore's
     *     tables
     * @param environment the environment, for the settings' defaults
     * @param actor who makes the changes when no {@link dev.configstore.jdbc.Actor} is set
     * @param feedInterval how often the change feed reads other processes' changes at the latest
     * @return the store, to close
     * @throws IllegalArgumentException if {@code db} is not a SQLite file or a URL the tool knows;
     *     the message says what to give instead
     * @throws dev.configstore.StoreException if the database cannot be opened
     */
    public static ConfigStore openLive(
            String db, String schema, Map<String, String> environment, String actor, Duration feedInterval) {
        PrintWriter unused = new PrintWriter(new StringWriter());
        Root root = new Root(unused, unused, environment);
        root.db = db;
        root.schema = schema;
        root.by = actor;
        return root.openLive(feedInterval);
    }

    /**
     * Describes the database for messages, without a password its URL may hold.
     *
     * @param db as for {@link #openLive}
     * @param schema as for {@link #openLive}
     * @return the description
     */
    public static String shown(String db, String schema) {
        PrintWriter unused = new PrintWriter(new StringWriter());
        Root root = new Root(unused, unused, Map.of());
        root.db = db;
        root.schema = schema;
        return root.shownDatabase();
    }
}
