package dev.configstore.jdbc;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.configstore.CachedKeyValueStore;
import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.LoggingStore;
import dev.configstore.settings.SettingDeclaration;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A bot's settings in one SQL database, cached, whichever database it is: what {@code
 * SqliteConfigStore} and {@code PostgresConfigStore} both offer. Code written against this type
 * runs unchanged on each; only opening the store names the database.
 *
 * <pre>{@code
 * ConfigStore config = SqliteConfigStore.open(Path.of("bot.db"));
 * // or: ConfigStore config = PostgresConfigStore.builder("jdbc:postgresql://db/bot").build();
 * config.loggingStore().setLoggingChannelId(guildId, channelId);
 * }</pre>
 *
 * <p>Every read of a facade or of a {@link #keyValueStore(String)} is served from its cache when
 * it can; the listings ({@link #guildIds}, {@link #keys}, {@link #forEachGuildSettings}) read the
 * database. Every failure of the database reaches the caller as a {@link StoreException}. Safe for
 * use by many threads; open one per database and process, and close it on shutdown.
 */
public interface ConfigStore extends AutoCloseable {

    /**
     * Returns the logging channels of guilds, stored in table {@code guild_config}.
     *
     * @return the logging facade
     */
    LoggingStore loggingStore();

    /**
     * Returns the flagging setup of guilds, stored in table {@code guild_config}.
     *
     * @return the flagger facade
     */
    FlaggerStore flaggerStore();

    /**
     * Returns the per-guild settings behind both facades, with their cache.
     *
     * @return the guild settings
     */
    GuildConfig guildConfig();

    /**
     * Returns the cached store of string keys and values in one namespace of table {@code
     * configstore_kv}; the same namespace always gives the same store.
     *
     * @param namespace 1 to 64 letters, digits, {@code _}, {@code .} or {@code -}, starting with
     *     a letter or digit
     * @return the store of that namespace
     * @throws IllegalArgumentException if {@code namespace} breaks that rule
     */
    CachedKeyValueStore<String, String> keyValueStore(String namespace);

    /** The application name {@link #settings(SettingsSchema)} records declarations under. */
    String DEFAULT_APPLICATION = "default";

    /**
     * Returns the declared settings of {@code schema} for application {@value
     * #DEFAULT_APPLICATION}: {@link #settings(String, SettingsSchema)} with that name.
     *
     * @param schema the settings the application declares
     * @return the settings
     * @throws IllegalArgumentException if {@code schema} is null, or another application recorded
     *     one of its keys with another type, scopes, data rules or default
     * @throws StoreException if the record of declarations cannot be read or written
     */
    Settings settings(SettingsSchema schema);

    /**
     * Returns the declared settings of {@code schema}, stored in table {@code configstore_settings}
     * and cached: each guild's settings (every scope under it) are one cache entry, and changes by
     * other processes reach the cache through the change feed. The same schema always gives the
     * same object.
     *
     * <p>The first call for a schema records its declarations in the database under {@code
     * application} (table {@code configstore_declarations}), so that tools without the
     * application's code can read and write its settings ({@link #declaredSettings()}): in one
     * transaction, and only when they differ from what is recorded, which raises the application's
     * version. Another application may declare the same key only with the same type, scopes, data
     * rules and default; its description, environment variable and custom rules are its own. A
     * store opened read-only (or over a connection the database keeps from writing) checks the
     * declarations against the record the same way but writes nothing, and logs a warning if they
     * differ from it.
     *
     * @param application the application's name: 1 to 64 letters, digits, {@code _}, {@code .} or
     *     {@code -}, starting with a letter or digit
     * @param schema the settings the application declares
     * @return the settings
     * @throws IllegalArgumentException if an argument is null or malformed, or another application
     *     recorded one of the keys with another type, scopes, data rules or default (the message
     *     names the key, both applications and the field); nothing is recorded then
     * @throws StoreException if the record of declarations cannot be read or written
     */
    Settings settings(String application, SettingsSchema schema);

    /**
     * Reads the record of declared settings: every application that recorded its declarations,
     * with their versions. Reads the database.
     *
     * @return the applications, in order of their names
     * @throws StoreException if the record cannot be read
     */
    List<DeclaredApplication> declarations();

    /**
     * Returns the settings every application recorded in this database, for tools that do not have
     * the applications' code: read, resolved and written like an application's own settings, with
     * the same data rules. The schema ({@link Settings#schema()}) is rebuilt from the record ({@link
     * SettingDeclaration#toSetting()}): a built-in type comes back by its type name, a user's type as
     * its stored text kept exactly, and a setting with custom rules refuses every write, saying that
     * only the application can check it. A key declared by several applications comes back as the
     * first of them (in order of their names) declares it. The environment layer is empty: a tool
     * does not know the application's environment. Nothing is recorded. The record is read at each
     * call; while it is unchanged, the same object is returned.
     *
     * @return the settings of the record
     * @throws StoreException if the record cannot be read, or a recorded declaration cannot be
     *     rebuilt
     */
    Settings declaredSettings();

    /**
     * Returns every stored value at once, as text, for tools: listing the guilds that have any,
     * exporting, importing and forgetting a guild.
     *
     * @return the stored values' access
     */
    StoredSettings storedSettings();

    /**
     * Calls {@code listener} whenever another process (or another store on the same database)
     * changes a declared setting's value, from the change feed's thread: with the guild's id for a
     * change at a guild or one of its channels, with {@code ""} for a global one; {@link
     * ChangeListener#allChanged()} when changes may have been missed. A listener that throws is
     * logged and changes nothing else.
     *
     * @param listener what to call
     * @return a handle that stops the calls
     * @throws IllegalArgumentException if {@code listener} is null
     * @throws IllegalStateException if the change feed is disabled
     */
    ChangeSubscription watchSettingsChanges(ChangeListener<String> listener);

    /**
     * Lists the keys of one namespace of table {@code configstore_kv} that hold a value, in
     * order, a page at a time. Reads the database, not the cache.
     *
     * @param namespace the namespace, as for {@link #keyValueStore(String)}
     * @param offset how many keys to skip; not negative
     * @param limit how many keys to return at most; from 1 to 10,000
     * @return the keys
     * @throws IllegalArgumentException if the namespace, {@code offset} or {@code limit} is invalid
     * @throws StoreException if the database cannot be read
     */
    List<String> keys(String namespace, long offset, int limit);

    /**
     * Calls {@code listener} whenever another process (or another store on the same database)
     * changes a key of one namespace, from the change feed's thread; {@link
     * ChangeListener#allChanged()} when changes may have been missed. A listener that throws is
     * logged and changes nothing else: the caches and the other listeners still get every change.
     *
     * @param namespace the namespace, as for {@link #keyValueStore(String)}
     * @param listener what to call
     * @return a handle that stops the calls
     * @throws IllegalArgumentException if the namespace is invalid or the listener null
     * @throws IllegalStateException if the change feed is disabled
     */
    ChangeSubscription watchKeyValueChanges(String namespace, ChangeListener<String> listener);

    /**
     * Lists the guilds that have at least one setting stored, in order of their ids, a page at a
     * time. Reads the database, not the cache.
     *
     * @param offset how many guilds to skip; not negative
     * @param limit how many guilds to return at most; from 1 to 10,000
     * @return the guild ids
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is out of range
     * @throws StoreException if the database cannot be read
     */
    List<String> guildIds(long offset, int limit);

    /**
     * Counts the guilds that have at least one setting stored. Reads the database, not the cache.
     *
     * @return the number of guilds
     * @throws StoreException if the database cannot be read
     */
    long guildCount();

    /**
     * Reads the stored settings of every guild that has any, in order of their ids, from one
     * snapshot of the database: {@code action} sees every guild as it was at one moment, however
     * other connections change the table meanwhile, so no guild is skipped or seen twice. Reads
     * the database, not the cache; {@code action} runs on the calling thread.
     *
     * @param action called once per guild with its id and its stored settings
     * @return how many guilds were read
     * @throws IllegalArgumentException if {@code action} is null
     * @throws StoreException if the database cannot be read; {@code action} may already have been
     *     called for some guilds
     */
    long forEachGuildSettings(BiConsumer<? super String, ? super GuildSettings> action);

    /**
     * Calls {@code listener} whenever another process (or another store on the same database)
     * changes a guild's settings, from the change feed's thread; {@link
     * ChangeListener#allChanged()} when changes may have been missed. A listener that throws is
     * logged and changes nothing else: the caches and the other listeners still get every change.
     *
     * @param listener what to call
     * @return a handle that stops the calls
     * @throws IllegalArgumentException if {@code listener} is null
     * @throws IllegalStateException if the change feed is disabled
     */
    ChangeSubscription watchGuildChanges(ChangeListener<String> listener);

    /**
     * Returns what the change feed has done: how many changes made elsewhere it applied, how many
     * of this process's own it skipped, and its gaps and errors.
     *
     * @return a snapshot of its counters; all zero if the feed is disabled
     */
    ChangeFeedStats changeFeedStats();

    /**
     * Drops cached entries in every process on this database, for an emergency: a value fixed by
     * hand that must be served now, or a cache that is suspected wrong. Records the clear in the
     * database's change log; every store that follows the change feed (in this process or
     * another) drops the entries it covers within the feed's delay, counts it in {@link
     * ChangeFeedStats#cacheClears()} and logs one {@code info} line under {@code
     * dev.configstore.cache} naming who asked, what was cleared and when it was asked. This store
     * drops its own entries before the call returns. Stored values never change; the next read of
     * a dropped entry reads the database. Listeners of {@link #watchGuildChanges}, {@link
     * #watchSettingsChanges} and {@link #watchKeyValueChanges} in other processes see the clear as
     * a change of what it covers.
     *
     * @param what what to drop: {@link CacheClear#all()}, {@link CacheClear#guild(String)} or
     *     {@link CacheClear#namespace(String)}
     * @param who who asks, for the log lines: a user's name or id, 1 to 200 characters without
     *     line breaks
     * @throws IllegalArgumentException if {@code what} is null or {@code who} is blank, too long or
     *     holds a control character
     * @throws StoreException if the clear cannot be recorded (a read-only store, a database that
     *     is down); this store's entries are dropped all the same
     */
    void clearCaches(CacheClear what, String who);

    /**
     * Returns the store's name, as its caches' names, its log messages and its meters use it.
     *
     * @return the database file's name (SQLite), the schema's (PostgreSQL) or the database's
     *     (MariaDB)
     */
    String name();

    /**
     * Calls {@code action} once for every cache this store has built so far and once for every
     * cache it builds later, as soon as it is built: the cache of guild settings behind the
     * facades, one per {@link #keyValueStore(String) key-value namespace} (built at its first
     * use), and two per {@link #settings(SettingsSchema) declared settings} (the global values,
     * and each guild's). What metrics use to cover every cache of a store.
     *
     * <p>The caches built so far are passed on the calling thread, before this method returns; if
     * {@code action} throws on one of them, the failure is thrown here and nothing more is called.
     * A cache built later is passed on the thread that builds it; if {@code action} throws then,
     * the failure is logged and the cache works as if nothing happened.
     *
     * @param action what to call with each cache
     * @return a handle that stops the calls for caches built later
     * @throws IllegalArgumentException if {@code action} is null
     */
    ChangeSubscription watchCaches(Consumer<? super CachedKeyValueStore<?, ?>> action);

    /**
     * Calls {@code listener} each time the change feed has applied a change made elsewhere, with
     * the time from that change, as the change log records it, to the moment every cache of this
     * store had dropped the key: how stale a value read meanwhile could be. Called on the change
     * feed's thread; a listener that throws is logged and changes nothing else. Never called if
     * the feed is disabled.
     *
     * <p>The change's time is the database's: on PostgreSQL the start of the transaction that
     * made it ({@code now()}, to the microsecond), on MariaDB the start of its statement ({@code
     * UTC_TIMESTAMP(6)}), both measured against the server's clock when the feed read the entry,
     * so the clocks of the server and of this process need not agree. On SQLite, changes written
     * through configstore carry the writer's clock to the millisecond (their row version), and
     * changes written by other programs only the second of the change ({@code changed_at_s}), so
     * their delay reads up to one second long.
     *
     * @param listener what to call with each delay
     * @return a handle that stops the calls
     * @throws IllegalArgumentException if {@code listener} is null
     */
    ChangeSubscription watchChangeDelays(Consumer<? super Duration> listener);

    /**
     * Sends the measurements of the store's connection pool (connections active, idle and
     * pending, the time to get one, timeouts) to a HikariCP metrics tracker from now on, such as
     * HikariCP's {@code MicrometerMetricsTrackerFactory} or {@code PrometheusMetricsTrackerFactory}.
     * Works on a running store. The change feed's own connection is not in the pool.
     *
     * @param factory makes the tracker; HikariCP calls it once, with the pool's name
     * @throws IllegalArgumentException if {@code factory} is null
     * @throws IllegalStateException if the pool already reports to a tracker: HikariCP takes one
     *     per pool, so bind a store to one registry (a composite one, to publish to several)
     */
    void trackPoolMetrics(MetricsTrackerFactory factory);

    /**
     * Reads the audit trail: who changed which value, when, from what to what, the newest first.
     * Every change this store makes to a setting (built-in or declared, at any scope) or to a
     * key-value key is recorded in the same transaction as the change, with the {@link Actor} set
     * on the writing thread (or the builder's {@link StoreBuilder#defaultActor}). A write that
     * leaves a value as it was is not recorded. Changes made with SQL outside configstore are not
     * recorded (the change feed still carries them to every cache). Entries are kept for the
     * builder's {@link StoreBuilder#auditRetention} (90 days by default).
     *
     * @param query whose changes, for example {@code HistoryQuery.guild(guildId)}
     * @return the entries, the newest first, at most {@link HistoryQuery#limit()}
     * @throws IllegalArgumentException if {@code query} is null
     * @throws StoreException if the trail cannot be read
     */
    List<AuditEntry> history(HistoryQuery query);

    /**
     * Deletes the audit entries older than the retention now. The store does this by itself a
     * minute after it opens and every hour after (not a read-only store); this is for tools and
     * tests. The change log's own pruning never touches the audit trail.
     *
     * @return how many entries were deleted
     * @throws StoreException if the delete fails
     */
    int pruneHistory();

    /** How long {@link #health()} waits for the database at most. */
    Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Checks the store's health, waiting at most {@link #DEFAULT_HEALTH_TIMEOUT} for the database:
     * {@link #health(Duration)} with that timeout.
     *
     * @return the store's health
     */
    StoreHealth health();

    /**
     * Checks the store's health, for a liveness or readiness probe: whether the database answers
     * a cheap query, whether its schema is the version this configstore needs, whether the change
     * feed follows the change log, and whether callers wait for pooled connections. {@link
     * StoreHealth} says how the overall status follows from them. Never throws for a failing
     * database, and returns within about {@code timeout} however the database fails: a database
     * that has not answered by then is reported {@link StoreHealth.Status#DOWN}. Safe to call from
     * any thread, as often as a probe asks.
     *
     * @param timeout how long to wait for the database at most; from 1 ms to 1 minute
     * @return the store's health
     * @throws IllegalArgumentException if {@code timeout} is null or out of range
     */
    StoreHealth health(Duration timeout);

    /** Stops the change feed, closes every cache and the connection pool. Calling it again does nothing. */
    @Override
    void close();
}
