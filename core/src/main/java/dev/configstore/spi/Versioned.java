package dev.configstore.spi;

/**
 * A value as a backend holds it, with the version of the change that wrote it.
 *
 * @param value the value; never {@code null} (absence is an empty {@code Optional} around the
 *     {@code Versioned})
 * @param version the version of the change that wrote {@code value}; positive, and larger than
 *     the version of every earlier change to the same key
 * @param <V> the value type
 */
public record Versioned<V>(V value, long version) {

    /**
     * Checks the arguments.
     *
     * @param value the value
     * @param version the version of the change that wrote it
     * @throws IllegalArgumentException if {@code value} is null or {@code version} is not positive
     */
    public Versioned {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; report absence as Optional.empty()");
        }
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
    }
}
