package dev.configstore.guild;

import dev.configstore.StoreException;
import dev.configstore.spi.Backend;
import org.jspecify.annotations.Nullable;

/**
 * A backend for per-guild settings, keyed by the guild's snowflake. Besides the whole-value
 * operations of {@link Backend}, it changes one setting at a time, so that two processes (or two
 * threads) setting different settings of one guild at once both keep their change.
 *
 * <p>Reading a guild that has no setting stored returns empty, whether or not the storage keeps a
 * row for it. {@link #write} replaces every setting; {@link #delete} clears every setting. As for
 * every backend, versions of a guild strictly increase across all of these changes.
 */
public interface GuildSettingsBackend extends Backend<String, GuildSettings> {

    /**
     * Durably sets one setting of a guild in a single atomic change, leaving its other settings
     * as they are, and creating the guild's entry if it has none.
     *
     * @param guildId the guild's snowflake, already validated
     * @param setting the setting to change
     * @param value the new value, of the setting's {@link GuildSetting#valueType()}, or null to
     *     clear the setting
     * @return the version of this change, larger than any earlier version of the guild
     * @throws StoreException if the change certainly did not take effect
     * @throws IllegalArgumentException if {@code value} is not of the setting's type
     */
    long writeSetting(String guildId, GuildSetting setting, @Nullable Object value);
}
