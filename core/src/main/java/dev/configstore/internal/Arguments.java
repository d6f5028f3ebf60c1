package dev.configstore.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Checks of settings and arguments that fail with an {@link IllegalArgumentException} naming the
 * setting, the rule and the value received.
 */
public final class Arguments {

    /** The longest duration any setting accepts; long enough for any cache, short enough to add. */
    public static final Duration MAX_DURATION = Duration.ofDays(365L * 100);

    private Arguments() {}

    /**
     * Returns {@code value}, or fails if it is null.
     *
     * @param value the value to check
     * @param name the setting or argument, as the user wrote it
     * @param <T> the value type
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(@Nullable T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * Returns {@code value} in nanoseconds, or fails unless it is positive and at most {@link
     * #MAX_DURATION}.
     *
     * @param value the duration to check
     * @param name the setting or argument, as the user wrote it
     * @return {@code value} in nanoseconds
     * @throws IllegalArgumentException if {@code value} is null, zero, negative or too long
     */
    public static long positiveNanos(@Nullable Duration value, String name) {
        Duration duration = notNull(value, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_DURATION.toDays() + " days, got " + duration);
        }
        return duration.toNanos();
    }

    /**
     * Returns {@code value}, or fails unless it is positive.
     *
     * @param value the number to check
     * @param name the setting or argument, as the user wrote it
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is zero or negative
     */
    public static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * Returns {@code value}, or fails if it is null, empty or only whitespace.
     *
     * @param value the text to check
     * @param name the setting or argument, as the user wrote it
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null or blank
     */
    public static String notBlank(@Nullable String value, String name) {
        String text = notNull(value, name);
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, got \"" + text + "\"");
        }
        return text;
    }
}
