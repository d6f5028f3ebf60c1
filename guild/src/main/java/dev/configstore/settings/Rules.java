package dev.configstore.settings;

import dev.configstore.guild.Snowflakes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The text form of rules, and the words that say why a value breaks one. */
final class Rules {

    private static final int SHOWN_LENGTH = 60;

    private Rules() {}

    /** Writes {@code rule}'s text form, its values written by {@code codec}. */
    static String text(Rule<?> rule, Codec<?> codec) {
        if (rule instanceof Rule.Range<?> range) {
            return "range" + TextList.arguments(List.of(encode(codec, range.min()), encode(codec, range.max())));
        }
        if (rule instanceof Rule.Length length) {
            return "length(" + length.min() + "," + length.max() + ")";
        }
        if (rule instanceof Rule.Pattern pattern) {
            return "pattern" + TextList.arguments(List.of(pattern.regex()));
        }
        if (rule instanceof Rule.OneOf<?> oneOf) {
            List<String> texts = new ArrayList<>();
            for (Object value : oneOf.values()) {
                texts.add(encode(codec, value));
            }
            return "one-of" + TextList.arguments(texts);
        }
        if (rule instanceof Rule.Size size) {
            return "size(" + size.min() + "," + size.max() + ")";
        }
        if (rule instanceof Rule.Custom<?> custom) {
            return "custom" + TextList.arguments(List.of(custom.description()));
        }
        return rule.name();
    }

    /** Says why {@code value} breaks {@code rule}, which refused it. */
    static String why(Rule<?> rule, Object value, Codec<?> codec) {
        if (rule instanceof Rule.Range<?> range) {
            return less(value, range.min())
                    ? "below the minimum " + encode(codec, range.min())
                    : "above the maximum " + encode(codec, range.max());
        }
        if (rule instanceof Rule.Length length) {
            String text = (String) value;
            return text.codePointCount(0, text.length()) + " characters, allowed " + length.min() + " to "
                    + length.max();
        }
        if (rule instanceof Rule.Pattern) {
            return "does not match the pattern as a whole";
        }
        if (rule instanceof Rule.OneOf<?> oneOf) {
            List<String> texts = new ArrayList<>();
            for (Object allowed : oneOf.values()) {
                texts.add(encode(codec, allowed));
            }
            return "not one of " + String.join(", ", texts);
        }
        if (rule instanceof Rule.Snowflake) {
            try {
                Snowflakes.requireValid((String) value, "the value");
                return "not a snowflake";
            } catch (IllegalArgumentException e) {
                return String.valueOf(e.getMessage());
            }
        }
        if (rule instanceof Rule.Size size) {
            return ((List<?>) value).size() + " elements, allowed " + size.min() + " to " + size.max();
        }
        if (rule instanceof Rule.Unique) {
            Set<Object> seen = new HashSet<>();
            for (Object element : (List<?>) value) {
                if (!seen.add(element)) {
                    return "element " + show(String.valueOf(element)) + " appears more than once";
                }
            }
            return "an element appears more than once";
        }
        if (rule instanceof Rule.Custom<?> custom) {
            return "the application's check refused it (" + custom.description() + ")";
        }
        return "refused";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> Rule<T> parse(String text, Codec<T> codec) {
        if (text == null || codec == null) {
            throw new IllegalArgumentException("a rule's text and codec must not be null");
        }
        int open = text.indexOf('(');
        String name = open < 0 ? text.strip() : text.substring(0, open).strip();
        List<String> arguments;
        try {
            arguments = open < 0 ? List.of() : TextList.parseArguments(text.substring(open));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule " + show(text) + " has bad arguments: " + e.getMessage(), e);
        }
        String type = codec.type();
        boolean isText = type.equals("string") || type.equals("snowflake");
        boolean isList = type.startsWith("list<");
        return switch (name) {
            case "range" -> {
                arguments(text, arguments, 2);
                Object min = decode(text, codec, arguments.get(0));
                Object max = decode(text, codec, arguments.get(1));
                if (min instanceof Comparable<?> low && max instanceof Comparable<?> high) {
                    yield (Rule<T>) new Rule.Range((Comparable) low, (Comparable) high);
                }
                throw new IllegalArgumentException(
                        "rule " + show(text) + " needs values that can be compared; " + type + " values cannot");
            }
            case "length" -> {
                arguments(text, arguments, 2);
                requireType(text, isText, "text", type);
                yield (Rule<T>) new Rule.Length(count(text, arguments.get(0)), count(text, arguments.get(1)));
            }
            case "pattern" -> {
                arguments(text, arguments, 1);
                requireType(text, isText, "text", type);
                yield (Rule<T>) new Rule.Pattern(arguments.get(0));
            }
            case "one-of" -> {
                List<Object> values = new ArrayList<>();
                for (String argument : arguments) {
                    values.add(decode(text, codec, argument));
                }
                yield (Rule<T>) new Rule.OneOf<>(values);
            }
            case "snowflake" -> {
                arguments(text, arguments, 0);
                requireType(text, isText, "text", type);
                yield (Rule<T>) new Rule.Snowflake();
            }
            case "size" -> {
                arguments(text, arguments, 2);
                requireType(text, isList, "lists", type);
                yield (Rule<T>) new Rule.Size(count(text, arguments.get(0)), count(text, arguments.get(1)));
            }
            case "unique" -> {
                arguments(text, arguments, 0);
                requireType(text, isList, "lists", type);
                yield (Rule<T>) new Rule.Unique();
            }
            case "custom" -> {
                arguments(text, arguments, 1);
                yield new Rule.Custom<>(arguments.get(0), value -> false);
            }
            default ->
                throw new IllegalArgumentException("rule " + show(text)
                        + " is not one of range, length, pattern, one-of, snowflake, size, unique, custom");
        };
    }

    /** Quotes a value for a message, with invisible characters escaped, cut at a readable length. */
    static String show(String text) {
        String shown = text.length() > SHOWN_LENGTH ? text.substring(0, SHOWN_LENGTH) : text;
        StringBuilder out = new StringBuilder(shown.length() + 8).append('"');
        shown.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp != ' '
                    && (Character.isISOControl(cp)
                            || Character.isWhitespace(cp)
                            || Character.isSpaceChar(cp)
                            || Character.getType(cp) == Character.FORMAT)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        out.append('"');
        if (shown.length() < text.length()) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String encode(Codec<?> codec, Object value) {
        return ((Codec<Object>) codec).encode(value);
    }

    @SuppressWarnings("unchecked")
    private static boolean less(Object value, Object bound) {
        return ((Comparable<Object>) value).compareTo(bound) < 0;
    }

    private static Object decode(String rule, Codec<?> codec, String argument) {
        try {
            return codec.decode(argument);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "rule " + show(rule) + ": " + show(argument) + " is not a " + codec.type() + ": " + e.getMessage(),
                    e);
        }
    }

    private static int count(String rule, String argument) {
        try {
            return Codecs.INT.decode(argument);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "rule " + show(rule) + ": " + show(argument) + " is not a whole number: " + e.getMessage(), e);
        }
    }

    private static void arguments(String rule, List<String> arguments, int expected) {
        if (arguments.size() != expected) {
            throw new IllegalArgumentException(
                    "rule " + show(rule) + " takes " + expected + " arguments, got " + arguments.size());
        }
    }

    private static void requireType(String rule, boolean applies, String kind, String type) {
        if (!applies) {
            throw new IllegalArgumentException("rule " + show(rule) + " applies to " + kind + ", not to " + type);
        }
    }
}
