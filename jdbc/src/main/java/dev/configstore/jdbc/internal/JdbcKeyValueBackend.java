package dev.configstore.jdbc.internal;

import dev.configstore.internal.StorableText;
import dev.configstore.jdbc.AuditEntry;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * String keys and values of one namespace in the {@code configstore_kv} table. Every change is one
 * upsert statement that returns the version it wrote ({@link SqlDialect#upsert}), with every value
 * bound as a parameter. A removed key keeps its row with a NULL value (and its version), and reads as
 * absent. Keys and values are checked ({@link StorableText}) before any SQL.
 */
public final class JdbcKeyValueBackend implements Backend<String, String> {

    /** The table. */
    public static final String TABLE = "configstore_kv";

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final String namespace;
    private final @Nullable ChangeFeed feed;
    private final String select;
    private final String upsert;
    private final String selectValue;

    /**
     * Creates the backend of one namespace.
     *
     * @param database the database
     * @param dialect its SQL
     * @param namespace the namespace
     * @param feed the change feed, or null if there is none
     */
    public JdbcKeyValueBackend(JdbcDatabase database, SqlDialect dialect, String namespace, @Nullable ChangeFeed feed) {
        this.database = database;
        this.dialect = dialect;
        this.namespace = namespace;
        this.feed = feed;
        String table = dialect.table(TABLE);
        String key = dialect.column("key");
        this.select = "SELECT value, version FROM " + table + " WHERE namespace = ? AND " + key + " = ?";
        this.upsert = dialect.upsert(TABLE, List.of("namespace", key), List.of("value"));
        this.selectValue = "SELECT value FROM " + table + " WHERE namespace = ? AND " + key + " = ?";
    }

    /**
     * Checks a namespace's name.
     *
     * @param namespace the name
     * @return the name
     * @throws IllegalArgumentException unless it is 1 to 64 letters, digits, {@code _}, {@code .}
     *     or {@code -}, starting with a letter or digit
     */
    public static String requireNamespace(@Nullable String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1 to 64 letters, digits, '_', '.' or '-', starting"
                    + " with a letter or digit, got " + (namespace == null ? "null" : "\"" + namespace + "\""));
        }
        return namespace;
    }

    /**
     * Lists the namespace's keys that hold a value, in order, a page at a time, from the table.
     *
     * @param offset how many keys to skip; not negative
     * @param limit how many keys to return at most; from 1 to 10,000
     * @return the keys
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public List<String> keys(long offset, int limit) {
        Statements.requirePage(offset, limit);
        return database.read(TABLE, "listing the keys of namespace " + namespace, c -> {
            String key = dialect.column("key");
            try (PreparedStatement statement = c.prepareStatement("SELECT " + key + " FROM " + dialect.table(TABLE)
                    + " WHERE namespace = ? AND value IS NOT NULL ORDER BY " + key + " LIMIT ? OFFSET ?")) {
                statement.setString(1, namespace);
                statement.setInt(2, limit);
                statement.setLong(3, offset);
                return Statements.strings(statement);
            }
        });
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
        return TransactionCalls.run(
                database,
                dialect,
                TABLE,
                "a transaction on namespace " + namespace,
                TransactionOperations::new,
                work,
                this::ownChange);
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
        try (PreparedStatement statement = connection.prepareStatement(select)) {
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
        @Nullable String @Nullable [] before = AuditTrail.before(database, connection, selectValue, namespace, key);
        long version = write(connection, key, value);
        AuditTrail.record(
                database,
                connection,
                List.of(new AuditTrail.Change(
                        AuditEntry.Scope.NAMESPACE, "", "", namespace, key, before == null ? null : before[0], value)));
        return version;
    }

    private long write(Connection connection, String key, @Nullable String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, namespace);
            statement.setString(2, key);
            if (value == null) {
                statement.setNull(3, Types.VARCHAR);
            } else {
                statement.setString(3, value);
            }
            dialect.bindClock(statement, 4);
            return Statements.returnedVersion(statement);
        }
    }

    /** The operations of one transaction, on its connection. */
    private final class TransactionOperations implements BackendOperations<String, String> {
        private final Connection connection;
        private final List<Map.Entry<String, Long>> changes;
        private final TransactionCalls calls;

        TransactionOperations(Connection connection, TransactionCalls calls, List<Map.Entry<String, Long>> changes) {
            this.connection = connection;
            this.calls = calls;
            this.changes = changes;
        }

        @Override
        public Optional<Versioned<String>> read(String key) {
            StorableText.requireKey(key);
            return calls.call(describe("reading", key), () -> select(connection, key));
        }

        @Override
        public long write(String key, String value) {
            StorableText.requireKey(key);
            StorableText.requireValue(value);
            return noted(key, calls.call(describe("writing", key), () -> upsert(connection, key, value)));
        }

        @Override
        public long delete(String key) {
            StorableText.requireKey(key);
            return noted(key, calls.call(describe("removing", key), () -> upsert(connection, key, null)));
        }

        /** Noted now, recorded as this process's own change only once the transaction commits. */
        private long noted(String key, long version) {
            changes.add(Map.entry(key, version));
            return version;
        }
    }
}
