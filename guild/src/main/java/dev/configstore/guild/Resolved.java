package dev.configstore.guild;

import java.util.Objects;
import java.util.Optional;

/**
 * A setting as it applies to a guild, and where that value came from.
 *
 * @param value the value, or empty if the setting has none anywhere
 * @param source where the value came from; {@link Source#DEFAULT} when it is empty
 * @param <T> the value type
 */
public record Resolved<T>(Optional<T> value, Source source) {

    /**
     * Checks that no component is null.
     *
     * @param value the value, or empty
     * @param source where it came from
     */
    public Resolved {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
