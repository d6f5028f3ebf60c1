package dev.configstore.guild;

import org.jspecify.annotations.Nullable;

/**
 * Checks Discord snowflakes: the ids of guilds, channels and users. A snowflake is written in
 * decimal digits only (ASCII {@code 0}-{@code 9}), with no sign, no spaces and no leading zeros,
 * and its value is at most 2<sup>64</sup>-1 (an unsigned 64-bit number). Every configstore
 * method that takes an id checks it this way before changing anything.
 */
public final class Snowflakes {

    /** The largest snowflake, 2<sup>64</sup>-1. */
    public static final String MAX = "18446744073709551615";

    private static final String RULE =
            "a Discord snowflake (decimal digits only, no sign, spaces or leading zeros," + " at most " + MAX + ")";

    private Snowflakes() {}

    /**
     * Returns whether {@code text} is a snowflake.
     *
     * @param text the text to check; may be null
     * @return true if it is a snowflake
     */
    public static boolean isValid(@Nullable String text) {
        return text != null && problem(text) == null;
    }

    /**
     * Returns {@code id} if it is a snowflake.
     *
     * @param id the id to check
     * @param argument the name of the argument or setting it came from, for the message
     * @return {@code id}, unchanged
     * @throws IllegalArgumentException if {@code id} is null or not a snowflake; the message names
     *     {@code argument}, the rule and the value
     */
    public static String requireValid(@Nullable String id, String argument) {
        if (id == null) {
            throw new IllegalArgumentException(argument + " must be " + RULE + ", got null");
        }
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(
                    argument + " must be " + RULE + ", got \"" + printable(id) + "\" (" + problem + ")");
        }
        return id;
    }

    /**
     * Returns the snowflake written as {@code id}.
     *
     * @param id the id, as the {@code long} chat libraries return
     * @param argument the name of the argument it came from, for the message
     * @return {@code id} in decimal
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static String requireValid(long id, String argument) {
        if (id < 0) {
            throw new IllegalArgumentException(argument + " must be " + RULE + ", got " + id
                    + " (negative; pass ids of 2^63 and above as a String)");
        }
        return Long.toString(id);
    }

    /** Returns what is wrong with {@code text}, or null if it is a snowflake. */
    private static @Nullable String problem(String text) {
        int length = text.length();
        // Called on every read: one branch-free pass decides the common case, and only a
        // failure looks for which rule was broken.
        int outside = 0;
        for (int i = 0; i < length; i++) {
            int digit = text.charAt(i) - '0';
            outside |= digit | (9 - digit);
        }
        if (outside >= 0 && length > 0 && length < MAX.length() && (length == 1 || text.charAt(0) != '0')) {
            return null;
        }
        if (length == 0) {
            return "empty";
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return "character " + (i + 1) + " is not a decimal digit";
            }
        }
        if (length > 1 && text.charAt(0) == '0') {
            return "leading zero";
        }
        if (length > MAX.length() || (length == MAX.length() && text.compareTo(MAX) > 0)) {
            return "larger than " + MAX;
        }
        return null;
    }

    /** Shows control and other invisible characters in a message as escapes. */
    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> {
            if (cp != ' '
                    && (Character.isISOControl(cp)
                            || Character.isWhitespace(cp)
                            || Character.isSpaceChar(cp)
                            || Character.getType(cp) == Character.FORMAT)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
