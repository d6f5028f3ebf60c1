package dev.configstore.jdbc.internal;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declared settings in the {@code configstore_settings} table: one row per scope, guild, channel
 * and key, with {@code ''} for "no guild" and "no channel". Every change is one upsert statement
 * that returns the version it wrote ({@link SqlDialect#upsert}), with every value bound as a
 * parameter; a reset keeps the row with a NULL value (and its version), which reads as absent. The
 * change log records a change under its guild id, or {@code ''} for a global one, which is how
 * this process's own changes are recorded on the feed too.
 */
public final class JdbcSettingsBackend {

    /** The table. */
    public static final String TABLE = "configstore_settings";

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.settings");

    private final JdbcDatabase database;
    private final @Nullable ChangeFeed feed;
    private final SqlDialect dialect;
    private final String selectGuild;
    private final String selectGlobal;
    private final String selectRowsOfGuild;
    private final String selectRowsOfKey;
    private final String upsert;
    private final String selectValue;

    /**
     * One change of an atomic update: a value to store, or a reset.
     *
     * @param scope where: {@link Scope#GUILD} or {@link Scope#CHANNEL}
     * @param channelId the channel's id, or {@code ""} at guild scope
     * @param key the setting's key
     * @param text the text to store, or null to reset
     */
    public record Change(
            Scope scope,
            String channelId,
            String key,
            @Nullable String text) {}

    /**
     * What is stored for one guild, as read in one statement.
     *
     * @param guild the guild's texts by key
     * @param channels the texts of each of its channels: by channel id, then key
     * @param version the highest version among the rows read, or 0 if there were none
     */
    public record GuildRows(Map<String, String> guild, Map<String, Map<String, String>> channels, long version) {}

    /**
     * One stored value, as it is in the table (nothing checked).
     *
     * @param scope the scope column: {@code global}, {@code guild} or {@code channel} if written by
     *     configstore
     * @param guildId the guild's id, or {@code ""}
     * @param channelId the channel's id, or {@code ""}
     * @param key the setting's key
     * @param text the stored text
     */
    public record StoredRow(String scope, String guildId, String channelId, String key, String text) {}

    /**
     * Creates the backend.
     *
     * @param database the database
     * @param dialect its SQL
     * @param feed the change feed, or null if there is none
     */
    public JdbcSettingsBackend(JdbcDatabase database, SqlDialect dialect, @Nullable ChangeFeed feed) {
        this.database = database;
        this.dialect = dialect;
        this.feed = feed;
        String table = dialect.table(TABLE);
        String key = dialect.column("key");
        this.selectGuild = "SELECT scope, channel_id, " + key + ", value, version FROM " + table
                + " WHERE guild_id = ? AND scope IN ('guild', 'channel') AND value IS NOT NULL";
        this.selectGlobal = "SELECT " + key + ", value, version FROM " + table
                + " WHERE scope = 'global' AND guild_id = '' AND channel_id = '' AND value IS NOT NULL";
        String columns = "SELECT scope, guild_id, channel_id, " + key + ", value FROM " + table;
        this.selectRowsOfGuild = columns + " WHERE guild_id = ? AND value IS NOT NULL";
        this.selectRowsOfKey = columns + " WHERE " + key + " = ? AND value IS NOT NULL";
        this.upsert = dialect.upsert(TABLE, List.of("scope", "guild_id", "channel_id", key), List.of("value"));
        this.selectValue = "SELECT value FROM " + table + " WHERE scope = ? AND guild_id = ? AND channel_id = ? AND "
                + key + " = ?";
    }

    /**
     * Reads everything stored for a guild: its guild-scope rows and all its channels' rows, in one
     * statement. A row whose channel id is not a snowflake (written by hand) is left out and logged.
     *
     * @param guildId the guild's id
     * @return the texts
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public GuildRows readGuild(String guildId) {
        return database.read(TABLE, "reading the settings of guild " + guildId, c -> {
            Map<String, String> guild = new HashMap<>();
            Map<String, Map<String, String>> channels = new HashMap<>();
            long version = 0;
            try (PreparedStatement statement = c.prepareStatement(selectGuild)) {
                statement.setString(1, guildId);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        String scope = row.getString(1);
                        String channel = row.getString(2);
                        version = Math.max(version, row.getLong(5));
                        if (scope.equals("guild")) {
                            guild.put(row.getString(3), row.getString(4));
                        } else if (Snowflakes.isValid(channel)) {
                            channels.computeIfAbsent(channel, id -> new HashMap<>())
                                    .put(row.getString(3), row.getString(4));
                        } else {
                            log.warn(
                                    "{}: a row of {} for guild {} names channel \"{}\", which is not a channel id; it"
                                            + " is not used. Fix or delete it with {}.",
                                    database.where(),
                                    TABLE,
                                    guildId,
                                    channel,
                                    dialect.shell());
                        }
                    }
                }
            }
            return new GuildRows(guild, channels, version);
        });
    }

    /**
     * Reads the values stored for the whole bot.
     *
     * @return the texts by key
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public Map<String, String> readGlobal() {
        return database.read(TABLE, "reading the global settings", c -> {
            Map<String, String> texts = new HashMap<>();
            try (PreparedStatement statement = c.prepareStatement(selectGlobal);
                    ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    texts.put(row.getString(1), row.getString(2));
                }
            }
            return texts;
        });
    }

    /**
     * Reads every value stored under one guild id, as it is: with {@code ""}, the global values.
     *
     * @param guildId the guild's id, or {@code ""}
     * @return the rows
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public List<StoredRow> readRowsOfGuild(String guildId) {
        return readRows(
                selectRowsOfGuild,
                guildId,
                guildId.isEmpty() ? "reading the global settings" : "reading the settings of guild " + guildId);
    }

    /**
     * Reads every value stored for one setting, at every scope, as it is.
     *
     * @param key the setting's key
     * @return the rows
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public List<StoredRow> readRowsOfKey(String key) {
        return readRows(selectRowsOfKey, key, "reading every stored value of setting \"" + key + "\"");
    }

    private List<StoredRow> readRows(String sql, String argument, String what) {
        return database.read(TABLE, what, c -> {
            List<StoredRow> rows = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setString(1, argument);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        rows.add(new StoredRow(
                                row.getString(1),
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.getString(5)));
                    }
                }
            }
            return rows;
        });
    }

    /**
     * Stores one value, or resets it, in one statement.
     *
     * @param scope the scope
     * @param guildId the guild's id, or {@code ""} at global scope
     * @param channelId the channel's id, or {@code ""} unless at channel scope
     * @param key the setting's key
     * @param text the text to store, or null to reset
     * @return the version written
     * @throws dev.configstore.StoreException if the write failed; nothing was changed
     */
    public long write(Scope scope, String guildId, String channelId, String key, @Nullable String text) {
        String what = (text == null ? "resetting" : "writing") + " setting \"" + key + "\" for "
                + describe(scope, guildId, channelId);
        long version = database.write(TABLE, what, c -> upsert(c, scope, guildId, channelId, key, text));
        ownChange(guildId, version);
        return version;
    }

    /**
     * Makes many changes of one guild and its channels in one transaction: all of them, or none.
     *
     * @param guildId the guild's id
     * @param changes the changes, in order
     * @return the highest version written, or 0 if there were no changes
     * @throws dev.configstore.StoreException if the transaction failed; nothing was changed
     */
    public long update(String guildId, List<Change> changes) {
        return update(guildId, List.of(), changes);
    }

    /**
     * Makes many changes of one guild and its channels in one transaction, all of them or none, if
     * the values {@code expected} name are stored as they say when the transaction reads them (each
     * read with a lock on a server, so that it cannot change before the transaction ends; SQLite
     * runs write transactions one at a time).
     *
     * @param guildId the guild's id
     * @param expected the values expected to be stored (a null text: nothing stored)
     * @param changes the changes, in order
     * @return the highest version written, or 0 if there were no changes
     * @throws ConflictingUpdateException if an expected value is not the one stored; nothing was
     *     changed
     * @throws dev.configstore.StoreException if the transaction failed; nothing was changed
     */
    public long update(String guildId, List<Change> expected, List<Change> changes) {
        if (changes.isEmpty()) {
            return 0;
        }
        List<Long> versions = database.transaction(
                TABLE, "updating " + changes.size() + " settings of guild " + guildId + " at once", c -> {
                    int isolation = dialect.checkedUpdateIsolation();
                    if (!expected.isEmpty() && isolation != Connection.TRANSACTION_NONE) {
                        // Before the transaction's first statement; the pool restores the level.
                        c.setTransactionIsolation(isolation);
                    }
                    for (Change expectation : expected) {
                        requireStored(c, selectValue + dialect.lockingRead(), guildId, expectation);
                    }
                    List<Long> written = new ArrayList<>();
                    for (Change change : changes) {
                        written.add(
                                upsert(c, change.scope(), guildId, change.channelId(), change.key(), change.text()));
                    }
                    return written;
                });
        long highest = 0;
        for (long version : versions) {
            ownChange(guildId, version);
            highest = Math.max(highest, version);
        }
        return highest;
    }

    /**
     * Checks, now and outside any update, that the values {@code expected} names are stored: after
     * a checked update failed, to tell a value changed meanwhile from another failure.
     *
     * @param guildId the guild's id
     * @param expected the values expected to be stored (a null text: nothing stored)
     * @throws ConflictingUpdateException if one is not
     * @throws dev.configstore.StoreException if the table cannot be read
     */
    public void requireStored(String guildId, List<Change> expected) {
        database.read(TABLE, "reading the settings of guild " + guildId + " an update expected", c -> {
            for (Change expectation : expected) {
                requireStored(c, selectValue, guildId, expectation);
            }
            return expected.size();
        });
    }

    private static void requireStored(Connection connection, String select, String guildId, Change expected)
            throws SQLException {
        String scopeName = expected.scope().name().toLowerCase(Locale.ROOT);
        @Nullable String stored = null;
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, scopeName);
            statement.setString(2, guildId);
            statement.setString(3, expected.channelId());
            statement.setString(4, expected.key());
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    stored = row.getString(1);
                }
            }
        }
        if (!Objects.equals(stored, expected.text())) {
            ScopeId where = expected.scope() == Scope.CHANNEL
                    ? ScopeId.channel(guildId, expected.channelId())
                    : ScopeId.guild(guildId);
            throw new ConflictingUpdateException(
                    expected.key(), where, Optional.ofNullable(expected.text()), Optional.ofNullable(stored));
        }
    }

    /**
     * Follows changes to the table made by other processes (and by tools): a change is reported
     * under its guild's id, or {@code ""} for a global one.
     *
     * @param listener what to tell
     * @return the subscription; {@link ChangeSubscription#NONE} without a feed
     */
    public ChangeSubscription subscribe(ChangeListener<String> listener) {
        return feed == null ? ChangeSubscription.NONE : feed.subscribe(TABLE, "", listener);
    }

    private void ownChange(String guildId, long version) {
        if (feed != null) {
            feed.recordOwnChange(TABLE, "", guildId, version);
        }
    }

    /**
     * Stores one value, or resets it, on a connection inside a transaction the caller runs.
     *
     * @param connection the transaction's connection
     * @param scope the scope
     * @param guildId the guild's id, or {@code ""} at global scope
     * @param channelId the channel's id, or {@code ""} unless at channel scope
     * @param key the setting's key
     * @param text the text to store, or null to reset
     * @return the version written
     * @throws SQLException if the statement fails
     */
    public long upsert(
            Connection connection, Scope scope, String guildId, String channelId, String key, @Nullable String text)
            throws SQLException {
        String scopeName = scope.name().toLowerCase(Locale.ROOT);
        @Nullable
        String @Nullable [] before =
                AuditTrail.before(database, connection, selectValue, scopeName, guildId, channelId, key);
        long version;
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, scopeName);
            statement.setString(2, guildId);
            statement.setString(3, channelId);
            statement.setString(4, key);
            if (text == null) {
                statement.setNull(5, Types.VARCHAR);
            } else {
                statement.setString(5, text);
            }
            dialect.bindClock(statement, 6);
            version = Statements.returnedVersion(statement);
        }
        AuditTrail.record(
                database,
                connection,
                List.of(new AuditTrail.Change(
                        AuditEntry.Scope.valueOf(scope.name()),
                        guildId,
                        channelId,
                        "",
                        key,
                        before == null ? null : before[0],
                        text)));
        return version;
    }

    private static String describe(Scope scope, String guildId, String channelId) {
        return switch (scope) {
            case GLOBAL -> "the whole bot";
            case GUILD -> "guild " + guildId;
            case CHANNEL -> "channel " + channelId + " of guild " + guildId;
        };
    }
}
