package dev.configstore.reliability;

import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One SQLite file shared by every process. The stated bound: a change reaches every open store
 * within the change feed's poll interval (250 ms by default) plus one read (docs/coherence.md); the
 * checker allows 250 ms for that read and the scheduling of a busy machine.
 */
final class SqliteTarget implements Target {

    static final Duration BOUND = Duration.ofMillis(500);

    private final Path folder;
    private final Path file;

    SqliteTarget(Path folder) {
        this.folder = folder;
        this.file = folder.resolve("shared.db");
    }

    /** The database file every worker opens. */
    Path file() {
        return file;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public Map<String, String> workerEnvironment() {
        return Map.of();
    }

    @Override
    public Duration crossProcessBound() {
        return BOUND;
    }

    @Override
    public void prepare() {
        SqliteConfigStore.builder(file).disableChangeFeed().build().close();
    }

    @Override
    public List<String> shellWrite(String key, @Nullable String value, int variant) {
        String where = " WHERE namespace = " + Target.literal(Worker.NAMESPACE) + " AND key = " + Target.literal(key);
        String sql;
        if (value == null && variant % 2 == 0) {
            sql = "DELETE FROM configstore_kv" + where + ";";
        } else {
            // Raising the version or not: an operator's edit may do either, and both must be seen.
            String version = variant % 2 == 0 ? "configstore_kv.version + 1" : "configstore_kv.version";
            sql = "INSERT INTO configstore_kv (namespace, key, value, version, updated_at_s) VALUES ("
                    + Target.literal(Worker.NAMESPACE) + ", " + Target.literal(key) + ", " + Target.literal(value)
                    + ", 1, CAST(strftime('%s', 'now') AS INTEGER)) ON CONFLICT (namespace, key) DO UPDATE SET"
                    + " value = excluded.value, version = " + version + ", updated_at_s = excluded.updated_at_s;";
        }
        return List.of(shell(), "-bail", "-cmd", ".timeout 10000", file.toString(), sql);
    }

    @Override
    public String shell() {
        return "sqlite3";
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    @Override
    public String keyValueTable() {
        return "configstore_kv";
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        // The file stays in the run's folder, beside the history, for whoever debugs a violation.
    }
}
