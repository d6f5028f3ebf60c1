package dev.configstore.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A setting, declared once as a constant: its key, type, rules, default, environment variable,
 * description and the scopes it may be stored at.
 *
 * <pre>{@code
 * static final Setting<String> PREFIX = Setting.text("prefix", Rule.length(1, 5))
 *         .defaultValue("!").environment("BOT_PREFIX").scopes(Scope.GUILD, Scope.CHANNEL).build();
 * }</pre>
 *
 * <p>A setting is immutable and thread-safe; two settings are equal only if they are the same
 * object. Its declaration is checked in two steps: {@link Builder#build()} refuses a declaration
 * that is malformed in itself (a bad key, variable name or rule), and {@link SettingsSchema}
 * refuses declarations that do not fit together or with the environment (a duplicate key, a
 * default or an environment value that breaks the setting's rules), before anything is served.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String key;
    private final Codec<T> codec;
    private final List<Rule<? super T>> rules;
    private final List<String> ruleTexts;
    private final Optional<T> defaultValue;
    private final Optional<String> environmentVariable;
    private final String description;
    private final Set<Scope> scopes;
    private final List<String> applicationOnlyRules;

    /**
     * The first schema built with this setting, and the setting's index there: the common case
     * (one schema per setting) then finds the index with two field reads instead of a map lookup on
     * every read. Immutable, so reading it without synchronisation sees a whole pair or null.
     */
    @Nullable
    SchemaIndex firstSchema;

    /** A schema and a setting's index in it. */
    record SchemaIndex(SettingsSchema schema, int index) {}

    private Setting(Builder<T> builder) {
        this.key = builder.key;
        this.codec = builder.codec;
        this.rules = List.copyOf(builder.rules);
        List<String> texts = new ArrayList<>(rules.size());
        for (Rule<? super T> rule : rules) {
            try {
                texts.add(Rules.text(rule, codec));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Setting \"" + key + "\": rule " + rule + " holds values that are not " + codec.type()
                                + " values: " + e.getMessage(),
                        e);
            }
        }
        this.ruleTexts = List.copyOf(texts);
        this.defaultValue = Optional.ofNullable(builder.defaultValue);
        this.environmentVariable = Optional.ofNullable(builder.environment);
        this.description = builder.description;
        this.scopes = Collections.unmodifiableSet(EnumSet.copyOf(builder.scopes));
        this.applicationOnlyRules = List.copyOf(builder.applicationOnlyRules);
    }

    /**
     * Starts declaring a text setting.
     *
     * @param key the setting's key: a lowercase letter, then up to 63 lowercase letters, digits,
     *     {@code _}, {@code .} or {@code -}
     * @param rules rules every value must follow, such as {@code Rule.length(1, 5)}
     * @return a builder
     * @throws IllegalArgumentException if the key is not of that form or a rule is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static Builder<String> text(String key, Rule<? super String>... rules) {
        return start(key, Codec.string(), rules);
    }

    /**
     * Starts declaring an {@code int} setting.
     *
     * @param key the setting's key, as for {@link #text}
     * @param rules rules every value must follow, such as {@code Rule.range(7, 365)}
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed or a rule is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static Builder<Integer> integer(String key, Rule<? super Integer>... rules) {
        return start(key, Codec.integer(), rules);
    }

    /**
     * Starts declaring a {@code long} setting.
     *
     * @param key the setting's key, as for {@link #text}
     * @param rules rules every value must follow
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed or a rule is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static Builder<Long> longInteger(String key, Rule<? super Long>... rules) {
        return start(key, Codec.longInteger(), rules);
    }

    /**
     * Starts declaring a switch.
     *
     * @param key the setting's key, as for {@link #text}
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed
     */
    public static Builder<Boolean> bool(String key) {
        return of(key, Codec.bool());
    }

    /**
     * Starts declaring an enum setting.
     *
     * @param key the setting's key, as for {@link #text}
     * @param type the enum class
     * @param <E> the enum type
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed or the enum has no constants
     */
    public static <E extends Enum<E>> Builder<E> enumeration(String key, Class<E> type) {
        return of(key, Codec.enumeration(type));
    }

    /**
     * Starts declaring a setting that holds a Discord id (a channel, role or user).
     *
     * @param key the setting's key, as for {@link #text}
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed
     */
    public static Builder<String> snowflake(String key) {
        return of(key, Codec.snowflake());
    }

    /**
     * Starts declaring a duration setting.
     *
     * @param key the setting's key, as for {@link #text}
     * @param rules rules every value must follow
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed or a rule is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static Builder<Duration> duration(String key, Rule<? super Duration>... rules) {
        return start(key, Codec.duration(), rules);
    }

    /**
     * Starts declaring a list setting.
     *
     * @param key the setting's key, as for {@link #text}
     * @param element the codec of the elements, such as {@link Codec#snowflake()}
     * @param rules rules every list must follow, such as {@code Rule.size(0, 10)}
     * @param <E> the element type
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed, {@code element} is null or a rule
     *     is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static <E> Builder<List<E>> list(String key, Codec<E> element, Rule<? super List<E>>... rules) {
        return start(key, Codec.list(element), rules);
    }

    /**
     * Starts declaring a setting of any type.
     *
     * @param key the setting's key, as for {@link #text}
     * @param codec the codec of its values
     * @param rules rules every value must follow
     * @param <T> the value type
     * @return a builder
     * @throws IllegalArgumentException if the key is malformed, {@code codec} is null or a rule is
     *     null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the rules are only read, one by one
    public static <T> Builder<T> of(String key, Codec<T> codec, Rule<? super T>... rules) {
        return start(key, codec, rules);
    }

    private static <T> Builder<T> start(String key, Codec<T> codec, Rule<? super T>[] rules) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("A setting's key must be a lowercase letter followed by up to 63"
                    + " lowercase letters, digits, '_', '.' or '-', got "
                    + (key == null ? "null" : Rules.show(key)));
        }
        if (codec == null) {
            throw new IllegalArgumentException("Setting \"" + key + "\" needs a codec, got null");
        }
        Builder<T> builder = new Builder<>(key, codec);
        if (rules == null) {
            throw new IllegalArgumentException("Setting \"" + key + "\": rules must not be null");
        }
        for (Rule<? super T> rule : rules) {
            builder.rule(rule);
        }
        return builder;
    }

    /**
     * Returns the key the setting is stored and shown under.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the codec of the setting's values.
     *
     * @return the codec
     */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * Returns the rules every value must follow, in the order they are checked.
     *
     * @return the rules, unmodifiable
     */
    public List<Rule<? super T>> rules() {
        return rules;
    }

    /**
     * Returns the stable text form of each rule, in the order of {@link #rules()}, such as {@code
     * length(1,5)}; {@link Rule#parse} reads each back.
     *
     * @return the texts, unmodifiable
     */
    public List<String> ruleTexts() {
        return ruleTexts;
    }

    /**
     * Returns the declared default.
     *
     * @return the default, or empty if the setting has none
     */
    public Optional<T> defaultValue() {
        return defaultValue;
    }

    /**
     * Returns the environment variable that gives the bot-wide fallback.
     *
     * @return the variable's name, or empty if the setting reads none
     */
    public Optional<String> environmentVariable() {
        return environmentVariable;
    }

    /**
     * Returns what the setting is for, in words.
     *
     * @return the description; empty text if none was declared
     */
    public String description() {
        return description;
    }

    /**
     * Returns the scopes the setting may be stored at.
     *
     * @return the scopes, unmodifiable and not empty
     */
    public Set<Scope> scopes() {
        return scopes;
    }

    /**
     * Returns the descriptions of the rules only the application can check, for a setting read back
     * from the database's record of declarations ({@link SettingDeclaration#toSetting()}) whose
     * application declared {@link Rule.Custom custom} rules. Such a setting reads stored values
     * (checking its data rules) but refuses every write, {@link #encode} saying why. A setting
     * declared in code has none: its custom rules are among {@link #rules()}.
     *
     * @return the descriptions, unmodifiable; empty if every rule can be checked here
     */
    public List<String> applicationOnlyRules() {
        return applicationOnlyRules;
    }

    /**
     * Returns whether the setting may be stored at {@code scope}.
     *
     * @param scope a scope
     * @return true if the declaration allows it
     */
    public boolean allows(Scope scope) {
        return scopes.contains(scope);
    }

    /**
     * Reads a value from text and checks it against the rules, as every stored or configured text
     * is read.
     *
     * @param text the text
     * @return the value
     * @throws IllegalArgumentException if the text does not decode or the value breaks a rule; the
     *     message names the setting, the value and the rule (or what the type requires)
     */
    public T decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Setting \"" + key + "\": the text must not be null");
        }
        T value;
        try {
            value = codec.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Setting \"" + key + "\": " + Rules.show(text) + " is not a " + codec.type() + ": "
                            + e.getMessage(),
                    e);
        }
        String broken = brokenRule(value, text);
        if (broken != null) {
            throw new IllegalArgumentException(broken);
        }
        return value;
    }

    /**
     * Checks a value against the rules and writes it as text, as every write must.
     *
     * @param value the value
     * @return its text, which {@link #decode} reads back as an equal value
     * @throws IllegalArgumentException if the value is null, cannot be written, or breaks a rule;
     *     the message names the setting, the value and the rule; or if the setting has {@link
     *     #applicationOnlyRules() rules only the application can check}
     */
    public String encode(T value) {
        if (!applicationOnlyRules.isEmpty()) {
            throw new IllegalArgumentException("Setting \"" + key + "\" has a rule only the application can check: "
                    + String.join("; ", applicationOnlyRules) + "; change it from the application");
        }
        return check(value);
    }

    /**
     * Checks a value against the codec and the rules that can be checked here, and writes it as
     * text: {@link #encode} without refusing a setting that has application-only rules.
     */
    String check(T value) {
        if (value == null) {
            throw new IllegalArgumentException("Setting \"" + key + "\": the value must not be null");
        }
        String text;
        try {
            text = codec.encode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Setting \"" + key + "\": cannot write " + value + " as " + codec.type() + ": " + e.getMessage(),
                    e);
        }
        String broken = brokenRule(value, text);
        if (broken != null) {
            throw new IllegalArgumentException(broken);
        }
        return text;
    }

    /**
     * Returns the message for the first rule {@code value} breaks, or null if it follows them all.
     * A custom predicate that throws counts as refusing.
     */
    @Nullable
    String brokenRule(T value, String text) {
        for (int i = 0; i < rules.size(); i++) {
            Rule<? super T> rule = rules.get(i);
            String why;
            try {
                if (rule.accepts(value)) {
                    continue;
                }
                why = Rules.why(rule, value, codec);
            } catch (RuntimeException e) {
                why = "the check threw " + e;
            }
            return "Setting \"" + key + "\": " + Rules.show(text) + " breaks rule " + ruleTexts.get(i) + ": " + why;
        }
        return null;
    }

    /**
     * Returns the key.
     *
     * @return the key
     */
    @Override
    public String toString() {
        return key;
    }

    /**
     * Declares a setting. Each method returns this builder; {@link #build()} makes the setting.
     * Unless {@link #scopes} says otherwise, a setting may be stored for the whole bot and per
     * guild. A builder is not thread-safe; it is meant to be used in one constant's initializer.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final String key;
        private final Codec<T> codec;
        private final List<Rule<? super T>> rules = new ArrayList<>();
        private @Nullable T defaultValue;
        private @Nullable String environment;
        private String description = "";
        private Set<Scope> scopes = EnumSet.of(Scope.GLOBAL, Scope.GUILD);
        private List<String> applicationOnlyRules = List.of();

        private Builder(String key, Codec<T> codec) {
            this.key = key;
            this.codec = codec;
        }

        /**
         * Adds a rule every value must follow; rules are checked in the order they are added.
         *
         * @param rule the rule, such as {@code Rule.length(1, 5)}
         * @return this builder
         * @throws IllegalArgumentException if {@code rule} is null
         */
        public Builder<T> rule(Rule<? super T> rule) {
            if (rule == null) {
                throw new IllegalArgumentException("Setting \"" + key + "\": a rule must not be null");
            }
            rules.add(rule);
            return this;
        }

        /**
         * Adds a check written in code ({@link Rule#custom}); tools without the application's code
         * show it but cannot check it.
         *
         * @param description what the check requires, in words
         * @param predicate the check; true means accepted; must not throw
         * @return this builder
         * @throws IllegalArgumentException if the description is blank or the predicate null
         */
        public Builder<T> check(String description, Predicate<? super T> predicate) {
            return rule(Rule.custom(description, predicate));
        }

        /**
         * Sets the value used when nothing is stored and the environment gives none.
         *
         * @param value the default; {@link SettingsSchema} checks it against the rules
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null
         */
        public Builder<T> defaultValue(T value) {
            if (value == null) {
                throw new IllegalArgumentException(
                        "Setting \"" + key + "\": the default must not be null (leave it out for none)");
            }
            this.defaultValue = value;
            return this;
        }

        /**
         * Names the environment variable whose value is the bot-wide fallback before the default.
         * A variable that is unset or empty gives no value.
         *
         * @param variable the variable's name: letters, digits and {@code _}, not starting with a
         *     digit
         * @return this builder
         * @throws IllegalArgumentException if the name is not of that form
         */
        public Builder<T> environment(String variable) {
            if (variable == null || !VARIABLE.matcher(variable).matches()) {
                throw new IllegalArgumentException("Setting \"" + key + "\": an environment variable's name must be"
                        + " letters, digits and '_', not starting with a digit, got "
                        + (variable == null ? "null" : Rules.show(variable)));
            }
            this.environment = variable;
            return this;
        }

        /**
         * Says what the setting is for, for tools and for people.
         *
         * @param text the description
         * @return this builder
         * @throws IllegalArgumentException if {@code text} is null
         */
        public Builder<T> description(String text) {
            if (text == null) {
                throw new IllegalArgumentException("Setting \"" + key + "\": the description must not be null");
            }
            this.description = text;
            return this;
        }

        /**
         * Sets the scopes the setting may be stored at, replacing the default (global and guild).
         *
         * @param first a scope
         * @param more more scopes
         * @return this builder
         * @throws IllegalArgumentException if a scope is null
         */
        public Builder<T> scopes(Scope first, Scope... more) {
            if (first == null || more == null || java.util.Arrays.asList(more).contains(null)) {
                throw new IllegalArgumentException("Setting \"" + key + "\": a scope must not be null");
            }
            this.scopes = EnumSet.of(first, more);
            return this;
        }

        /** Marks the setting as read back from a record whose application checks these rules. */
        Builder<T> applicationOnlyRules(List<String> descriptions) {
            this.applicationOnlyRules = List.copyOf(descriptions);
            return this;
        }

        /**
         * Makes the setting.
         *
         * @return the setting
         * @throws IllegalArgumentException if a rule holds values its codec cannot write
         */
        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
