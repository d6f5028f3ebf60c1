package dev.configstore.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Writes and reads a list of texts between brackets, each text a JSON string literal, so that any
 * tool with a JSON parser reads a stored list and a rule's arguments. Rule arguments made only of
 * letters, digits and {@code _ . : + -} may also be written bare, for people to read.
 */
final class TextList {

    private TextList() {}

    /** Writes {@code items} as a JSON array of strings, with no spaces: {@code ["a","b"]}. */
    static String json(List<String> items) {
        return write(items, '[', ']', false);
    }

    /** Writes rule arguments: {@code (1,5)} or {@code ("[a-z]+")}. */
    static String arguments(List<String> items) {
        return write(items, '(', ')', true);
    }

    /** Reads a JSON array of strings; throws IllegalArgumentException saying what is wrong. */
    static List<String> parseJson(String text) {
        return new Reader(text, false).list('[', ']');
    }

    /** Reads rule arguments, starting at the opening parenthesis of {@code text}. */
    static List<String> parseArguments(String text) {
        return new Reader(text, true).list('(', ')');
    }

    static boolean isBare(String item) {
        if (item.isEmpty()) {
            return false;
        }
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && "_.:+-".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String write(List<String> items, char open, char close, boolean bareWherePossible) {
        StringBuilder out = new StringBuilder().append(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String item = items.get(i);
            if (bareWherePossible && isBare(item)) {
                out.append(item);
            } else {
                quote(item, out);
            }
        }
        return out.append(close).toString();
    }

    /** Appends {@code item} as a JSON string literal. */
    static StringBuilder quote(String item, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static final class Reader {
        private final String text;
        private final boolean allowBare;
        private int at;

        Reader(String text, boolean allowBare) {
            this.text = text;
            this.allowBare = allowBare;
        }

        List<String> list(char open, char close) {
            skipSpace();
            expect(open);
            List<String> items = new ArrayList<>();
            skipSpace();
            if (peek() == close) {
                at++;
            } else {
                while (true) {
                    skipSpace();
                    items.add(item(close));
                    skipSpace();
                    char next = peek();
                    at++;
                    if (next == close) {
                        break;
                    }
                    if (next != ',') {
                        throw problem("expected ',' or '" + close + "'");
                    }
                }
            }
            skipSpace();
            if (at != text.length()) {
                throw problem("unexpected text after '" + close + "'");
            }
            return Collections.unmodifiableList(items);
        }

        private String item(char close) {
            if (peek() == '"') {
                return string();
            }
            if (!allowBare) {
                throw problem("expected a string in double quotes");
            }
            int start = at;
            while (at < text.length() && text.charAt(at) != ',' && text.charAt(at) != close) {
                at++;
            }
            String item = text.substring(start, at).strip();
            if (!isBare(item)) {
                throw problem("expected a string in double quotes, or only letters, digits and _ . : + -");
            }
            return item;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw problem("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw problem("control character in a string (write it as an escape)");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw problem("unterminated escape");
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> out.append(hex());
                    default -> throw problem("unknown escape \\" + escaped);
                }
            }
        }

        private char hex() {
            if (at + 4 > text.length()) {
                throw problem("\\u needs four hex digits");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(at + i), 16);
                if (digit < 0 || text.charAt(at + i) > 'f') {
                    throw problem("\\u needs four hex digits");
                }
                value = value * 16 + digit;
            }
            at += 4;
            return (char) value;
        }

        private void skipSpace() {
            while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private char peek() {
            if (at >= text.length()) {
                throw problem("unexpected end");
            }
            return text.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw problem("expected '" + c + "'");
            }
            at++;
        }

        private IllegalArgumentException problem(String what) {
            return new IllegalArgumentException(what + " at character " + (at + 1));
        }
    }
}
