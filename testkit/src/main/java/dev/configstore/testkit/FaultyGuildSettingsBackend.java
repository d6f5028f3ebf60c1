package dev.configstore.testkit;

import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FaultyBackend} for per-guild settings: wraps any {@link GuildSettingsBackend} and
 * lets a test script faults through {@link #faults()}. {@link #writeSetting} counts as a {@link
 * FaultyBackend.Call#WRITE}.
 */
public final class FaultyGuildSettingsBackend implements GuildSettingsBackend {

    private final GuildSettingsBackend delegate;
    private final FaultyBackend<String, GuildSettings> faults;

    private FaultyGuildSettingsBackend(GuildSettingsBackend delegate) {
        this.delegate = delegate;
        this.faults = FaultyBackend.wrap(delegate);
    }

    /**
     * Wraps a backend; with nothing scripted, every call passes straight through.
     *
     * @param delegate the backend to wrap
     * @return the wrapper
     */
    public static FaultyGuildSettingsBackend wrap(GuildSettingsBackend delegate) {
        return new FaultyGuildSettingsBackend(delegate);
    }

    /**
     * Returns the script of faults and the call counts.
     *
     * @return the fault-injecting wrapper behind this backend
     */
    public FaultyBackend<String, GuildSettings> faults() {
        return faults;
    }

    @Override
    public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
        return faults.intercept(FaultyBackend.Call.WRITE, () -> delegate.writeSetting(guildId, setting, value));
    }

    @Override
    public Optional<Versioned<GuildSettings>> read(String guildId) {
        return faults.read(guildId);
    }

    @Override
    public long write(String guildId, GuildSettings settings) {
        return faults.write(guildId, settings);
    }

    @Override
    public long delete(String guildId) {
        return faults.delete(guildId);
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
        return faults.inTransaction(work);
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<String> listener) {
        return faults.subscribe(listener);
    }
}
