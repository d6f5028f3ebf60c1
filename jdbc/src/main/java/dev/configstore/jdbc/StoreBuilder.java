package dev.configstore.jdbc;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.internal.AuditTrail;
import dev.configstore.jdbc.internal.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every database's store builder has, checked alike with the same messages on every
 * database: the caches' settings (through the cache's own builder), the defaults guilds fall back
 * to, the pool, the busy timeout and the change feed. Each database's builder adds what only it
 * has (a file, a schema, a durability mode).
 *
 * <pre>{@code
 * SqliteConfigStore config = SqliteConfigStore.builder(Path.of("bot.db"))
 *         .cache(cache -> cache.expireAfterWrite(Duration.ofMinutes(5)).maximumSize(50_000))
 *         .defaults(ConfigDefaults.fromEnvironment())
 *         .build();
 * }</pre>
 *
 * @param <B> the database's builder
 * @param <S> the store it builds
 */
public abstract class StoreBuilder<B extends StoreBuilder<B, S>, S extends ConfigStore> {

    /** Whether the change feed runs on threads of its own, only when tests poll, or not at all. */
    protected enum FeedMode {
        /** On its own threads. */
        THREADS,
        /** Only when a test asks. */
        MANUAL,
        /** Not at all. */
        OFF
    }

    private Consumer<CachedKeyValueStore.Builder<?, ?>> cache = settings -> {};
    private ConfigDefaults defaults = ConfigDefaults.none();
    private int poolSize = 4;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private Duration changeFeedInterval;
    private FeedMode changeFeed = FeedMode.THREADS;
    private String defaultActor = AuditTrail.Settings.DEFAULT.defaultActor();
    private Clock clock = AuditTrail.Settings.DEFAULT.clock();
    private Duration auditRetention = AuditTrail.Settings.DEFAULT.retention();

    /**
     * Starts a builder.
     *
     * @param changeFeedInterval the database's default for {@link #changeFeedInterval}
     */
    protected StoreBuilder(Duration changeFeedInterval) {
        this.changeFeedInterval = changeFeedInterval;
    }

    /**
     * Returns this builder as the database's type.
     *
     * @return this
     */
    protected abstract B self();

    /**
     * Sets how every cache of the store is built: the guild settings' cache and each
     * namespace's. {@code settings} gets each cache's builder (its name already set) and may call
     * any of its settings: {@code expireAfterWrite} (60 seconds unless set), {@code maximumSize}
     * (10,000 entries each), {@code writePolicy}, {@code ticker}, {@code serveStaleOnError},
     * {@code executor}, {@code keyCheck}. Replaces what an earlier call set.
     *
     * @param settings applied to every cache's builder
     * @return this builder
     * @throws IllegalArgumentException if {@code settings} is null
     */
    public B cache(Consumer<CachedKeyValueStore.Builder<?, ?>> settings) {
        this.cache = Arguments.notNull(settings, "cache");
        return self();
    }

    /**
     * Sets the defaults guilds fall back to.
     *
     * @param defaults for example {@link ConfigDefaults#fromEnvironment()}
     * @return this builder
     * @throws IllegalArgumentException if it is null
     */
    public B defaults(ConfigDefaults defaults) {
        this.defaults = Arguments.notNull(defaults, "defaults");
        return self();
    }

    /**
     * Sets how many connections the pool keeps open at most (4 by default).
     *
     * @param connections from 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if it is out of range
     */
    public B poolSize(int connections) {
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("poolSize must be between 1 and 64, got " + connections);
        }
        this.poolSize = connections;
        return self();
    }

    /**
     * Sets how long an operation waits for a lock held by another writer, and for a free pooled
     * connection, before failing with {@link StoreException.Reason#BUSY} or {@link
     * StoreException.Reason#UNAVAILABLE} (5 seconds by default).
     *
     * @param timeout at least 1 millisecond, at most one hour
     * @return this builder
     * @throws IllegalArgumentException if it is null or out of range
     */
    public B busyTimeout(Duration timeout) {
        Arguments.positiveNanos(timeout, "busyTimeout");
        if (timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("busyTimeout must be at most PT1H, got " + timeout);
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("busyTimeout must be at least 1 ms, got " + timeout);
        }
        this.busyTimeout = timeout;
        return self();
    }

    /**
     * Sets how often the change feed reads changes made by other processes at the latest; each
     * database also wakes it sooner where it can (see its documentation).
     *
     * @param interval positive, at most one hour
     * @return this builder
     * @throws IllegalArgumentException if it is null, not positive or longer than an hour
     */
    public B changeFeedInterval(Duration interval) {
        Arguments.positiveNanos(interval, "changeFeedInterval");
        if (interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("changeFeedInterval must be at most PT1H, got " + interval);
        }
        this.changeFeedInterval = interval;
        return self();
    }

    /**
     * Turns the change feed off: changes made by other processes are then seen only when cached
     * values expire. Use it when this process is the only writer.
     *
     * @return this builder
     */
    public B disableChangeFeed() {
        this.changeFeed = FeedMode.OFF;
        return self();
    }

    /**
     * Sets who made a change when the writing thread set no {@link Actor}: recorded in the audit
     * trail ({@link ConfigStore#history}) and in the log. {@code "unknown"} by default; a bot
     * might say {@code "bot"}, a tool {@code "os:" + System.getProperty("user.name")}.
     *
     * @param actor 1 to 200 characters, no control characters
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid actor
     */
    public B defaultActor(String actor) {
        this.defaultActor = Actor.check(actor);
        return self();
    }

    /**
     * Sets how long the audit trail keeps its entries (90 days by default). Older entries are
     * deleted a minute after the store opens and every hour after, by {@link #clock}.
     *
     * @param retention from one hour to 100 years
     * @return this builder
     * @throws IllegalArgumentException if it is null or out of range
     */
    public B auditRetention(Duration retention) {
        Arguments.notNull(retention, "auditRetention");
        if (retention.compareTo(Duration.ofHours(1)) < 0 || retention.compareTo(Duration.ofDays(36_525)) > 0) {
            throw new IllegalArgumentException(
                    "auditRetention must be between PT1H and 36525 days (100 years), got " + retention);
        }
        this.auditRetention = retention;
        return self();
    }

    /**
     * Sets the clock of the audit trail: the times its entries record, and the age at which they
     * are pruned. The system clock (UTC) by default; tests pass one they can move.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalArgumentException if it is null
     */
    public B clock(Clock clock) {
        this.clock = Arguments.notNull(clock, "clock");
        return self();
    }

    /**
     * Opens the store. What the build opened is closed again if it fails.
     *
     * @return the open store
     * @throws StoreException if the database cannot be opened; nothing is left open
     */
    public abstract S build();

    /**
     * Sets how the change feed runs; for a database's tests.
     *
     * @param mode the mode
     * @return this builder
     */
    protected B changeFeedMode(FeedMode mode) {
        this.changeFeed = mode;
        return self();
    }

    /**
     * Everything set on this builder, for the database's store.
     *
     * @return the settings
     * @throws IllegalArgumentException if settings contradict each other
     */
    @SuppressWarnings("exports")
    protected StoreSettings storeSettings() {
        return new StoreSettings(
                cache,
                defaults,
                poolSize,
                busyTimeout,
                Duration.ZERO,
                changeFeedInterval,
                changeFeed != FeedMode.OFF,
                changeFeed == FeedMode.THREADS,
                new AuditTrail.Settings(defaultActor, clock, auditRetention));
    }
}
