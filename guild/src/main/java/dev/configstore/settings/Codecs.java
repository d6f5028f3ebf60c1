package dev.configstore.settings;

import dev.configstore.guild.Snowflakes;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** The built-in codecs. */
final class Codecs {

    static final Codec<String> STRING = new Simple<>("string", text -> text, value -> value);

    static final Codec<Integer> INT =
            new Simple<>("int", text -> (int) wholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE), String::valueOf);

    static final Codec<Long> LONG =
            new Simple<>("long", text -> wholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE), String::valueOf);

    static final Codec<Boolean> BOOLEAN = new Simple<>(
            "boolean",
            text -> {
                if (text.equals("true")) {
                    return Boolean.TRUE;
                }
                if (text.equals("false")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("must be true or false");
            },
            String::valueOf);

    static final Codec<String> SNOWFLAKE = new Simple<>(
            "snowflake",
            text -> Snowflakes.isValid(text) ? text : Snowflakes.requireValid(text, "the value"),
            value -> Snowflakes.requireValid(value, "the value"));

    static final Codec<Duration> DURATION = new Simple<>(
            "duration",
            text -> {
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an ISO-8601 duration such as PT30S, PT10M or P1D", e);
                }
            },
            Duration::toString);

    private Codecs() {}

    static <E extends Enum<E>> Codec<E> enumeration(Class<E> type) {
        if (type == null) {
            throw new IllegalArgumentException("the enum type must not be null");
        }
        E[] constants = type.getEnumConstants();
        if (constants == null || constants.length == 0) {
            throw new IllegalArgumentException("enum " + type.getName() + " has no constants to store");
        }
        List<String> names = Arrays.stream(constants).map(Enum::name).toList();
        return new Simple<>(
                "enum" + TextList.arguments(names),
                text -> {
                    for (E constant : constants) {
                        if (constant.name().equals(text)) {
                            return constant;
                        }
                    }
                    throw new IllegalArgumentException("must be one of " + String.join(", ", names));
                },
                Enum::name);
    }

    static <E> Codec<List<E>> list(Codec<E> element) {
        if (element == null) {
            throw new IllegalArgumentException("the element codec must not be null");
        }
        return new Simple<>(
                "list<" + element.type() + ">",
                text -> {
                    List<String> texts;
                    try {
                        texts = TextList.parseJson(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "must be a JSON array of strings such as [\"1\",\"2\"] (" + e.getMessage() + ")", e);
                    }
                    List<E> values = new ArrayList<>(texts.size());
                    for (int i = 0; i < texts.size(); i++) {
                        try {
                            values.add(element.decode(texts.get(i)));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(
                                    "element " + (i + 1) + ", " + Rules.show(texts.get(i)) + ", is not a "
                                            + element.type() + ": " + e.getMessage(),
                                    e);
                        }
                    }
                    return List.copyOf(values);
                },
                values -> {
                    List<String> texts = new ArrayList<>(values.size());
                    for (E value : values) {
                        if (value == null) {
                            throw new IllegalArgumentException("a list value must not hold null");
                        }
                        texts.add(element.encode(value));
                    }
                    return TextList.json(texts);
                });
    }

    static Codec<?> forType(String type) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a codec's type name must not be blank, got " + type);
        }
        Codec<?> builtIn = switch (type) {
            case "string" -> STRING;
            case "int" -> INT;
            case "long" -> LONG;
            case "boolean" -> BOOLEAN;
            case "snowflake" -> SNOWFLAKE;
            case "duration" -> DURATION;
            default -> null;
        };
        if (builtIn != null) {
            return builtIn;
        }
        if (type.startsWith("list<") && type.endsWith(">")) {
            return list(forType(type.substring(5, type.length() - 1)));
        }
        if (type.startsWith("enum(") && type.endsWith(")")) {
            List<String> names = TextList.parseArguments(type.substring(4));
            if (names.isEmpty()) {
                throw new IllegalArgumentException("type " + Rules.show(type) + " names no constants");
            }
            Function<String, String> oneOfNames = text -> {
                if (names.contains(text)) {
                    return text;
                }
                throw new IllegalArgumentException("must be one of " + String.join(", ", names));
            };
            return new Simple<String>(type, oneOfNames, oneOfNames);
        }
        // The application's own codec: only it knows the type, so the text is kept exactly.
        return new Simple<String>(type, text -> text, text -> text);
    }

    static <T> Codec<T> of(String type, Function<String, ? extends T> decoder, Function<? super T, String> encoder) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a codec's type name must not be blank, got " + type);
        }
        if (decoder == null || encoder == null) {
            throw new IllegalArgumentException("codec " + type + " needs both a decoder and an encoder");
        }
        return new Simple<T>(type, decoder, encoder);
    }

    /**
     * Reads an ASCII decimal whole number between {@code min} and {@code max}; the JDK's parsers
     * would also take a plus sign and digits of other scripts.
     */
    private static long wholeNumber(String text, long min, long max) {
        int start = text.startsWith("-") ? 1 : 0;
        boolean digits = text.length() > start;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            digits &= c >= '0' && c <= '9';
        }
        if (!digits) {
            throw new IllegalArgumentException(
                    "must be a whole number in ASCII digits with an optional leading minus sign");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be between " + min + " and " + max, e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    /** A codec made of two functions. */
    private static final class Simple<T> implements Codec<T> {
        private final String type;
        private final Function<String, ? extends T> decoder;
        private final Function<? super T, String> encoder;

        Simple(String type, Function<String, ? extends T> decoder, Function<? super T, String> encoder) {
            this.type = type;
            this.decoder = decoder;
            this.encoder = encoder;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public T decode(String text) {
            if (text == null) {
                throw new IllegalArgumentException("there is no text (null)");
            }
            T value = decoder.apply(text);
            if (value == null) {
                throw new IllegalArgumentException("codec " + type + " read no value (null)");
            }
            return value;
        }

        @Override
        public String encode(T value) {
            if (value == null) {
                throw new IllegalArgumentException("a value must not be null");
            }
            String text = encoder.apply(value);
            if (text == null) {
                throw new IllegalArgumentException("codec " + type + " wrote no text (null)");
            }
            return text;
        }

        @Override
        public String toString() {
            return type;
        }
    }
}
