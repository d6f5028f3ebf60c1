package dev.configstore.examples.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * Escapes text for HTML. Every value a page shows goes through {@link #escape}, in element content
 * and in double-quoted attribute values alike: the five characters that can end a text or an
 * attribute, or begin markup or an entity, are written as character references.
 */
final class Html {

    private Html() {}

    /**
     * Escapes text for element content and double- or single-quoted attribute values.
     *
     * @param text any text, as stored
     * @return the text with {@code & < > " '} written as character references
     */
    static String escape(String text) {
        @Nullable StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            @Nullable
            String reference = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (reference != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(reference);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
