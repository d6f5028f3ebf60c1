package dev.configstore.settings;

import java.util.Optional;

/**
 * A change of the value stored for one setting at one scope, as a {@link SettingListener} receives
 * it: what was stored there before and what is stored now. It describes the stored value at that
 * scope, not what reads resolve: a change of the global value is one change at {@link
 * ScopeId#global()}, not one per guild.
 *
 * <p>Values are absent ({@link Optional#empty()}) where nothing is stored: before the first set,
 * after a reset. A stored text that does not decode, breaks a rule, or is stored at a scope the
 * setting does not allow (written by hand, or by an older version) is never given as a value: its
 * value is absent, as reads skip it, and its text is in {@link #oldText()} or {@link #newText()}.
 *
 * @param setting the setting
 * @param where the scope whose stored value changed
 * @param oldValue the value stored there before, or empty if there was none or it was invalid
 * @param newValue the value stored there now, or empty if there is none or it is invalid
 * @param oldText the text stored there before, as it was, or empty if there was none
 * @param newText the text stored there now, as it is, or empty if there is none
 * @param <T> the value type
 */
public record SettingChange<T>(
        Setting<T> setting,
        ScopeId where,
        Optional<T> oldValue,
        Optional<T> newValue,
        Optional<String> oldText,
        Optional<String> newText) {

    /**
     * Checks that no component is null.
     *
     * @param setting the setting
     * @param where the scope
     * @param oldValue the value before
     * @param newValue the value now
     * @param oldText the text before
     * @param newText the text now
     * @throws IllegalArgumentException if a component is null
     */
    public SettingChange {
        if (setting == null
                || where == null
                || oldValue == null
                || newValue == null
                || oldText == null
                || newText == null) {
            throw new IllegalArgumentException("a setting change needs a setting, a scope, and values and texts"
                    + " (each empty if there is none), got " + setting + ", " + where + ", " + oldValue + ", "
                    + newValue + ", " + oldText + ", " + newText);
        }
    }
}
