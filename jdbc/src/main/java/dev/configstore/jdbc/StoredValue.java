package dev.configstore.jdbc;

import dev.configstore.settings.ScopeId;

/**
 * One value stored in table {@code configstore_settings}, as the text it is stored as, whether or
 * not any declaration reads it ({@link StoredSettings}).
 *
 * @param where the scope it is stored at: global, a guild, or a channel of a guild
 * @param key the setting's key
 * @param text the stored text, exactly
 */
public record StoredValue(ScopeId where, String key, String text) {

    /**
     * Checks the components.
     *
     * @param where the scope
     * @param key the key
     * @param text the text
     * @throws IllegalArgumentException if a component is null or the key is empty
     */
    public StoredValue {
        if (where == null || key == null || key.isEmpty() || text == null) {
            throw new IllegalArgumentException(
                    "a stored value needs a scope, a key and a text, got " + where + ", " + key + ", " + text);
        }
    }
}
