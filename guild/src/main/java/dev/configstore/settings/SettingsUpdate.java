package dev.configstore.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changes to the settings of one guild and its channels that {@link Settings#update} makes in one
 * transaction: all of them, or none. Each value is checked against its setting's rules and scopes
 * as it is added, so a value that breaks a rule fails here, before anything is written.
 */
public final class SettingsUpdate {

    private final List<Change> changes = new ArrayList<>();

    /** Creates an empty update. */
    public SettingsUpdate() {}

    /**
     * One change: a value to store, as text, or a reset.
     *
     * @param setting the setting
     * @param where where to store it: a guild or one of its channels
     * @param text the checked text to store, or empty to reset
     */
    public record Change(Setting<?> setting, ScopeId where, Optional<String> text) {}

    /**
     * Adds a value to store.
     *
     * @param setting the setting
     * @param where the guild, or a channel of it
     * @param value the value
     * @param <T> the value type
     * @return this update
     * @throws IllegalArgumentException if the setting may not be stored at that scope, or the value
     *     breaks one of its rules; the message names the setting, the rule and the value
     */
    public <T> SettingsUpdate set(Setting<T> setting, ScopeId where, T value) {
        changes.add(new Change(setting, requireAllowed(setting, where), Optional.of(setting.encode(value))));
        return this;
    }

    /**
     * Adds a reset: the value stored there is removed, and reads fall through to the next layer.
     *
     * @param setting the setting
     * @param where the guild, or a channel of it
     * @return this update
     * @throws IllegalArgumentException if the setting may not be stored at that scope
     */
    public SettingsUpdate reset(Setting<?> setting, ScopeId where) {
        changes.add(new Change(setting, requireAllowed(setting, where), Optional.empty()));
        return this;
    }

    /**
     * Returns the changes, in the order they were added.
     *
     * @return the changes, unmodifiable
     */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /**
     * Checks that a setting may be stored at a scope.
     *
     * @param setting the setting
     * @param where the scope
     * @return {@code where}
     * @throws IllegalArgumentException if either is null, or the declaration does not allow the
     *     scope
     */
    public static ScopeId requireAllowed(Setting<?> setting, ScopeId where) {
        if (setting == null || where == null) {
            throw new IllegalArgumentException(
                    "a setting and where to store it are needed, got " + setting + " and " + where);
        }
        if (!setting.allows(where.scope())) {
            throw new IllegalArgumentException("Setting \"" + setting.key() + "\" may not be stored at scope "
                    + where.scope() + " (" + where + "); it allows " + setting.scopes());
        }
        return where;
    }
}
