package dev.configstore.guild;

import dev.configstore.CachedKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both facades share: one cached row per guild and the backend that changes single
 * settings of it. Every change goes through {@link CachedKeyValueStore#update}, so it is durable
 * before the cached row is dropped.
 */
final class GuildRows {

    private static final Logger log = LoggerFactory.getLogger(GuildRows.class);

    final CachedKeyValueStore<String, GuildSettings> store;
    final GuildSettingsBackend backend;
    final ConfigDefaults defaults;

    GuildRows(CachedKeyValueStore<String, GuildSettings> store, GuildSettingsBackend backend, ConfigDefaults defaults) {
        this.store = store;
        this.backend = backend;
        this.defaults = defaults;
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

    void write(String guildId, GuildSetting setting, @Nullable Object value) {
        store.update(guildId, () -> backend.writeSetting(guildId, setting, value));
        if (value == null) {
            log.info("{}: guild {}: cleared {}", store.name(), guildId, setting);
        } else {
            log.info("{}: guild {}: set {} to {}", store.name(), guildId, setting, value);
        }
    }

    void forget(String guildId) {
        store.invalidate(guildId);
        log.debug("{}: guild {}: dropped its cached settings", store.name(), guildId);
    }
}
