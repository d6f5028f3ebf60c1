package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Per-guild settings in the {@code guild_config} table, one row per guild, compatible with the
 * table bots already have. Every change is one {@code INSERT … ON CONFLICT DO UPDATE} statement
 * that sets only the columns it changes. Rows are never deleted: a guild whose settings are all
 * cleared keeps a row of NULLs (and its version), and reads as absent.
 */
final class SqliteGuildSettingsBackend implements GuildSettingsBackend {

    static final String TABLE = "guild_config";

    /** The columns {@link #settings} reads, in its order. */
    static final String SETTINGS_COLUMNS = "logging_channel_id, flags_channel_id, silent_first_msg_days";

    private static final String SELECT =
            "SELECT " + SETTINGS_COLUMNS + ", version FROM guild_config WHERE guild_id = ?";
    private static final String UPSERT_ALL = "INSERT INTO guild_config"
            + " (guild_id, logging_channel_id, flags_channel_id, silent_first_msg_days, version, updated_at_s)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            + " logging_channel_id = excluded.logging_channel_id, flags_channel_id = excluded.flags_channel_id,"
            + " silent_first_msg_days = excluded.silent_first_msg_days,"
            + " version = MAX(guild_config.version + 1, excluded.version), updated_at_s = excluded.updated_at_s"
            + " RETURNING version";

    private final SqliteDatabase database;
    private final @Nullable SqliteChangeFeed feed;

    SqliteGuildSettingsBackend(SqliteDatabase database, @Nullable SqliteChangeFeed feed) {
        this.database = database;
        this.feed = feed;
    }

    /** The column that stores a setting; fixed names, never taken from input. */
    static String column(GuildSetting setting) {
        return switch (setting) {
            case LOGGING_CHANNEL_ID -> "logging_channel_id";
            case FLAGS_CHANNEL_ID -> "flags_channel_id";
            case SILENT_FIRST_MSG_DAYS -> "silent_first_msg_days";
        };
    }

    private static String upsertOne(GuildSetting setting) {
        String column = column(setting);
        return "INSERT INTO guild_config (guild_id, " + column + ", version, updated_at_s) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (guild_id) DO UPDATE SET " + column + " = excluded." + column + ","
                + " version = MAX(guild_config.version + 1, excluded.version), updated_at_s = excluded.updated_at_s"
                + " RETURNING version";
    }

    @Override
    public Optional<Versioned<GuildSettings>> read(String guildId) {
        return database.read(TABLE, "reading the settings of guild " + guildId, c -> select(c, guildId));
    }

    @Override
    public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
        GuildSettings.EMPTY.with(setting, value); // refuses a value of the wrong type before touching the file
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
        List<Map.Entry<String, Long>> changes = new ArrayList<>();
        T result = database.transaction(TABLE, "a transaction on guild settings", c -> {
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
        return feed == null ? ChangeSubscription.NONE : feed.subscribe(TABLE, "", listener);
    }

    private long ownChange(String guildId, long version) {
        if (feed != null) {
            feed.recordOwnChange(TABLE, "", guildId, version);
        }
        return version;
    }

    private Optional<Versioned<GuildSettings>> select(Connection connection, String guildId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setString(1, guildId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                GuildSettings settings = settings(database.file, guildId, row, 1);
                long version = row.getLong(4);
                return settings.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Versioned<>(settings, Math.max(1, version)));
            }
        }
    }

    /** Reads the {@link #SETTINGS_COLUMNS} of a row, starting at {@code column}. */
    static GuildSettings settings(Path file, String guildId, ResultSet row, int column) throws SQLException {
        return new GuildSettings(
                Optional.ofNullable(row.getString(column)),
                Optional.ofNullable(row.getString(column + 1)),
                days(file, guildId, row.getObject(column + 2)));
    }

    /** Reads the days column as stored, refusing a value that is not a whole number. */
    private static OptionalInt days(Path file, String guildId, @Nullable Object stored) {
        if (stored == null) {
            return OptionalInt.empty();
        }
        if (stored instanceof Integer days) {
            return OptionalInt.of(days);
        }
        if (stored instanceof Long days && days >= Integer.MIN_VALUE && days <= Integer.MAX_VALUE) {
            return OptionalInt.of(days.intValue());
        }
        throw new StoreException(
                StoreException.Reason.CORRUPT,
                "Table guild_config in " + file + " holds \"" + stored
                        + "\" as silent_first_msg_days of guild "
                        + guildId + ", which is not a whole number of days. Set it again (or to NULL) with the"
                        + " configstore tool or the sqlite3 shell.",
                new SQLException("unexpected value " + stored + " of type "
                        + stored.getClass().getSimpleName()));
    }

    private static long upsertSetting(
            Connection connection, String guildId, GuildSetting setting, @Nullable Object value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsertOne(setting))) {
            statement.setString(1, guildId);
            bind(statement, 2, value);
            statement.setLong(3, Versions.floor());
            statement.setLong(4, Versions.nowSeconds());
            return returnedVersion(statement);
        }
    }

    private static long upsertAll(Connection connection, String guildId, GuildSettings settings) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_ALL)) {
            statement.setString(1, guildId);
            bind(statement, 2, settings.get(GuildSetting.LOGGING_CHANNEL_ID));
            bind(statement, 3, settings.get(GuildSetting.FLAGS_CHANNEL_ID));
            bind(statement, 4, settings.get(GuildSetting.SILENT_FIRST_MSG_DAYS));
            statement.setLong(5, Versions.floor());
            statement.setLong(6, Versions.nowSeconds());
            return returnedVersion(statement);
        }
    }

    private static void bind(PreparedStatement statement, int index, @Nullable Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else {
            statement.setString(index, (String) value);
        }
    }

    /**
     * Runs an upsert and returns the version it wrote. The result is read to its end: SQLite
     * finishes a statement (and, outside a transaction, commits it) only when it is stepped past
     * its last row, and reports a failure there, not when the first row is read.
     */
    static long returnedVersion(PreparedStatement statement) throws SQLException {
        try (ResultSet returned = statement.executeQuery()) {
            if (!returned.next()) {
                throw new SQLException("the upsert returned no version");
            }
            long version = returned.getLong(1);
            if (returned.next()) {
                throw new SQLException("the upsert returned more than one row");
            }
            return version;
        }
    }

    /** The operations of one transaction, on its connection. */
    private final class TransactionOperations implements BackendOperations<String, GuildSettings> {
        private final Connection connection;
        private final List<Map.Entry<String, Long>> changes;
        volatile boolean active = true;

        TransactionOperations(Connection connection, List<Map.Entry<String, Long>> changes) {
            this.connection = connection;
            this.changes = changes;
        }

        /** Noted now, recorded as this process's own change only once the transaction commits. */
        private long noted(String guildId, long version) {
            changes.add(Map.entry(guildId, version));
            return version;
        }

        @Override
        public Optional<Versioned<GuildSettings>> read(String guildId) {
            return call("reading the settings of guild " + guildId, () -> select(connection, guildId));
        }

        @Override
        public long write(String guildId, GuildSettings settings) {
            return noted(
                    guildId,
                    call("writing the settings of guild " + guildId, () -> upsertAll(connection, guildId, settings)));
        }

        @Override
        public long delete(String guildId) {
            return noted(
                    guildId,
                    call(
                            "clearing the settings of guild " + guildId,
                            () -> upsertAll(connection, guildId, GuildSettings.EMPTY)));
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
