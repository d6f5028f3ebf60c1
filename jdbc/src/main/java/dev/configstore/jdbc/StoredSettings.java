package dev.configstore.jdbc;

import dev.configstore.StoreException;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.internal.JdbcStoredValues;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every stored value at once, as text, for tools ({@link ConfigStore#storedSettings()}): the
 * guilds that have any, the declared settings' stored texts whether or not a declaration reads
 * them, an export written back in one transaction, and forgetting a guild in one transaction.
 * Nothing here checks values against rules: it reads and writes what is stored, as a backup and
 * its restore do. Reads go to the database, not the cache; after a write, every cache of the store
 * is dropped, and other processes learn of it through the change feed.
 */
public final class StoredSettings {

    private final JdbcStoredValues values;
    private final Runnable invalidateAll;

    StoredSettings(JdbcStoredValues values, Runnable invalidateAll) {
        this.values = values;
        this.invalidateAll = invalidateAll;
    }

    /**
     * Lists the guilds that have any value stored: in {@code guild_config}'s columns, or as a
     * declared setting at the guild or one of its channels. In order of their ids, a page at a time.
     *
     * @param offset how many guilds to skip; not negative
     * @param limit how many guilds to return at most; from 1 to 10,000
     * @return the guild ids
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
     * @throws StoreException if the database cannot be read
     */
    public List<String> guildIds(long offset, int limit) {
        return values.guildIds(offset, limit);
    }

    /**
     * Counts the guilds {@link #guildIds} lists.
     *
     * @return the number of guilds
     * @throws StoreException if the database cannot be read
     */
    public long guildCount() {
        return values.guildCount();
    }

    /**
     * Reads every value stored in {@code configstore_settings}, in one statement, in a stable order:
     * by guild (global values first), then channel (a guild's own values first), then key. A row
     * whose scope or ids configstore would not write (a hand-written mistake) is left out and
     * logged.
     *
     * @param action called once per value, on the calling thread
     * @return how many values were read
     * @throws IllegalArgumentException if {@code action} is null
     * @throws StoreException if the database cannot be read
     */
    public long forEach(Consumer<? super StoredValue> action) {
        Arguments.notNull(action, "action");
        return values.forEach(action);
    }

    /**
     * Reads the values stored for a guild and its channels.
     *
     * @param guildId the guild's id
     * @return its values, the guild's own first, then by channel and key
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws StoreException if the database cannot be read
     */
    public List<StoredValue> guild(String guildId) {
        return values.guild(Snowflakes.requireValid(guildId, "guildId"));
    }

    /**
     * Writes an export back, in one transaction: all of it or nothing. Each application's record of
     * declarations is replaced by the one given, its version included; each guild in {@code
     * guildRows} gets those {@code guild_config} columns ({@link GuildSettings#EMPTY} clears them);
     * and each guild that has values in {@code stored} (or the whole bot, for global values) has its
     * declared settings' values replaced by those, at every scope under it. Values are stored as
     * given, unchecked.
     *
     * @param record the applications' records
     * @param guildRows the guilds' columns, by guild id
     * @param stored the declared settings' values
     * @throws IllegalArgumentException if an argument is null
     * @throws StoreException if the transaction failed; nothing was changed
     */
    public void restore(
            List<DeclaredApplication> record, Map<String, GuildSettings> guildRows, List<StoredValue> stored) {
        Arguments.notNull(record, "record");
        Arguments.notNull(guildRows, "guildRows");
        Arguments.notNull(stored, "stored");
        try {
            values.restore(List.copyOf(record), Map.copyOf(guildRows), List.copyOf(stored));
        } finally {
            invalidateAll.run();
        }
    }

    /**
     * Removes every value stored for a guild, in one transaction: its {@code guild_config} columns
     * and its declared settings' values at the guild and every one of its channels. The guild's
     * settings then resolve from the global values, the environment and the defaults.
     *
     * @param guildId the guild's id
     * @return what was removed
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     * @throws StoreException if the transaction failed; nothing was changed
     */
    public Forgotten forget(String guildId) {
        Snowflakes.requireValid(guildId, "guildId");
        try {
            JdbcStoredValues.Removed removed = values.forget(guildId);
            return new Forgotten(removed.columns(), removed.values());
        } finally {
            invalidateAll.run();
        }
    }

    /**
     * What {@link #forget} removed.
     *
     * @param columns the guild's {@code guild_config} columns as they were
     * @param values its declared settings' values as they were
     */
    public record Forgotten(GuildSettings columns, List<StoredValue> values) {

        /**
         * Copies the values.
         *
         * @param columns the columns
         * @param values the values
         */
        public Forgotten {
            values = List.copyOf(values);
        }
    }
}
