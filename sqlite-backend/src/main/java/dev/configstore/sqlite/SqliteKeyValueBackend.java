package dev.configstore.sqlite;

import dev.configstore.internal.StorableText;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * String keys and values of one namespace in the {@code configstore_kv} table. A removed key
 * keeps its row with a NULL value (and its version), and reads as absent.
 */
final class SqliteKeyValueBackend implements Backend<String, String> {

    static final String TABLE = "configstore_kv";

    private static final String SELECT = "SELECT value, version FROM configstore_kv WHERE namespace = ? AND key = ?";
    private static final String UPSERT = "INSERT INTO configstore_kv (namespace, key, value, version, updated_at_s)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,"
            + " version = MAX(configstore_kv.version + 1, excluded.version), updated_at_s = excluded.updated_at_s"
            + " RETURNING version";

    private final SqliteDatabase database;
    private final String namespace;
    private final @Nullable SqliteChangeFeed feed;

    SqliteKeyValueBackend(SqliteDatabase database, String namespace, @Nullable SqliteChangeFeed feed) {
        this.database = database;
        this.namespace = namespace;
        this.feed = feed;
    }

    @Override
    public Optional<Versioned<String>> read(String key) {
        StorableText.requireKey(key);
        return database.read(TABLE, describe("reading", key), c -> select(c, key));
    }

    @Override
    public long write(String key, String value) {
        StorableText.requireKey(key);
        StorableText.requireValue(value);
        return ownChange(key, database.write(TABLE, describe("writing", key), c -> upsert(c, key, value)));
    }

    @Override
    public long delete(String key) {
        StorableText.requireKey(key);
        return ownChange(key, database.write(TABLE, describe("removing", key), c -> upsert(c, key, null)));
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<String, String>, ? extends T> work) {
        List<Map.Entry<String, Long>> changes = new ArrayList<>();
        T result = database.transaction(TABLE, "a transaction on namespace " + namespace, c -> {
            TransactionOperations operations = new TransactionOperations(c, changes);
            try {
                return work.apply(operations);
            } finally {
                operations.active = false;
            }
        });
        changes.forEach(change -> ownChange(change.getKey(), change.getValue()));
        return result;
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<String> listener) {
        return feed == null ? ChangeSubscription.NONE : feed.subscribe(TABLE, namespace, listener);
    }

    private long ownChange(String key, long version) {
        if (feed != null) {
            feed.recordOwnChange(TABLE, namespace, key, version);
        }
        return version;
    }

    private String describe(String action, String key) {
        return action + " key \"" + key + "\" of namespace " + namespace;
    }

    private Optional<Versioned<String>> select(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String value = row.getString(1);
                return value == null
                        ? Optional.empty()
                        : Optional.of(new Versioned<>(value, Math.max(1, row.getLong(2))));
            }
        }
    }

    private long upsert(Connection connection, String key, @Nullable String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            if (value == null) {
                statement.setNull(3, Types.VARCHAR);
            } else {
                statement.setString(3, value);
            }
            statement.setLong(4, Versions.floor());
            statement.setLong(5, Versions.nowSeconds());
            return SqliteGuildSettingsBackend.returnedVersion(statement);
        }
    }

    /** The operations of one transaction, on its connection. */
    private final class TransactionOperations implements BackendOperations<String, String> {
        private final Connection connection;
        private final List<Map.Entry<String, Long>> changes;
        volatile boolean active = true;

        TransactionOperations(Connection connection, List<Map.Entry<String, Long>> changes) {
            this.connection = connection;
            this.changes = changes;
        }

        @Override
        public Optional<Versioned<String>> read(String key) {
            StorableText.requireKey(key);
            return call(describe("reading", key), () -> select(connection, key));
        }

        @Override
        public long write(String key, String value) {
            StorableText.requireKey(key);
            StorableText.requireValue(value);
            return noted(key, call(describe("writing", key), () -> upsert(connection, key, value)));
        }

        @Override
        public long delete(String key) {
            StorableText.requireKey(key);
            return noted(key, call(describe("removing", key), () -> upsert(connection, key, null)));
        }

        /** Noted now, recorded as this process's own change only once the transaction commits. */
        private long noted(String key, long version) {
            changes.add(Map.entry(key, version));
            return version;
        }

        private <T> T call(String what, SqlCall<T> call) {
            if (!active) {
                throw new IllegalStateException("the transaction has ended; use its operations only inside its work");
            }
            try {
                return call.run();
            } catch (SQLException e) {
                throw database.translate(e, TABLE, what);
            }
        }
    }
}
