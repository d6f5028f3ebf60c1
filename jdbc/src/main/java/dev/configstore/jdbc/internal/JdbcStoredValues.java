package dev.configstore.jdbc.internal;

import dev.configstore.guild.GuildSettings;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.DeclaredApplication;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What tools do with every stored value at once, over {@code guild_config}, {@code
 * configstore_settings} and the record of declarations: list the guilds that have any value, read
 * every declared setting's stored text, write an export back in one transaction, and forget a guild
 * in one transaction.
 */
public final class JdbcStoredValues {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.settings");

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final JdbcGuildSettingsBackend guilds;
    private final JdbcSettingsBackend settings;
    private final JdbcDeclarations declarations;
    private final String selectAll;
    private final String guildIds;
    private final String guildCount;
    private final String selectGuild;
    private final String deleteGuild;
    private final String selectRemoved;

    /**
     * Creates the tools' access.
     *
     * @param database the database
     * @param dialect its SQL
     * @param guilds the {@code guild_config} table
     * @param settings the {@code configstore_settings} table
     * @param declarations the record of declarations
     */
    public JdbcStoredValues(
            JdbcDatabase database,
            SqlDialect dialect,
            JdbcGuildSettingsBackend guilds,
            JdbcSettingsBackend settings,
            JdbcDeclarations declarations) {
        this.database = database;
        this.dialect = dialect;
        this.guilds = guilds;
        this.settings = settings;
        this.declarations = declarations;
        String table = dialect.table(JdbcSettingsBackend.TABLE);
        String key = dialect.column("key");
        this.selectAll = "SELECT scope, guild_id, channel_id, " + key + ", value FROM " + table
                + " WHERE value IS NOT NULL ORDER BY guild_id, channel_id, " + key;
        String ids = "SELECT guild_id FROM " + dialect.table(JdbcGuildSettingsBackend.TABLE) + " WHERE "
                + JdbcGuildSettingsBackend.WITH_SETTINGS + " UNION SELECT guild_id FROM " + table
                + " WHERE guild_id <> '' AND value IS NOT NULL";
        this.guildIds = "SELECT guild_id FROM (" + ids + ") ids ORDER BY guild_id LIMIT ? OFFSET ?";
        this.guildCount = "SELECT COUNT(*) FROM (" + ids + ") ids";
        this.selectGuild = "SELECT scope, guild_id, channel_id, " + key + ", value FROM " + table
                + " WHERE guild_id = ? AND value IS NOT NULL ORDER BY channel_id, " + key;
        this.deleteGuild = "DELETE FROM " + table + " WHERE guild_id = ?";
        // Only scopes configstore writes: a row written by hand with another scope is deleted unrecorded.
        this.selectRemoved = "SELECT scope, channel_id, " + key + ", value FROM " + table
                + " WHERE guild_id = ? AND value IS NOT NULL AND scope IN ('global', 'guild', 'channel')";
    }

    /**
     * Lists the guilds that have a value in {@code guild_config} or {@code configstore_settings},
     * in order of their ids, a page at a time.
     *
     * @param offset how many to skip
     * @param limit how many at most
     * @return the ids
     */
    public List<String> guildIds(long offset, int limit) {
        Statements.requirePage(offset, limit);
        return database.read(JdbcSettingsBackend.TABLE, "listing guilds with stored values", c -> {
            try (PreparedStatement statement = c.prepareStatement(guildIds)) {
                statement.setInt(1, limit);
                statement.setLong(2, offset);
                return Statements.strings(statement);
            }
        });
    }

    /**
     * Counts the guilds {@link #guildIds} lists.
     *
     * @return the count
     */
    public long guildCount() {
        return database.read(JdbcSettingsBackend.TABLE, "counting guilds with stored values", c -> {
            try (PreparedStatement statement = c.prepareStatement(guildCount);
                    ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    /**
     * Reads every stored value of {@code configstore_settings}, in one statement, ordered by guild
     * (global values first), channel (guild values first) and key.
     *
     * @param action called once per value
     * @return how many values were read
     */
    public long forEach(Consumer<? super StoredValue> action) {
        return database.read(JdbcSettingsBackend.TABLE, "reading every stored setting", c -> {
            long count = 0;
            try (PreparedStatement statement = c.prepareStatement(selectAll);
                    ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    StoredValue value = value(row);
                    if (value != null) {
                        action.accept(value);
                        count++;
                    }
                }
            }
            return count;
        });
    }

    /**
     * Reads the values stored for one guild at every scope under it.
     *
     * @param guildId the guild
     * @return its values, guild scope first, then by channel and key
     */
    public List<StoredValue> guild(String guildId) {
        return database.read(
                JdbcSettingsBackend.TABLE, "reading the stored settings of guild " + guildId, c -> guild(c, guildId));
    }

    /**
     * Writes an export back in one transaction: each application's record as given (its version
     * included); each listed guild's {@code guild_config} columns; and, for each guild (or the
     * whole bot) that has values in {@code values}, its stored values replaced by them.
     *
     * @param record the applications' records
     * @param guildRows the guilds' columns, by guild id
     * @param values the declared settings' values
     */
    public void restore(
            List<DeclaredApplication> record, Map<String, GuildSettings> guildRows, List<StoredValue> values) {
        Map<String, List<StoredValue>> byGuild = new LinkedHashMap<>();
        for (StoredValue value : values) {
            byGuild.computeIfAbsent(value.where().guildId(), g -> new ArrayList<>())
                    .add(value);
        }
        database.transaction(JdbcSettingsBackend.TABLE, "importing settings", c -> {
            for (DeclaredApplication application : record) {
                declarations.restore(c, application);
            }
            for (Map.Entry<String, GuildSettings> row : guildRows.entrySet()) {
                guilds.replace(c, row.getKey(), row.getValue());
            }
            for (Map.Entry<String, List<StoredValue>> guild : byGuild.entrySet()) {
                delete(c, guild.getKey());
                for (StoredValue value : guild.getValue()) {
                    ScopeId where = value.where();
                    settings.upsert(c, where.scope(), where.guildId(), where.channelId(), value.key(), value.text());
                }
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Removes every stored value of a guild, at every scope, in one transaction: its {@code
     * guild_config} columns and its rows of {@code configstore_settings}.
     *
     * @param guildId the guild
     * @return what was removed
     */
    public Removed forget(String guildId) {
        return database.transaction(JdbcSettingsBackend.TABLE, "forgetting guild " + guildId, c -> {
            List<StoredValue> values = guild(c, guildId);
            delete(c, guildId);
            GuildSettings columns = guilds.replace(c, guildId, GuildSettings.EMPTY);
            return new Removed(columns, values);
        });
    }

    /**
     * What {@link #forget} removed.
     *
     * @param columns the guild's {@code guild_config} columns
     * @param values its declared settings' values
     */
    public record Removed(GuildSettings columns, List<StoredValue> values) {}

    private void delete(Connection connection, String guildId) throws SQLException {
        List<AuditTrail.Change> removed = new ArrayList<>();
        if (database instanceof AuditTrail) {
            try (PreparedStatement statement = connection.prepareStatement(selectRemoved + dialect.lockingRead())) {
                statement.setString(1, guildId);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        removed.add(new AuditTrail.Change(
                                AuditEntry.Scope.valueOf(row.getString(1).toUpperCase(Locale.ROOT)),
                                guildId,
                                row.getString(2),
                                "",
                                row.getString(3),
                                row.getString(4),
                                null));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(deleteGuild)) {
            statement.setString(1, guildId);
            statement.executeUpdate();
        }
        AuditTrail.record(database, connection, removed);
    }

    private List<StoredValue> guild(Connection connection, String guildId) throws SQLException {
        List<StoredValue> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(selectGuild)) {
            statement.setString(1, guildId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    StoredValue value = value(row);
                    if (value != null) {
                        values.add(value);
                    }
                }
            }
        }
        return values;
    }

    /** The row as a value, or null (logged) if its scope or ids are not ones configstore writes. */
    private @Nullable StoredValue value(ResultSet row) throws SQLException {
        String scope = row.getString(1);
        String guild = row.getString(2);
        String channel = row.getString(3);
        String key = row.getString(4);
        try {
            ScopeId where = switch (Scope.valueOf(scope.toUpperCase(Locale.ROOT))) {
                case GLOBAL -> ScopeId.global();
                case GUILD -> ScopeId.guild(guild);
                case CHANNEL -> ScopeId.channel(guild, channel);
            };
            return new StoredValue(where, key, row.getString(5));
        } catch (IllegalArgumentException e) {
            log.warn(
                    "{}: a row of {} (scope \"{}\", guild \"{}\", channel \"{}\", key \"{}\") is not one configstore"
                            + " can use ({}); it is left out. Fix or delete it.",
                    database.where(),
                    JdbcSettingsBackend.TABLE,
                    scope,
                    guild,
                    channel,
                    key,
                    e.getMessage());
            return null;
        }
    }
}
