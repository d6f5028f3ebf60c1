package dev.configstore.testkit;

import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Per-guild settings in memory, for testing code that uses the guild facades. A guild whose
 * settings are all cleared is removed, so it reads as absent.
 */
public final class InMemoryGuildSettingsBackend implements GuildSettingsBackend {

    private final InMemoryBackend<String, GuildSettings> guilds;

    private InMemoryGuildSettingsBackend(InMemoryBackend<String, GuildSettings> guilds) {
        this.guilds = guilds;
    }

    /**
     * Creates an empty backend that reports external changes to subscribed stores.
     *
     * @return a new backend
     */
    public static InMemoryGuildSettingsBackend create() {
        return new InMemoryGuildSettingsBackend(InMemoryBackend.create());
    }

    @Override
    public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
        Objects.requireNonNull(guildId, "guildId");
        Objects.requireNonNull(setting, "setting");
        GuildSettings.EMPTY.with(setting, value); // rejects a value of the wrong type before changing anything
        return guilds.inTransaction(tx -> {
            GuildSettings current = tx.read(guildId).map(Versioned::value).orElse(GuildSettings.EMPTY);
            return store(tx, guildId, current.with(setting, value));
        });
    }

    @Override
    public Optional<Versioned<GuildSettings>> read(String guildId) {
        return guilds.read(guildId);
    }

    @Override
    public long write(String guildId, GuildSettings settings) {
        return guilds.inTransaction(tx -> store(tx, guildId, settings));
    }

    @Override
    public long delete(String guildId) {
        return guilds.delete(guildId);
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
        return guilds.inTransaction(tx -> work.apply(new BackendOperations<>() {
            @Override
            public Optional<Versioned<GuildSettings>> read(String guildId) {
                return tx.read(guildId);
            }

            @Override
            public long write(String guildId, GuildSettings settings) {
                return store(tx, guildId, settings);
            }

            @Override
            public long delete(String guildId) {
                return tx.delete(guildId);
            }
        }));
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<String> listener) {
        return guilds.subscribe(listener);
    }

    /**
     * Changes one setting as another process would, then reports the change to subscribed stores.
     *
     * @param guildId the guild
     * @param setting the setting
     * @param value the new value, or null to clear it
     */
    public void writeSettingExternally(String guildId, GuildSetting setting, @Nullable Object value) {
        GuildSettings current = guilds.valueOf(guildId).orElse(GuildSettings.EMPTY);
        GuildSettings changed = current.with(setting, value);
        if (changed.isEmpty()) {
            guilds.deleteExternally(guildId);
        } else {
            guilds.writeExternally(guildId, changed);
        }
    }

    /**
     * Returns the stored settings of a guild.
     *
     * @param guildId the guild
     * @return its settings, or empty if none is stored
     */
    public Optional<GuildSettings> settingsOf(String guildId) {
        return guilds.valueOf(guildId);
    }

    private static long store(BackendOperations<String, GuildSettings> tx, String guildId, GuildSettings settings) {
        return settings.isEmpty() ? tx.delete(guildId) : tx.write(guildId, settings);
    }
}
