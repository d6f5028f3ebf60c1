package dev.configstore.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The database a run works on, as the coordinator, the workers and the nemesis reach it. */
interface Target extends AutoCloseable {

    /** {@code sqlite} or {@code postgres}: the worker's first argument. */
    String name();

    /** Where the workers find the database: the worker's second argument. */
    String location();

    /** Environment the worker processes need. */
    Map<String, String> workerEnvironment();

    /**
     * How long after a write returned another process may still read what it replaced, as the
     * documentation states it for this database with the stores' default settings.
     */
    Duration crossProcessBound();

    /** Creates the tables, before any worker starts, so that workers do not race to migrate. */
    void prepare();

    /**
     * The command of the database's own shell that writes {@code value} (null: removes) to a key
     * of the workers' namespace, as an operator would, without configstore.
     *
     * @param variant chooses among the ways an operator may write (upsert, update, delete)
     */
    List<String> shellWrite(String key, @Nullable String value, int variant);

    /** The database's shell that {@link #shellWrite} runs: {@code sqlite3} or {@code psql}. */
    String shell();

    /** Whether {@link #shell()} is an executable on the {@code PATH}. */
    default boolean shellAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator, -1)) {
            if (!folder.isEmpty() && java.nio.file.Files.isExecutable(Path.of(folder, shell()))) {
                return true;
            }
        }
        return false;
    }

    /** A fresh connection to the database, outside every store. */
    java.sql.Connection connect() throws java.sql.SQLException;

    /** The key-value table, as a query names it. */
    String keyValueTable();

    /** Each key's value, read on a fresh connection. */
    default Map<String, Optional<String>> finalValues(List<String> keys) {
        Map<String, Optional<String>> values = new java.util.LinkedHashMap<>();
        try (java.sql.Connection connection = connect();
                java.sql.PreparedStatement select = connection.prepareStatement(
                        "SELECT value FROM " + keyValueTable() + " WHERE namespace = ? AND key = ?")) {
            for (String key : keys) {
                select.setString(1, Worker.NAMESPACE);
                select.setString(2, key);
                try (java.sql.ResultSet row = select.executeQuery()) {
                    values.put(key, row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty());
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the final values of " + location(), e);
        }
        return values;
    }

    /** Where the run's files go. */
    Path folder();

    /** Removes what {@link #prepare} created elsewhere than in the run's folder. */
    @Override
    void close();

    /** Quotes a value for SQL typed into a shell. */
    static String literal(@Nullable String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
