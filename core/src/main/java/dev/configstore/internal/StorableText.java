package dev.configstore.internal;

import java.util.Locale;

/**
 * Checks of the free-form text a database backend stores, made before the database sees it, so
 * that every database refuses the same text with the same {@link IllegalArgumentException} and
 * nothing is read, written or cached for it.
 *
 * <ul>
 *   <li>Text must be well-formed UTF-16: a lone surrogate has no UTF-8 form, and the drivers
 *       silently store {@code ?} instead, so two distinct keys would collide and a cache could
 *       hold what the database does not.
 *   <li>Text must not contain NUL (U+0000): PostgreSQL cannot store it in a {@code text} column,
 *       and refusing it everywhere keeps the databases interchangeable.
 *   <li>Keys are at most {@value #MAX_KEY_BYTES} bytes in UTF-8: far below what PostgreSQL's btree
 *       index on (namespace, key) can hold, whatever the text.
 * </ul>
 */
public final class StorableText {

    /**
     * The largest key, in bytes of UTF-8. PostgreSQL's btree entries hold at most about 2,700
     * bytes; with the namespace (at most 64 bytes) and the entry's overhead, a key of this size
     * fits with room to spare, compressible or not.
     */
    public static final int MAX_KEY_BYTES = 1024;

    private StorableText() {}

    /**
     * Returns {@code key} if a database backend can store it exactly.
     *
     * @param key the key
     * @return {@code key}, unchanged
     * @throws IllegalArgumentException if {@code key} is null, holds a lone surrogate or NUL, or is
     *     longer than {@value #MAX_KEY_BYTES} bytes in UTF-8; the message names the rule
     */
    public static String requireKey(String key) {
        requireText(key, "key");
        int bytes = utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must be at most " + MAX_KEY_BYTES + " bytes in UTF-8, got " + bytes
                    + " bytes (starting \"" + key.substring(0, key.offsetByCodePoints(0, 20))
                    + "\"). Use a shorter key, such as a hash of"
                    + " this one.");
        }
        return key;
    }

    /**
     * Returns {@code value} if a database backend can store it exactly.
     *
     * @param value the value
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException if {@code value} is null or holds a lone surrogate or NUL;
     *     the message names the rule
     */
    public static String requireValue(String value) {
        return requireText(value, "value");
    }

    private static String requireText(String text, String argument) {
        Arguments.notNull(text, argument);
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException(argument + " must not contain the NUL character (U+0000), found at"
                        + " index " + i + ": PostgreSQL cannot store it, and configstore refuses it on every"
                        + " database. Remove it, or encode the " + argument + " (for example in Base64).");
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a well-formed pair
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "%s must be well-formed UTF-16, but has a lone %s surrogate \\u%04X at index %d: it has no"
                                + " UTF-8 form and would be stored as '?'. Pass text whose surrogates come in"
                                + " high-low pairs.",
                        argument,
                        Character.isHighSurrogate(c) ? "high" : "low",
                        (int) c,
                        i));
            }
        }
        return text;
    }

    /** The length of well-formed {@code text} in UTF-8. */
    private static int utf8Length(String text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
