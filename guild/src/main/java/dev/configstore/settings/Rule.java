package dev.configstore.settings;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * A rule a setting's values must follow. Every rule but {@link Custom} is data: its {@link
 * Setting#ruleTexts() text form}, such as {@code length(1,5)} or {@code one-of(en,de,fr)}, is
 * stable, and {@link #parse} reads it back into an equal rule, so that a tool without the
 * application's code can check the same rules. A {@link Custom} rule is code: its text form keeps
 * only its description, and only the application can check it ({@link #isData()} is false).
 *
 * <p>Rules are immutable and thread-safe, and {@link #accepts} never throws for a value of the
 * type the rule applies to.
 *
 * @param <T> the type of the values the rule checks
 */
public sealed interface Rule<T> {

    /**
     * Returns whether {@code value} follows this rule.
     *
     * @param value the value, never null
     * @return true if it follows the rule
     */
    boolean accepts(T value);

    /**
     * Returns the rule's name in its text form, such as {@code length}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns whether the rule is data that a tool can check without the application's code.
     *
     * @return false only for {@link Custom}
     */
    default boolean isData() {
        return true;
    }

    /**
     * Values from {@code min} to {@code max}, both included; for numbers, durations and other
     * comparable values. Text form: {@code range(min,max)}, each bound in the setting's codec.
     *
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param <T> the value type
     */
    record Range<T extends Comparable<? super T>>(T min, T max) implements Rule<T> {
        /**
         * Checks the bounds.
         *
         * @param min the smallest value allowed
         * @param max the largest value allowed
         * @throws IllegalArgumentException if a bound is null or {@code min > max}
         */
        public Range {
            if (min == null || max == null) {
                throw new IllegalArgumentException("range needs both bounds, got " + min + " and " + max);
            }
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("range needs min <= max, got " + min + " > " + max);
            }
        }

        @Override
        public boolean accepts(T value) {
            return min.compareTo(value) <= 0 && value.compareTo(max) <= 0;
        }

        @Override
        public String name() {
            return "range";
        }
    }

    /**
     * Text of {@code min} to {@code max} characters, both included, counted in Unicode code
     * points. Text form: {@code length(min,max)}.
     *
     * @param min the fewest characters allowed, at least 0
     * @param max the most characters allowed
     */
    record Length(int min, int max) implements Rule<String> {
        /**
         * Checks the bounds.
         *
         * @param min the fewest characters allowed
         * @param max the most characters allowed
         * @throws IllegalArgumentException unless {@code 0 <= min <= max}
         */
        public Length {
            checkCounts("length", min, max);
        }

        @Override
        public boolean accepts(String value) {
            int length = value.codePointCount(0, value.length());
            return length >= min && length <= max;
        }

        @Override
        public String name() {
            return "length";
        }
    }

    /**
     * Text that matches a regular expression as a whole ({@link java.util.regex.Matcher#matches}).
     * Text form: {@code pattern("regex")}.
     *
     * @param regex the regular expression, in {@link java.util.regex.Pattern} syntax
     */
    record Pattern(String regex) implements Rule<String> {
        /**
         * Checks that the expression compiles.
         *
         * @param regex the regular expression
         * @throws IllegalArgumentException if it is null or does not compile
         */
        public Pattern {
            if (regex == null) {
                throw new IllegalArgumentException("pattern needs a regular expression, got null");
            }
            try {
                java.util.regex.Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pattern " + regex + " does not compile: " + e.getDescription(), e);
            }
        }

        @Override
        public boolean accepts(String value) {
            return java.util.regex.Pattern.compile(regex).matcher(value).matches();
        }

        @Override
        public String name() {
            return "pattern";
        }
    }

    /**
     * One of a fixed set of values. Text form: {@code one-of(a,b,…)}, each in the setting's codec.
     *
     * @param values the values allowed, at least one, none null
     * @param <T> the value type
     */
    record OneOf<T>(List<T> values) implements Rule<T> {
        /**
         * Checks and copies the values.
         *
         * @param values the values allowed
         * @throws IllegalArgumentException if there are none or one is null
         */
        public OneOf {
            if (values == null || values.isEmpty() || values.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("one-of needs at least one value and no null, got " + values);
            }
            values = List.copyOf(values);
        }

        @Override
        public boolean accepts(T value) {
            return values.contains(value);
        }

        @Override
        public String name() {
            return "one-of";
        }
    }

    /**
     * Text that is a Discord snowflake, as {@link dev.configstore.guild.Snowflakes} checks it. Text
     * form: {@code snowflake}.
     */
    record Snowflake() implements Rule<String> {
        @Override
        public boolean accepts(String value) {
            return dev.configstore.guild.Snowflakes.isValid(value);
        }

        @Override
        public String name() {
            return "snowflake";
        }
    }

    /**
     * Lists of {@code min} to {@code max} elements, both included. Text form: {@code
     * size(min,max)}.
     *
     * @param min the fewest elements allowed, at least 0
     * @param max the most elements allowed
     */
    record Size(int min, int max) implements Rule<List<?>> {
        /**
         * Checks the bounds.
         *
         * @param min the fewest elements allowed
         * @param max the most elements allowed
         * @throws IllegalArgumentException unless {@code 0 <= min <= max}
         */
        public Size {
            checkCounts("size", min, max);
        }

        @Override
        public boolean accepts(List<?> value) {
            return value.size() >= min && value.size() <= max;
        }

        @Override
        public String name() {
            return "size";
        }
    }

    /** Lists with no element twice. Text form: {@code unique}. */
    record Unique() implements Rule<List<?>> {
        @Override
        public boolean accepts(List<?> value) {
            return new HashSet<>(value).size() == value.size();
        }

        @Override
        public String name() {
            return "unique";
        }
    }

    /**
     * A check only the application's code can make. Its text form, {@code custom("description")},
     * keeps the description; a rule read back from it by {@link #parse} has no predicate, refuses
     * every value and says so, since a tool cannot know what the application would accept.
     *
     * @param description what the rule requires, in words, for messages and tools
     * @param predicate the check; true means accepted; must not throw
     * @param <T> the value type
     */
    record Custom<T>(String description, Predicate<? super T> predicate) implements Rule<T> {
        /**
         * Checks the components.
         *
         * @param description what the rule requires
         * @param predicate the check
         * @throws IllegalArgumentException if the description is blank or the predicate null
         */
        public Custom {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("a custom rule needs a description, got " + description);
            }
            if (predicate == null) {
                throw new IllegalArgumentException("custom rule \"" + description + "\" needs a predicate");
            }
        }

        @Override
        public boolean accepts(T value) {
            return predicate.test(value);
        }

        @Override
        public String name() {
            return "custom";
        }

        @Override
        public boolean isData() {
            return false;
        }
    }

    /**
     * Values from {@code min} to {@code max}, both included.
     *
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param <T> the value type
     * @return the rule
     * @throws IllegalArgumentException if a bound is null or {@code min > max}
     */
    static <T extends Comparable<? super T>> Rule<T> range(T min, T max) {
        return new Range<>(min, max);
    }

    /**
     * Text of {@code min} to {@code max} code points.
     *
     * @param min the fewest characters allowed
     * @param max the most characters allowed
     * @return the rule
     * @throws IllegalArgumentException unless {@code 0 <= min <= max}
     */
    static Rule<String> length(int min, int max) {
        return new Length(min, max);
    }

    /**
     * Text matching {@code regex} as a whole.
     *
     * @param regex the regular expression
     * @return the rule
     * @throws IllegalArgumentException if it does not compile
     */
    static Rule<String> pattern(String regex) {
        return new Pattern(regex);
    }

    /**
     * One of {@code values}.
     *
     * @param values the values allowed
     * @param <T> the value type
     * @return the rule
     * @throws IllegalArgumentException if there are none or one is null
     */
    @SafeVarargs
    static <T> Rule<T> oneOf(T... values) {
        if (values == null) {
            throw new IllegalArgumentException("one-of needs at least one value, got null");
        }
        List<T> copy = new java.util.ArrayList<>(values.length);
        for (T value : values) {
            copy.add(value);
        }
        return new OneOf<>(copy);
    }

    /**
     * Text that is a Discord snowflake.
     *
     * @return the rule
     */
    static Rule<String> snowflake() {
        return new Snowflake();
    }

    /**
     * Lists of {@code min} to {@code max} elements.
     *
     * @param min the fewest elements allowed
     * @param max the most elements allowed
     * @return the rule
     * @throws IllegalArgumentException unless {@code 0 <= min <= max}
     */
    static Rule<List<?>> size(int min, int max) {
        return new Size(min, max);
    }

    /**
     * Lists with no element twice.
     *
     * @return the rule
     */
    static Rule<List<?>> unique() {
        return new Unique();
    }

    /**
     * A check written in code, with a description of what it requires.
     *
     * @param description what the rule requires, in words
     * @param predicate the check; must not throw
     * @param <T> the value type
     * @return the rule
     * @throws IllegalArgumentException if the description is blank or the predicate null
     */
    static <T> Rule<T> custom(String description, Predicate<? super T> predicate) {
        return new Custom<>(description, predicate);
    }

    /**
     * Reads a rule back from its text form, for a setting whose values {@code codec} reads.
     *
     * @param text the text form, as {@link Setting#ruleTexts()} gives it
     * @param codec the codec of the setting the rule belongs to
     * @param <T> the value type
     * @return a rule equal to the one written (for {@link Custom}: one with its description that
     *     refuses every value)
     * @throws IllegalArgumentException if the text is not a rule, or not one for {@code codec}'s
     *     type; the message says why
     */
    static <T> Rule<T> parse(String text, Codec<T> codec) {
        return Rules.parse(text, codec);
    }

    private static void checkCounts(String rule, int min, int max) {
        if (min < 0 || min > max) {
            throw new IllegalArgumentException(rule + " needs 0 <= min <= max, got " + min + " and " + max);
        }
    }
}
