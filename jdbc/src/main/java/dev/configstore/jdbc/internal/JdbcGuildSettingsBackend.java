package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Per-guild settings in the {@code guild_config} table, one row per guild, compatible with the
 * table bots already have. Every change is one upsert statement that returns the version it wrote
 * ({@link SqlDialect#upsert}) and sets only the columns it changes, with every value bound as a
 * parameter, and the time of the change in both {@code updated_at} (the original bot's column)
 * and {@code updated_at_s}. Rows are never deleted: a guild whose settings are all cleared keeps a row of NULLs
 * (and its version), and reads as absent. Also lists, counts and reads every guild, from the
 * table, not the cache.
 */
public final class JdbcGuildSettingsBackend implements GuildSettingsBackend {

    /** The table. */
    public static final String TABLE = "guild_config";

    /** The columns {@link #settings} reads, in its order. */
    private static final String SETTINGS_COLUMNS = "logging_channel_id, flags_channel_id, silent_first_msg_days";

    /** A row that holds at least one setting: a guild that has settings. */
    /** The condition a row of {@code guild_config} meets when it holds any setting. */
    public static final String WITH_SETTINGS =
            "(logging_channel_id IS NOT NULL OR flags_channel_id IS NOT NULL OR silent_first_msg_days IS NOT NULL)";

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final @Nullable ChangeFeed feed;
    private final String table;
    private final String select;
    /** The settings in the order of {@link #SETTINGS_COLUMNS}. */
    private static final List<GuildSetting> COLUMN_ORDER =
            List.of(GuildSetting.LOGGING_CHANNEL_ID, GuildSetting.FLAGS_CHANNEL_ID, GuildSetting.SILENT_FIRST_MSG_DAYS);

    /** The three columns alone, in {@link #COLUMN_ORDER}, for the audit trail. */
    private final String selectColumns;

    private final String upsertAll;
    private final Map<GuildSetting, String> upsertOne = new EnumMap<>(GuildSetting.class);

    /**
     * Creates the backend.
     *
     * @param database the database
     * @param dialect its SQL
     * @param feed the change feed, or null if there is none
     */
    public JdbcGuildSettingsBackend(JdbcDatabase database, SqlDialect dialect, @Nullable ChangeFeed feed) {
        this.database = database;
        this.dialect = dialect;
        this.feed = feed;
        this.table = dialect.table(TABLE);
        this.select = "SELECT " + SETTINGS_COLUMNS + ", version FROM " + table + " WHERE guild_id = ?";
        this.selectColumns = "SELECT " + SETTINGS_COLUMNS + " FROM " + table + " WHERE guild_id = ?";
        // Every write keeps updated_at current, as the original bot's own queries read it.
        Map<String, String> updatedAt = Map.of(
                "updated_at",
                database.read(TABLE, "reading the type of guild_config.updated_at", dialect::updatedAtNow));
        this.upsertAll = dialect.upsert(
                TABLE,
                List.of("guild_id"),
                List.of("logging_channel_id", "flags_channel_id", "silent_first_msg_days"),
                updatedAt);
        for (GuildSetting setting : GuildSetting.values()) {
            upsertOne.put(setting, dialect.upsert(TABLE, List.of("guild_id"), List.of(column(setting)), updatedAt));
        }
    }

    /**
     * The column of a setting.
     *
     * @param setting the setting
     * @return its column in {@code guild_config}
     */
    public static String column(GuildSetting setting) {
        return setting.column();
    }

    @Override
    public Optional<Versioned<GuildSettings>> read(String guildId) {
        return database.read(TABLE, "reading the settings of guild " + guildId, c -> select(c, guildId));
    }

    @Override
    public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
        GuildSettings.EMPTY.with(setting, value); // refuses a value of the wrong type before any SQL
        return ownChange(
                guildId,
                database.write(
                        TABLE,
                        "setting " + column(setting) + " of guild " + guildId,
                        c -> upsertSetting(c, guildId, setting, value)));
    }

    @Override
    public long write(String guildId, GuildSettings settings) {
        return ownChange(
                guildId,
                database.write(
                        TABLE, "writing the settings of guild " + guildId, c -> upsertAll(c, guildId, settings)));
    }

    @Override
    public long delete(String guildId) {
        return ownChange(
                guildId,
                database.write(
                        TABLE,
                        "clearing the settings of guild " + guildId,
                        c -> upsertAll(c, guildId, GuildSettings.EMPTY)));
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
        return TransactionCalls.run(
                database,
                dialect,
                TABLE,
                "a transaction on guild settings",
                TransactionOperations::new,
                work,
                this::ownChange);
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<String> listener) {
        return feed == null ? ChangeSubscription.NONE : feed.subscribe(TABLE, "", listener);
    }

    /**
     * Lists the guilds that have at least one setting stored, in order of their ids, a page at a
     * time, from the table.
     *
     * @param offset how many guilds to skip; not negative
     * @param limit how many guilds to return at most; from 1 to 10,000
     * @return the guild ids
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
     * @throws StoreException if the table cannot be read
     */
    public List<String> guildIds(long offset, int limit) {
        Statements.requirePage(offset, limit);
        return database.read(TABLE, "listing guilds", c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT guild_id FROM " + table + " WHERE "
                    + WITH_SETTINGS + " ORDER BY guild_id LIMIT ? OFFSET ?")) {
                statement.setInt(1, limit);
                statement.setLong(2, offset);
                return Statements.strings(statement);
            }
        });
    }

    /**
     * Reads the stored settings of every guild that has any, in order of their ids, with one
     * statement: one snapshot of the table, whatever other connections change meanwhile.
     *
     * @param action called once per guild with its id and its stored settings
     * @return how many guilds were read
     * @throws IllegalArgumentException if {@code action} is null
     * @throws StoreException if the table cannot be read; {@code action} may already have been
     *     called for some guilds
     */
    public long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action) {
        Arguments.notNull(action, "action");
        return database.read(TABLE, "reading every guild's settings", c -> {
            long guilds = 0;
            try (PreparedStatement statement = c.prepareStatement("SELECT guild_id, " + SETTINGS_COLUMNS + " FROM "
                            + table + " WHERE " + WITH_SETTINGS + " ORDER BY guild_id");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String guildId = rows.getString(1);
                    action.accept(guildId, settings(rows, 2));
                    guilds++;
                }
            }
            return guilds;
        });
    }

    /**
     * Counts the guilds that have at least one setting stored, from the table.
     *
     * @return the number of guilds
     * @throws StoreException if the table cannot be read
     */
    public long guildCount() {
        return database.read(TABLE, "counting guilds", c -> {
            try (PreparedStatement statement =
                            c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + WITH_SETTINGS);
                    ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    private long ownChange(String guildId, long version) {
        if (feed != null) {
            feed.recordOwnChange(TABLE, "", guildId, version);
        }
        return version;
    }

    private Optional<Versioned<GuildSettings>> select(Connection connection, String guildId) throws SQLException {
        return select(connection, guildId, select);
    }

    /**
     * Reads a guild's row inside a transaction that may write it: a row that exists is read again
     * with a lock held to the transaction's end ({@link SqlDialect#lockingRead}), so that no other
     * transaction changes it between this read and the write based on it. A missing row is not
     * locked (on MariaDB that would lock a gap, and two transactions inserting into it would
     * deadlock).
     */
    private Optional<Versioned<GuildSettings>> selectForChange(Connection connection, String guildId)
            throws SQLException {
        Optional<Versioned<GuildSettings>> read = select(connection, guildId, select);
        return read.isEmpty() || dialect.lockingRead().isEmpty()
                ? read
                : select(connection, guildId, select + dialect.lockingRead());
    }

    private Optional<Versioned<GuildSettings>> select(Connection connection, String guildId, String sql)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, guildId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                GuildSettings settings = settings(row, 1);
                long version = row.getLong(4);
                return settings.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Versioned<>(settings, Math.max(1, version)));
            }
        }
    }

    /**
     * Reads the settings columns of a row, starting at {@code column}. A days value that is not a
     * whole number fitting an int (text or a fraction another tool stored in SQLite, a number too
     * large) is kept as text for the facades to skip, never refused here: one bad value must not
     * make every read of the guild fail.
     */
    private static GuildSettings settings(ResultSet row, int column) throws SQLException {
        Object days = row.getObject(column + 2);
        OptionalInt wholeDays = days(days);
        GuildSettings settings = new GuildSettings(
                Optional.ofNullable(row.getString(column)),
                Optional.ofNullable(row.getString(column + 1)),
                wholeDays == null ? OptionalInt.empty() : wholeDays);
        return wholeDays == null ? settings.withUnreadableSilentDays(text(days)) : settings;
    }

    /** Reads the days column as stored: empty for NULL, null if it is not a whole number fitting an int. */
    private static @Nullable OptionalInt days(@Nullable Object stored) {
        if (stored == null) {
            return OptionalInt.empty();
        }
        if (stored instanceof Integer days) {
            return OptionalInt.of(days);
        }
        if (stored instanceof Short days) {
            return OptionalInt.of(days);
        }
        if (stored instanceof Long days && days >= Integer.MIN_VALUE && days <= Integer.MAX_VALUE) {
            return OptionalInt.of(days.intValue());
        }
        return null;
    }

    private static String text(@Nullable Object stored) {
        return stored instanceof byte[] bytes
                ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(stored);
    }

    private long upsertSetting(Connection connection, String guildId, GuildSetting setting, @Nullable Object value)
            throws SQLException {
        @Nullable String @Nullable [] before = AuditTrail.before(database, connection, selectColumns, guildId);
        String sql = Objects.requireNonNull(upsertOne.get(setting), "every setting has a statement");
        long version;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, guildId);
            Statements.bind(statement, 2, setting == GuildSetting.SILENT_FIRST_MSG_DAYS, value);
            dialect.bindClock(statement, 3);
            version = Statements.returnedVersion(statement);
        }
        audit(connection, guildId, before, List.of(setting), GuildSettings.EMPTY.with(setting, value));
        return version;
    }

    /** Records the changes of the columns written, from the row read before to the values written. */
    private void audit(
            Connection connection,
            String guildId,
            @Nullable String @Nullable [] before,
            List<GuildSetting> written,
            GuildSettings values)
            throws SQLException {
        if (!(database instanceof AuditTrail)) {
            return;
        }
        List<AuditTrail.Change> changes = new ArrayList<>();
        for (GuildSetting setting : written) {
            String old = before == null ? null : before[COLUMN_ORDER.indexOf(setting)];
            Object now = values.get(setting);
            changes.add(new AuditTrail.Change(
                    AuditEntry.Scope.GUILD,
                    guildId,
                    "",
                    "",
                    setting.column(),
                    old,
                    now == null ? null : now.toString()));
        }
        AuditTrail.record(database, connection, changes);
    }

    /**
     * Replaces a guild's three columns on a connection inside a transaction the caller runs (a
     * tool's import or forget), reading what was there first.
     *
     * @param connection the transaction's connection
     * @param guildId the guild's id
     * @param settings the new values; {@link GuildSettings#EMPTY} clears them
     * @return what was stored before, {@link GuildSettings#EMPTY} if nothing
     * @throws SQLException if a statement fails
     */
    public GuildSettings replace(Connection connection, String guildId, GuildSettings settings) throws SQLException {
        GuildSettings before =
                selectForChange(connection, guildId).map(Versioned::value).orElse(GuildSettings.EMPTY);
        if (!before.equals(settings)) {
            upsertAll(connection, guildId, settings);
        }
        return before;
    }

    private long upsertAll(Connection connection, String guildId, GuildSettings settings) throws SQLException {
        @Nullable String @Nullable [] before = AuditTrail.before(database, connection, selectColumns, guildId);
        long version;
        try (PreparedStatement statement = connection.prepareStatement(upsertAll)) {
            statement.setString(1, guildId);
            Statements.bind(statement, 2, false, settings.get(GuildSetting.LOGGING_CHANNEL_ID));
            Statements.bind(statement, 3, false, settings.get(GuildSetting.FLAGS_CHANNEL_ID));
            Statements.bind(statement, 4, true, settings.get(GuildSetting.SILENT_FIRST_MSG_DAYS));
            dialect.bindClock(statement, 5);
            version = Statements.returnedVersion(statement);
        }
        audit(connection, guildId, before, COLUMN_ORDER, settings);
        return version;
    }

    /** The operations of one transaction, on its connection. */
    private final class TransactionOperations implements BackendOperations<String, GuildSettings> {
        private final Connection connection;
        private final List<Map.Entry<String, Long>> changes;
        private final TransactionCalls calls;

        TransactionOperations(Connection connection, TransactionCalls calls, List<Map.Entry<String, Long>> changes) {
            this.connection = connection;
            this.calls = calls;
            this.changes = changes;
        }

        /** Noted now, recorded as this process's own change only once the transaction commits. */
        private long noted(String guildId, long version) {
            changes.add(Map.entry(guildId, version));
            return version;
        }

        @Override
        public Optional<Versioned<GuildSettings>> read(String guildId) {
            return calls.call("reading the settings of guild " + guildId, () -> selectForChange(connection, guildId));
        }

        @Override
        public long write(String guildId, GuildSettings settings) {
            return noted(
                    guildId,
                    calls.call(
                            "writing the settings of guild " + guildId,
                            () -> upsertAll(connection, guildId, settings)));
        }

        @Override
        public long delete(String guildId) {
            return noted(
                    guildId,
                    calls.call(
                            "clearing the settings of guild " + guildId,
                            () -> upsertAll(connection, guildId, GuildSettings.EMPTY)));
        }
    }
}
