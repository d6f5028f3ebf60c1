package dev.configstore.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A setting's value as it applies where it was read, with where it came from and every stored
 * value that was passed over on the way because it was invalid.
 *
 * <p>Resolution falls through a layer only when the layer has no value, or has one that was
 * {@link #skipped() skipped}: a stored text that no longer decodes, breaks a rule, or was stored at
 * a scope the declaration does not allow. A skipped value is never the {@link #value()}.
 *
 * @param value the value; empty only when {@link #origin()} is {@link Origin#NONE}
 * @param origin the layer that gave the value
 * @param skipped the stored values passed over, nearest scope first, each with the reason
 * @param <T> the value type
 */
public record Resolution<T>(Optional<T> value, Origin origin, List<Skipped> skipped) {

    /**
     * Checks the components and copies the skipped values.
     *
     * @param value the value
     * @param origin the layer that gave it
     * @param skipped the stored values passed over
     * @throws IllegalArgumentException if a component is null, or the value is empty for an
     *     origin other than {@link Origin#NONE} (or present for {@link Origin#NONE})
     */
    public Resolution {
        if (value == null || origin == null || skipped == null) {
            throw new IllegalArgumentException("a resolution needs a value (or empty), an origin and a list of skipped"
                    + " values, got " + value + ", " + origin + ", " + skipped);
        }
        if (value.isPresent() == (origin == Origin.NONE)) {
            throw new IllegalArgumentException("origin " + origin + " does not fit value " + value);
        }
        skipped = List.copyOf(skipped);
    }

    /**
     * Returns whether a stored value was skipped while resolving, which an operator should fix or
     * reset.
     *
     * @return true if {@link #skipped()} is not empty
     */
    public boolean hasSkipped() {
        return !skipped.isEmpty();
    }

    /**
     * A stored value that resolution passed over, and why.
     *
     * @param scope the scope it is stored at
     * @param text the stored text, as it is
     * @param reason why it is not served: names the setting, the rule (or what the type or scope
     *     requires) and the value
     */
    public record Skipped(Scope scope, String text, String reason) {
        /**
         * Checks that no component is null.
         *
         * @param scope the scope
         * @param text the stored text
         * @param reason why it is not served
         */
        public Skipped {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
