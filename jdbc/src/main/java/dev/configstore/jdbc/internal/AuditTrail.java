package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import dev.configstore.jdbc.Actor;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.HistoryQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: a database that records, in the same transaction as each change of a value,
 * who made it, when, where, and the value before and after, in table {@code configstore_audit}.
 *
 * <p>It wraps the store's database: every write runs as a transaction, in which the backends read
 * a value before they change it ({@link #before}) and note the change ({@link #record}); once the
 * transaction has committed, each change is logged at {@code INFO} under {@code
 * dev.configstore.changes}, and a transaction that fails logs nothing. A backend over a database
 * that is not wrapped records nothing.
 *
 * <p>Old values are exact on SQLite, whose write transactions run one at a time, and for a row that
 * exists on a server, which is read again with a lock ({@link SqlDialect#lockingRead}). Two
 * transactions that create the same row at once each record it as new.
 */
public final class AuditTrail implements JdbcDatabase {

    /** The table. */
    public static final String TABLE = "configstore_audit";

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.changes");

    /**
     * How the trail records.
     *
     * @param defaultActor who made a change when the writing thread set no {@link Actor}
     * @param clock the clock of the changes' times and of the retention
     * @param retention how long entries are kept
     */
    public record Settings(String defaultActor, Clock clock, Duration retention) {
        /** Keeps 90 days, by the system clock, for an unnamed actor. */
        public static final Settings DEFAULT = new Settings("unknown", Clock.systemUTC(), Duration.ofDays(90));
    }

    /**
     * One change of a value.
     *
     * @param scope where the value lives
     * @param guildId the guild, or {@code ""}
     * @param channelId the channel, or {@code ""}
     * @param namespace the key-value namespace, or {@code ""}
     * @param key the key
     * @param oldValue the text before, or null
     * @param newValue the text after, or null
     */
    public record Change(
            AuditEntry.Scope scope,
            String guildId,
            String channelId,
            String namespace,
            String key,
            @Nullable String oldValue,
            @Nullable String newValue) {}

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final Settings settings;
    private final String name;
    private final String insert;
    /** The changes noted by the transaction running on a thread, with the trail running it. */
    private record Pending(AuditTrail trail, List<Change> changes) {}

    private static final ThreadLocal<@Nullable Pending> PENDING = new ThreadLocal<>();

    /**
     * Wraps a store's database.
     *
     * @param database the database
     * @param dialect its SQL
     * @param settings how to record
     * @param name the store's name, for log messages
     */
    public AuditTrail(JdbcDatabase database, SqlDialect dialect, Settings settings, String name) {
        this.database = Objects.requireNonNull(database, "database");
        this.dialect = dialect;
        this.settings = settings;
        this.name = name;
        this.insert = "INSERT INTO " + dialect.table(TABLE) + " (at_ms, actor, scope, guild_id, channel_id, namespace, "
                + dialect.column("key") + ", old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * Reads a row's values before a change, as the change will find them: on a server, a row that
     * exists is read again with a lock held to the end of the transaction.
     *
     * @param database the database the backend writes to; nothing is read unless it is an audit trail
     * @param connection the transaction's connection
     * @param select a query of the row's columns by its key, without a locking clause
     * @param keys the key's values, in the query's order
     * @return the row's columns as text (null for NULL), or null if the row does not exist or
     *     nothing is recorded
     * @throws SQLException if a query fails
     */
    public static @Nullable String @Nullable [] before(
            JdbcDatabase database, Connection connection, String select, String... keys) throws SQLException {
        if (!(database instanceof AuditTrail trail)) {
            return null;
        }
        @Nullable String @Nullable [] row = trail.readRow(connection, select, keys);
        String locking = trail.dialect.lockingRead();
        if (row == null || locking.isEmpty()) {
            return row;
        }
        return trail.readRow(connection, select + locking, keys);
    }

    /**
     * Records changes in the transaction that makes them; changes whose old and new values are
     * the same are left out.
     *
     * @param database the database the backend writes to; nothing is recorded unless it is an audit
     *     trail
     * @param connection the transaction's connection
     * @param changes the changes
     * @throws SQLException if the insert fails
     */
    public static void record(JdbcDatabase database, Connection connection, List<Change> changes) throws SQLException {
        if (database instanceof AuditTrail trail) {
            trail.insert(connection, changes);
        }
    }

    private @Nullable String @Nullable [] readRow(Connection connection, String select, String... keys)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            for (int i = 0; i < keys.length; i++) {
                statement.setString(i + 1, keys[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                int columns = row.getMetaData().getColumnCount();
                @Nullable String[] values = new String[columns];
                for (int i = 0; i < columns; i++) {
                    values[i] = row.getString(i + 1);
                }
                return values;
            }
        }
    }

    private void insert(Connection connection, List<Change> changes) throws SQLException {
        List<Change> real = new ArrayList<>();
        for (Change change : changes) {
            if (!Objects.equals(change.oldValue(), change.newValue())) {
                real.add(change);
            }
        }
        if (real.isEmpty()) {
            return;
        }
        String actor = Actor.current().orElse(settings.defaultActor());
        long now = settings.clock().millis();
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Change change : real) {
                statement.setLong(1, now);
                statement.setString(2, actor);
                statement.setString(3, change.scope().name().toLowerCase(Locale.ROOT));
                statement.setString(4, change.guildId());
                statement.setString(5, change.channelId());
                statement.setString(6, change.namespace());
                statement.setString(7, change.key());
                setText(statement, 8, change.oldValue());
                setText(statement, 9, change.newValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        Pending noted = PENDING.get();
        if (noted != null && noted.trail() == this) {
            noted.changes().addAll(real);
        }
    }

    private static void setText(PreparedStatement statement, int index, @Nullable String text) throws SQLException {
        if (text == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, text);
        }
    }

    /**
     * Reads entries of the trail, the newest first.
     *
     * @param query which
     * @return the entries
     * @throws StoreException if the table cannot be read
     */
    public List<AuditEntry> history(HistoryQuery query) {
        StringBuilder sql = new StringBuilder("SELECT at_ms, actor, scope, guild_id, channel_id, namespace, ")
                .append(dialect.column("key"))
                .append(", old_value, new_value FROM ")
                .append(dialect.table(TABLE))
                .append(" WHERE ");
        List<Object> arguments = new ArrayList<>();
        switch (query.target()) {
            case GUILD -> {
                sql.append("guild_id = ? AND scope IN ('guild', 'channel')");
                arguments.add(query.id());
            }
            case GLOBAL -> sql.append("scope = 'global'");
            case NAMESPACE -> {
                sql.append("scope = 'namespace' AND namespace = ?");
                arguments.add(query.id());
            }
        }
        query.keyFilter().ifPresent(key -> {
            sql.append(" AND ").append(dialect.column("key")).append(" = ?");
            arguments.add(key);
        });
        query.since().ifPresent(time -> {
            sql.append(" AND at_ms >= ?");
            arguments.add(time.toEpochMilli());
        });
        query.until().ifPresent(time -> {
            sql.append(" AND at_ms < ?");
            arguments.add(time.toEpochMilli());
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        arguments.add(query.limit());
        return database.read(TABLE, "reading the history of " + query, c -> {
            try (PreparedStatement statement = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setObject(i + 1, arguments.get(i));
                }
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        entries.add(new AuditEntry(
                                Instant.ofEpochMilli(row.getLong(1)),
                                row.getString(2),
                                AuditEntry.Scope.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
                                row.getString(4),
                                row.getString(5),
                                row.getString(6),
                                row.getString(7),
                                row.getString(8),
                                row.getString(9)));
                    }
                }
                return entries;
            }
        });
    }

    /**
     * Deletes the entries older than the retention, by the trail's clock.
     *
     * @return how many were deleted
     * @throws StoreException if the delete fails
     */
    public int prune() {
        long before = settings.clock().millis() - settings.retention().toMillis();
        String table = dialect.table(TABLE);
        // Looked for first: a delete takes SQLite's write lock even when it finds nothing.
        boolean any = database.read(TABLE, "looking for old audit entries", c -> {
            try (PreparedStatement statement =
                    c.prepareStatement("SELECT 1 FROM " + table + " WHERE at_ms < ? LIMIT 1")) {
                statement.setLong(1, before);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        });
        if (!any) {
            return 0;
        }
        int deleted = database.write(TABLE, "pruning the audit trail", c -> {
            try (PreparedStatement statement = c.prepareStatement("DELETE FROM " + table + " WHERE at_ms < ?")) {
                statement.setLong(1, before);
                return statement.executeUpdate();
            }
        });
        if (deleted > 0) {
            log.debug("{}: removed {} audit entries older than {}", name, deleted, settings.retention());
        }
        return deleted;
    }

    /**
     * Returns how the trail records.
     *
     * @return its settings
     */
    public Settings settings() {
        return settings;
    }

    @Override
    public <T> T read(String table, String what, SqlWork<T> work) {
        return database.read(table, what, work);
    }

    /** Runs the change as a transaction, so that it and its audit entries commit together. */
    @Override
    public <T> T write(String table, String what, SqlWork<T> work) {
        return transaction(table, what, work);
    }

    @Override
    public <T> T transaction(String table, String what, SqlWork<T> work) {
        Pending outer = PENDING.get();
        List<Change> noted = new ArrayList<>();
        PENDING.set(new Pending(this, noted));
        T result;
        try {
            result = database.transaction(table, what, work);
        } finally {
            PENDING.set(outer);
        }
        if (!noted.isEmpty() && log.isInfoEnabled()) {
            String actor = Actor.current().orElse(settings.defaultActor());
            for (Change change : noted) {
                log.info(
                        "{}: {} changed {}: {} -> {}",
                        name,
                        actor,
                        describe(change),
                        show(change.oldValue()),
                        show(change.newValue()));
            }
        }
        return result;
    }

    private static String describe(Change change) {
        return switch (change.scope()) {
            case GLOBAL -> "setting " + change.key() + " for the whole bot";
            case GUILD -> "setting " + change.key() + " of guild " + change.guildId();
            case CHANNEL ->
                "setting " + change.key() + " of channel " + change.channelId() + " in guild " + change.guildId();
            case NAMESPACE -> "key \"" + change.key() + "\" of namespace " + change.namespace();
        };
    }

    private static String show(@Nullable String value) {
        if (value == null) {
            return "(none)";
        }
        return value.length() <= 100
                ? "\"" + value + "\""
                : "\"" + value.substring(0, 100) + "…\" (" + value.length() + " characters)";
    }

    @Override
    public StoreException translate(SQLException e, String table, String what) {
        return database.translate(e, table, what);
    }

    @Override
    public String where() {
        return database.where();
    }

    @Override
    public boolean readOnly() {
        return database.readOnly();
    }
}
