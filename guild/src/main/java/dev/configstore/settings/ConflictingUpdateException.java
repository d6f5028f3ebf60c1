package dev.configstore.settings;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Settings#update} when a value the update {@linkplain SettingsUpdate#expect
 * expects} is not the one stored when the update runs: another process (or another writer in this
 * one) changed it since the caller read it. Nothing of the update was written; read the values
 * again, show them, and let whoever made the change decide.
 *
 * <p>It is an {@link IllegalArgumentException}, as a value that breaks a rule is: the update was
 * refused before anything was written, and the cache keeps what it had. Catch it before {@code
 * IllegalArgumentException} to tell the two apart.
 */
public final class ConflictingUpdateException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The setting's key. */
    private final String key;

    /** Where the value is stored. */
    private final ScopeId where;

    /** The text the update expected, or null for nothing stored. */
    private final @Nullable String expected;

    /** The text stored when the update ran, or null if nothing was. */
    private final @Nullable String actual;

    /**
     * Creates the exception.
     *
     * @param key the setting's key
     * @param where where the value is stored
     * @param expected the text the update expected, or empty for "nothing stored"
     * @param actual the text stored, or empty if nothing is
     */
    public ConflictingUpdateException(String key, ScopeId where, Optional<String> expected, Optional<String> actual) {
        super("Setting \"" + key + "\" for " + where + " changed since it was read: expected "
                + shown(expected) + ", but it is now " + shown(actual)
                + ". Nothing was written; read the values again and retry.");
        this.key = key;
        this.where = where;
        this.expected = expected.orElse(null);
        this.actual = actual.orElse(null);
    }

    private static String shown(Optional<String> text) {
        return text.map(Rules::show).orElse("nothing stored");
    }

    /**
     * Returns the key of the setting that changed.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns where the value that changed is stored.
     *
     * @return the guild or channel
     */
    public ScopeId where() {
        return where;
    }

    /**
     * Returns the text the update expected.
     *
     * @return the text, or empty if it expected nothing stored
     */
    public Optional<String> expected() {
        return Optional.ofNullable(expected);
    }

    /**
     * Returns the text stored when the update ran.
     *
     * @return the text, or empty if nothing was stored
     */
    public Optional<String> actual() {
        return Optional.ofNullable(actual);
    }
}
