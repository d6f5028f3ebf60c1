package dev.configstore.guild;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.internal.Arguments;
import dev.configstore.internal.CachedReads;
import dev.configstore.settings.GlobalSnapshot;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingsSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both facades share: one cached row per guild, the backend that changes single settings of
 * it, and the {@link BuiltInSettings} every read resolves through. Every change goes through
 * {@link CachedKeyValueStore#update}, so it is durable before the cached row is dropped.
 *
 * <p>A read resolves the row through a {@link GuildSnapshot} of the three declarations, once per
 * cached row: stored value, then environment, then default, skipping (and counting, and logging
 * once) a stored value that breaks a declaration's rules. What it resolved is kept with the cached
 * row, so a read that hits the cache returns the same objects and allocates nothing.
 */
final class GuildRows {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.changes");

    final CachedKeyValueStore<String, GuildSettings> store;
    final GuildSettingsBackend backend;
    final ConfigDefaults defaults;
    final SettingsSchema schema;
    private final GlobalSnapshot global;
    private final Consumer<String> onForget;
    private final Resolved<String> loggingFallback;
    private final FlaggerConfig flaggerFallback;

    /** What a guild with nothing stored reads: the fallbacks, the same for every guild. */
    private final GuildEntry nothingStored;

    GuildRows(
            CachedKeyValueStore<String, GuildSettings> store,
            GuildSettingsBackend backend,
            ConfigDefaults defaults,
            Consumer<String> onForget) {
        this.store = store;
        this.backend = backend;
        this.defaults = defaults;
        this.onForget = onForget;
        // ConfigDefaults has checked the variables already, with its own messages.
        this.schema = SettingsSchema.of(defaults.variables(), BuiltInSettings.all());
        this.global = schema.global(Map.of());
        Resolution<String> logging = schema.fallback(BuiltInSettings.LOGGING_CHANNEL);
        Resolution<String> flags = schema.fallback(BuiltInSettings.FLAGS_CHANNEL);
        Resolution<Integer> days = schema.fallback(BuiltInSettings.SILENT_FIRST_MSG_DAYS);
        this.loggingFallback = new Resolved<>(logging.value(), Source.of(logging.origin()));
        this.flaggerFallback = new FlaggerConfig(
                flags.value(),
                days.value().orElse(FlaggerStore.DEFAULT_SILENT_DAYS),
                Source.of(flags.origin()),
                Source.of(days.origin()));
        this.nothingStored = new GuildEntry(this, "", loggingFallback, flaggerFallback);
    }

    /** The store's key check: a guild id must be a snowflake. */
    static void checkGuildId(String guildId) {
        Snowflakes.requireValid(guildId, "guildId");
    }

    /**
     * Reads a guild's settings. The id is checked by the store, and only when the cache does not
     * hold it: an id found in the cache was checked when its row was read.
     */
    GuildSettings read(@Nullable String guildId) {
        String key = guildId != null ? guildId : Snowflakes.requireValid(guildId, "guildId");
        return store.get(key).orElse(GuildSettings.EMPTY);
    }

    /**
     * Reads a guild's settings resolved through the declarations: from what was kept with the
     * cached row when it was resolved before, else resolving it now and keeping the result.
     */
    GuildEntry entry(@Nullable String guildId) {
        GuildSettings settings = read(guildId);
        // read() returned, so guildId is a checked snowflake, not null.
        return entryOf(Objects.requireNonNull(guildId), settings);
    }

    /**
     * What the facades read from a guild's row, without blocking the caller on a miss: on a hit
     * the future is complete at once, with nothing allocated beyond it ({@code pick} must not
     * allocate either); on a miss the row is read on {@code executor}.
     */
    <R> CompletableFuture<R> entryAsync(
            @Nullable String guildId, Executor executor, Function<GuildEntry, ? extends R> pick) {
        Arguments.notNull(executor, "executor");
        String key = guildId != null ? guildId : Snowflakes.requireValid(guildId, "guildId");
        Optional<GuildSettings> cached = CachedReads.cached(store, key);
        if (cached != null) {
            return CompletableFuture.completedFuture(pick.apply(entryOf(key, cached.orElse(GuildSettings.EMPTY))));
        }
        return store.getAsync(key, executor)
                .thenApply(read -> pick.apply(entryOf(key, read.orElse(GuildSettings.EMPTY))));
    }

    private GuildEntry entryOf(String guildId, GuildSettings settings) {
        // The hit's path first: what was resolved for this row before.
        GuildEntry known = settings.resolved;
        if (known != null && known.owner == this && known.guildId.equals(guildId)) {
            return known;
        }
        if (settings.isEmpty()) {
            return nothingStored;
        }
        return entry(guildId, settings);
    }

    private GuildEntry entry(String guildId, GuildSettings settings) {
        GuildEntry known = settings.resolved;
        if (known != null && known.owner == this && known.guildId.equals(guildId)) {
            return known;
        }
        GuildEntry made = resolve(guildId, settings);
        settings.resolved = made;
        return made;
    }

    /** The guild's snapshot of the declarations, kept with its cached row once made. */
    GuildSnapshot snapshot(String guildId) {
        GuildSettings settings = read(guildId);
        if (settings.isEmpty()) {
            return global.guild(guildId);
        }
        GuildEntry entry = entry(guildId, settings);
        GuildSnapshot snapshot = entry.snapshot;
        if (snapshot == null) {
            snapshot = snapshotOf(guildId, settings);
            entry.snapshot = snapshot;
        }
        return snapshot;
    }

    private GuildSnapshot snapshotOf(String guildId, GuildSettings settings) {
        Map<String, String> texts = new HashMap<>(4);
        settings.loggingChannelId().ifPresent(channel -> texts.put(BuiltInSettings.LOGGING_CHANNEL.key(), channel));
        settings.flagsChannelId().ifPresent(channel -> texts.put(BuiltInSettings.FLAGS_CHANNEL.key(), channel));
        settings.silentFirstMsgDays()
                .ifPresent(days -> texts.put(BuiltInSettings.SILENT_FIRST_MSG_DAYS.key(), Integer.toString(days)));
        settings.unreadableSilentDays().ifPresent(text -> texts.put(BuiltInSettings.SILENT_FIRST_MSG_DAYS.key(), text));
        return global.guild(guildId, texts, Map.of());
    }

    /**
     * Resolves the row through a snapshot of the declarations, and keeps only what the facades
     * return. A stored value that is served is the row's own text, so the row's {@code Optional}
     * is served rather than a copy.
     */
    private GuildEntry resolve(String guildId, GuildSettings settings) {
        GuildSnapshot snapshot = snapshotOf(guildId, settings);
        Resolution<String> logging = snapshot.resolve(BuiltInSettings.LOGGING_CHANNEL);
        Resolution<String> flags = snapshot.resolve(BuiltInSettings.FLAGS_CHANNEL);
        Resolution<Integer> days = snapshot.resolve(BuiltInSettings.SILENT_FIRST_MSG_DAYS);
        Resolved<String> loggingChannel = logging.origin().isStored()
                ? new Resolved<>(settings.loggingChannelId(), Source.DATABASE)
                : loggingFallback;
        FlaggerConfig flagger = !flags.origin().isStored() && !days.origin().isStored()
                ? flaggerFallback
                : new FlaggerConfig(
                        flags.origin().isStored() ? settings.flagsChannelId() : flags.value(),
                        days.value().orElse(FlaggerStore.DEFAULT_SILENT_DAYS),
                        Source.of(flags.origin()),
                        Source.of(days.origin()));
        return new GuildEntry(this, guildId, loggingChannel, flagger);
    }

    void write(String guildId, GuildSetting setting, @Nullable Object value) {
        if (value != null) {
            // The facades check their arguments with their own messages first; this makes sure
            // nothing they write breaks the rules every read checks.
            checkDeclared(setting.setting(), value);
        }
        store.update(guildId, () -> backend.writeSetting(guildId, setting, value));
        // At debug: a database's store logs each committed change at info itself, with who made it.
        if (value == null) {
            log.debug("{}: guild {}: cleared {}", store.name(), guildId, setting);
        } else {
            log.debug("{}: guild {}: set {} to {}", store.name(), guildId, setting, value);
        }
    }

    private static void checkDeclared(Setting<?> setting, Object value) {
        setting.decode(String.valueOf(value));
    }

    void forget(String guildId) {
        store.invalidate(guildId);
        onForget.accept(guildId);
        log.debug("{}: guild {}: dropped its cached settings", store.name(), guildId);
    }
}
