package dev.configstore.settings;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link SettingsSchema}, stored and cached: read resolved channel → guild →
 * global → environment → default, and written per scope or many at once.
 *
 * <p>Guarantees, as for every configstore store: a write is durable when it returns and every read
 * that starts afterwards sees it (write, then invalidate); a write that fails changes nothing; a
 * read racing a write never leaves the old value cached; changes made by other processes are seen
 * after the change feed reports them. A guild's settings (every scope under it) are one cache
 * entry, loaded by one read of the database, and resolved values are memoised in it. A stored value
 * that no longer decodes or breaks a rule is never served: reads fall through it, and {@link
 * #resolve} says what was skipped and why.
 */
public interface Settings {

    /**
     * Returns the schema whose settings these are.
     *
     * @return the schema
     */
    SettingsSchema schema();

    /**
     * Returns a setting's value for a guild: guild → global → environment → default.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema or the id is not a
     *     snowflake
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    <T> Optional<T> get(Setting<T> setting, String guildId);

    /**
     * Returns a setting's value for a channel of a guild: channel → guild → global → environment →
     * default.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param channelId the channel's id, a snowflake
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema or an id is not a
     *     snowflake
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    <T> Optional<T> get(Setting<T> setting, String guildId, String channelId);

    /**
     * Resolves a setting for a guild, with where the value came from and what was skipped.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema or the id is not a
     *     snowflake
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    <T> Resolution<T> resolve(Setting<T> setting, String guildId);

    /**
     * Resolves a setting for a channel of a guild, with where the value came from and what was
     * skipped.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param channelId the channel's id, a snowflake
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema or an id is not a
     *     snowflake
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    <T> Resolution<T> resolve(Setting<T> setting, String guildId, String channelId);

    /**
     * Resolves a setting for the whole bot: global → environment → default.
     *
     * @param setting a setting of the schema
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    <T> Resolution<T> resolveGlobal(Setting<T> setting);

    /**
     * Stores a value at a scope, after checking it against the setting's rules and scopes.
     *
     * @param setting a setting of the schema
     * @param where the whole bot, a guild or a channel
     * @param value the value
     * @param <T> the value type
     * @throws IllegalArgumentException if the setting is not in the schema, may not be stored at
     *     that scope, or the value breaks a rule (the message names the setting, the rule and the
     *     value); nothing was written
     * @throws dev.configstore.StoreException if the write failed; nothing was changed
     */
    <T> void set(Setting<T> setting, ScopeId where, T value);

    /**
     * Removes the value stored at a scope, so that reads there fall through to the next layer.
     *
     * @param setting a setting of the schema
     * @param where the whole bot, a guild or a channel
     * @throws IllegalArgumentException if the setting is not in the schema or may not be stored at
     *     that scope
     * @throws dev.configstore.StoreException if the write failed; nothing was changed
     */
    void reset(Setting<?> setting, ScopeId where);

    /**
     * Makes every change of {@code changes} to one guild and its channels in one transaction:
     * other readers, in this process and others, see all of them or none. The values the update
     * {@linkplain SettingsUpdate#expect expects} are checked in the same transaction, before
     * anything is written.
     *
     * @param guildId the guild's id, a snowflake
     * @param changes the changes, each at the guild or one of its channels
     * @throws IllegalArgumentException if a change or an expectation names another guild, the whole
     *     bot, or a setting not in the schema; nothing was written
     * @throws ConflictingUpdateException if a value the update expects is not the one stored;
     *     nothing was written
     * @throws dev.configstore.StoreException if the transaction failed; nothing was changed
     */
    void update(String guildId, SettingsUpdate changes);

    /**
     * Returns a guild's settings as one snapshot, from the cache: every read of it resolves
     * against the same stored values.
     *
     * @param guildId the guild's id, a snowflake
     * @return the snapshot
     * @throws IllegalArgumentException if the id is not a snowflake
     * @throws dev.configstore.StoreException if the settings could not be read
     */
    GuildSnapshot snapshot(String guildId);

    /**
     * Calls {@code listener} for every change of the values stored for {@code setting}, at every
     * scope: changes made through these settings, and, where the store follows a change feed,
     * changes made by other processes and by hand, once the feed reports them.
     *
     * <p>What is delivered: one {@link SettingChange} per change of the text stored at one scope
     * (the whole bot, a guild, a channel), with the value before and after; a stored text that is
     * invalid is given as an absent value, with its text (see {@link SettingChange}). A write that
     * stores the text already stored is not a change. Each change is delivered once, after it was
     * committed, whether this process or another made it.
     *
     * <p>When: the listener thread reads the affected stored values after each write returns and
     * after each change-feed report, and compares them with what it read before. Changes at one
     * scope that are committed between two such reads are delivered as one change, from the older
     * value to the newest; if they end where they began, nothing is delivered. After a gap in the
     * change feed, every stored value of every setting with listeners is read again.
     *
     * <p>Thread: listeners are called on one thread per {@code Settings}, in the order the changes
     * were read, and never on the thread that wrote. A slow listener delays the listeners after it,
     * never a read or a write. A listener that throws is logged (naming the listener and the
     * setting) and the others are still called. The thread stops when the store is closed.
     *
     * <p>Every change committed after this method returns is delivered; none committed before it.
     *
     * @param setting a setting of the schema
     * @param listener what to call
     * @param <T> the value type
     * @return the subscription; {@link SettingSubscription#close()} stops the calls
     * @throws IllegalArgumentException if the setting is not in the schema or an argument is null
     * @throws IllegalStateException if the store is closed
     * @throws dev.configstore.StoreException if the setting's stored values could not be read;
     *     nothing was registered
     */
    <T> SettingSubscription onChange(Setting<T> setting, SettingListener<T> listener);
    /**
     * Returns a guild's snapshot without blocking the caller on a miss, for an event loop: on a
     * cache hit the future is already complete, made on the caller's thread with nothing else
     * allocated; on a miss the guild's settings are read on {@code executor}, with every guarantee
     * of {@link #snapshot}. The future fails with what {@link #snapshot} would throw.
     *
     * @param guildId the guild's id, a snowflake
     * @param executor where a miss reads the database (a pool for blocking work, never the event
     *     loop)
     * @return the snapshot
     * @throws IllegalArgumentException if the id is not a snowflake or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    CompletableFuture<GuildSnapshot> snapshotAsync(String guildId, Executor executor);

    /**
     * {@link #get(Setting, String)} without blocking the caller on a miss: complete at once on a
     * hit, with nothing allocated beyond the future; read on {@code executor} on a miss.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param executor where a miss reads the database
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema, the id is not a
     *     snowflake or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    <T> CompletableFuture<Optional<T>> getAsync(Setting<T> setting, String guildId, Executor executor);

    /**
     * {@link #get(Setting, String, String)} without blocking the caller on a miss: complete at once
     * on a hit, with nothing allocated beyond the future; read on {@code executor} on a miss.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param channelId the channel's id, a snowflake
     * @param executor where a miss reads the database
     * @param <T> the value type
     * @return the value, or empty if it has none anywhere
     * @throws IllegalArgumentException if the setting is not in the schema, an id is not a snowflake
     *     or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    <T> CompletableFuture<Optional<T>> getAsync(
            Setting<T> setting, String guildId, String channelId, Executor executor);

    /**
     * {@link #resolve(Setting, String)} without blocking the caller on a miss.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param executor where a miss reads the database
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema, the id is not a
     *     snowflake or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    <T> CompletableFuture<Resolution<T>> resolveAsync(Setting<T> setting, String guildId, Executor executor);

    /**
     * {@link #resolve(Setting, String, String)} without blocking the caller on a miss.
     *
     * @param setting a setting of the schema
     * @param guildId the guild's id, a snowflake
     * @param channelId the channel's id, a snowflake
     * @param executor where a miss reads the database
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema, an id is not a snowflake
     *     or {@code executor} is null
     * @throws IllegalStateException if the store is closed
     */
    <T> CompletableFuture<Resolution<T>> resolveAsync(
            Setting<T> setting, String guildId, String channelId, Executor executor);

    /**
     * {@link #resolveGlobal(Setting)} without blocking the caller on a miss.
     *
     * @param setting a setting of the schema
     * @param executor where a miss reads the database
     * @param <T> the value type
     * @return the resolution
     * @throws IllegalArgumentException if the setting is not in the schema or {@code executor} is
     *     null
     * @throws IllegalStateException if the store is closed
     */
    <T> CompletableFuture<Resolution<T>> resolveGlobalAsync(Setting<T> setting, Executor executor);
}
