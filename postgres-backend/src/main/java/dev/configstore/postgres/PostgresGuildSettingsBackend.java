package dev.configstore.postgres;

import dev.configstore.StoreException;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
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
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Per-guild settings in the {@code guild_config} table of the store's schema, one row per guild,
 * compatible with the table bots already have. Every change is one {@code INSERT … ON CONFLICT
 * DO UPDATE … RETURNING version} statement that sets only the columns it changes, with every value
 * bound as a parameter. Rows are never deleted: a guild whose settings are all cleared keeps a row
 * of NULLs (and its version), and reads as absent.
 */
final class PostgresGuildSettingsBackend implements GuildSettingsBackend {

    static final String TABLE = "guild_config";

    private final PostgresDatabase database;
    private final @Nullable PostgresChangeFeed feed;
    private final String select;
    private final String upsertAll;
    private final Map<GuildSetting, String> upsertOne = new java.util.EnumMap<>(GuildSetting.class);

    PostgresGuildSettingsBackend(PostgresDatabase database, @Nullable PostgresChangeFeed feed) {
        this.database = database;
        this.feed = feed;
        String table = database.table(TABLE);
        this.select = "SELECT logging_channel_id, flags_channel_id, silent_first_msg_days, version FROM " + table
                + " WHERE guild_id = ?";
        this.upsertAll = "INSERT INTO " + table + " AS t"
                + " (guild_id, logging_channel_id, flags_channel_id, silent_first_msg_days, version, updated_at_s)"
                + " VALUES (?, ?, ?, ?, " + Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS + ")"
                + " ON CONFLICT (guild_id) DO UPDATE SET logging_channel_id = EXCLUDED.logging_channel_id,"
                + " flags_channel_id = EXCLUDED.flags_channel_id,"
                + " silent_first_msg_days = EXCLUDED.silent_first_msg_days,"
                + " version = GREATEST(t.version + 1, EXCLUDED.version), updated_at_s = EXCLUDED.updated_at_s"
                + " RETURNING version";
        for (GuildSetting setting : GuildSetting.values()) {
            String column = column(setting);
            upsertOne.put(
                    setting,
                    "INSERT INTO " + table + " AS t (guild_id, " + column + ", version, updated_at_s) VALUES (?, ?, "
                            + Migrations.NOW_MICROS + ", " + Migrations.NOW_SECONDS + ")"
                            + " ON CONFLICT (guild_id) DO UPDATE SET " + column + " = EXCLUDED." + column + ","
                            + " version = GREATEST(t.version + 1, EXCLUDED.version),"
                            + " updated_at_s = EXCLUDED.updated_at_s RETURNING version");
        }
    }

    /** The column that stores a setting; fixed names, never taken from input. */
    static String column(GuildSetting setting) {
        return switch (setting) {
            case LOGGING_CHANNEL_ID -> "logging_channel_id";
            case FLAGS_CHANNEL_ID -> "flags_channel_id";
            case SILENT_FIRST_MSG_DAYS -> "silent_first_msg_days";
        };
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
        List<Map.Entry<String, Long>> changes = new ArrayList<>();
        T result = database.transaction(TABLE, "a transaction on guild settings", c -> {
            TransactionOperations operations = new TransactionOperations(c, changes);
            try {
                T done = work.apply(operations);
                operations.rethrowFirstFailure();
                return done;
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
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, guildId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                GuildSettings settings = new GuildSettings(
                        Optional.ofNullable(row.getString(1)),
                        Optional.ofNullable(row.getString(2)),
                        days(guildId, row.getObject(3)));
                long version = row.getLong(4);
                return settings.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Versioned<>(settings, Math.max(1, version)));
            }
        }
    }

    /** Reads the days column as stored, refusing a value that does not fit an int. */
    private OptionalInt days(String guildId, @Nullable Object stored) {
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
        throw new StoreException(
                StoreException.Reason.CORRUPT,
                "Table guild_config (" + database.server + ") holds " + stored + " as silent_first_msg_days of guild "
                        + guildId + ", which is not a number of days configstore can use. Set it again (or to"
                        + " NULL) with the configstore tool or psql.",
                new SQLException("unexpected value " + stored + " of type "
                        + stored.getClass().getSimpleName()));
    }

    private long upsertSetting(Connection connection, String guildId, GuildSetting setting, @Nullable Object value)
            throws SQLException {
        String sql = java.util.Objects.requireNonNull(upsertOne.get(setting), "every setting has a statement");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, guildId);
            bind(statement, 2, setting, value);
            return returnedVersion(statement);
        }
    }

    private long upsertAll(Connection connection, String guildId, GuildSettings settings) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsertAll)) {
            statement.setString(1, guildId);
            bind(statement, 2, GuildSetting.LOGGING_CHANNEL_ID, settings.get(GuildSetting.LOGGING_CHANNEL_ID));
            bind(statement, 3, GuildSetting.FLAGS_CHANNEL_ID, settings.get(GuildSetting.FLAGS_CHANNEL_ID));
            bind(statement, 4, GuildSetting.SILENT_FIRST_MSG_DAYS, settings.get(GuildSetting.SILENT_FIRST_MSG_DAYS));
            return returnedVersion(statement);
        }
    }

    private static void bind(PreparedStatement statement, int index, GuildSetting setting, @Nullable Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, setting == GuildSetting.SILENT_FIRST_MSG_DAYS ? Types.INTEGER : Types.VARCHAR);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else {
            statement.setString(index, (String) value);
        }
    }

    static long returnedVersion(PreparedStatement statement) throws SQLException {
        try (ResultSet returned = statement.executeQuery()) {
            if (!returned.next()) {
                throw new SQLException("the upsert returned no version");
            }
            return returned.getLong(1);
        }
    }

    /** The operations of one transaction, on its connection. */
    private final class TransactionOperations implements BackendOperations<String, GuildSettings> {
        private final Connection connection;
        private final List<Map.Entry<String, Long>> changes;
        private @Nullable StoreException firstFailure;
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

        /**
         * PostgreSQL aborts a transaction at its first failed statement; if the work caught that
         * failure and returned anyway, the commit would silently roll back. Fail instead.
         */
        void rethrowFirstFailure() {
            if (firstFailure != null) {
                throw firstFailure;
            }
        }

        private <T> T call(String what, SqlCall<T> call) {
            if (!active) {
                throw new IllegalStateException("the transaction has ended; use its operations only inside its work");
            }
            try {
                return call.run();
            } catch (SQLException e) {
                StoreException failure = database.translate(e, TABLE, what);
                if (firstFailure == null) {
                    firstFailure = failure;
                }
                throw failure;
            }
        }
    }
}
