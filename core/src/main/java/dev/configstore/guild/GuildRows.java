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

    GuildSettings read(String guildId) {
        return store.get(guildId).orElse(GuildSettings.EMPTY);
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
