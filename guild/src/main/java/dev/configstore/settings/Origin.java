package dev.configstore.settings;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which layer a resolved value came from. Layers are consulted in the order the constants are
 * declared, and a layer is passed over only when it has no value for the setting (or holds one
 * that was skipped as invalid, see {@link Resolution#skipped()}).
 */
public enum Origin {
    /** Stored for the channel that was asked about. */
    CHANNEL(Scope.CHANNEL),
    /** Stored for the guild. */
    GUILD(Scope.GUILD),
    /** Stored for the whole bot. */
    GLOBAL(Scope.GLOBAL),
    /** Not stored anywhere that applies; taken from the declared environment variable. */
    ENVIRONMENT(null),
    /** Neither stored nor in the environment; the declared default. */
    DEFAULT(null),
    /** No value anywhere: the setting has no default and nothing else applied. */
    NONE(null);

    private final Optional<Scope> scope;

    Origin(@Nullable Scope scope) {
        this.scope = Optional.ofNullable(scope);
    }

    /**
     * Returns the scope the value was stored at, for a stored value.
     *
     * @return the scope, or empty for {@link #ENVIRONMENT}, {@link #DEFAULT} and {@link #NONE}
     */
    public Optional<Scope> scope() {
        return scope;
    }

    /**
     * Returns whether the value was stored (at a channel, guild or the global scope).
     *
     * @return true for {@link #CHANNEL}, {@link #GUILD} and {@link #GLOBAL}
     */
    public boolean isStored() {
        return scope.isPresent();
    }

    static Origin of(Scope scope) {
        return switch (scope) {
            case CHANNEL -> CHANNEL;
            case GUILD -> GUILD;
            case GLOBAL -> GLOBAL;
        };
    }
}
