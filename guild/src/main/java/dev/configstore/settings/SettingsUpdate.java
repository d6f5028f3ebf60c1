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
    private final List<Expectation> expectations = new ArrayList<>();

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
     * A value the update expects to find stored when it runs.
     *
     * @param setting the setting
     * @param where the guild, or a channel of it
     * @param text the text expected, or empty for "nothing stored"
     */
    public record Expectation(Setting<?> setting, ScopeId where, Optional<String> text) {}

    /**
     * Makes the update conditional: it is made only if the text stored for {@code setting} at
     * {@code where} is still {@code text} (or nothing, if {@code text} is empty) when the update
     * runs, checked in the update's own transaction. Otherwise {@link Settings#update} writes
     * nothing and throws {@link ConflictingUpdateException}, naming the setting, the text expected
     * and the text found. This is how a form that shows values and saves them later (a web
     * dashboard) refuses to overwrite a change made since it was shown.
     *
     * <p>On a server the row is read with a lock, so it cannot change before the transaction
     * ends; SQLite runs write transactions one at a time. A value expected absent has no row to
     * lock: a first value another transaction commits while the update runs makes it fail as a
     * conflict too (on PostgreSQL the update runs at repeatable read for this).
     *
     * <p>Compared are the stored texts, as {@link Setting#encode} writes them; a value stored by hand
     * that the setting would not read (skipped) is compared as it is stored.
     *
     * @param setting the setting
     * @param where the guild, or a channel of it
     * @param text the text expected to be stored there, or empty if nothing is expected to be
     * @return this update
     * @throws IllegalArgumentException if an argument is null, or the setting may not be stored at
     *     that scope
     */
    public SettingsUpdate expect(Setting<?> setting, ScopeId where, Optional<String> text) {
        ScopeId checked = requireAllowed(setting, where);
        if (text == null) {
            throw new IllegalArgumentException("the expected text of setting \"" + setting.key()
                    + "\" must not be null (pass Optional.empty() for nothing stored)");
        }
        expectations.add(new Expectation(setting, checked, text));
        return this;
    }

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
     * Returns the values the update expects to find stored, in the order they were added.
     *
     * @return the expectations, unmodifiable
     */
    public List<Expectation> expectations() {
        return List.copyOf(expectations);
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
