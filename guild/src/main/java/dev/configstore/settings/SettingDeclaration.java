package dev.configstore.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A setting's declaration as text, as a database records it for tools that do not have the
 * application's code: key, type name, scopes, data rules, the descriptions of custom rules, default,
 * environment variable and description. {@link #of} makes it from a setting; {@link #toSetting()}
 * makes a setting back from it.
 *
 * <p>Two applications that share a database may both declare a key; they must agree on what a
 * stored value means and where it may be stored, so {@link #difference} compares the type, the
 * scopes, the data rules and the default. The description, the environment variable and the
 * custom rules are each application's own: they may differ.
 *
 * @param key the setting's key
 * @param type the codec's {@link Codec#type() type name}
 * @param scopes the scopes the setting may be stored at
 * @param rules the text form of each data rule ({@link Rule#isData()}), in order
 * @param customRules the description of each custom rule, in order; only the application checks
 *     them
 * @param defaultText the default as its codec writes it, if there is one
 * @param environmentVariable the environment variable, if there is one
 * @param description what the setting is for; empty text if none
 */
public record SettingDeclaration(
        String key,
        String type,
        Set<Scope> scopes,
        List<String> rules,
        List<String> customRules,
        Optional<String> defaultText,
        Optional<String> environmentVariable,
        String description) {

    /**
     * Checks and copies the components.
     *
     * @param key the setting's key
     * @param type the type name
     * @param scopes the scopes, at least one
     * @param rules the data rules' texts
     * @param customRules the custom rules' descriptions
     * @param defaultText the default's text
     * @param environmentVariable the environment variable
     * @param description the description
     * @throws IllegalArgumentException if a component is null, or there is no scope
     */
    public SettingDeclaration {
        if (key == null
                || type == null
                || scopes == null
                || rules == null
                || customRules == null
                || defaultText == null
                || environmentVariable == null
                || description == null) {
            throw new IllegalArgumentException("a declaration's components must not be null (key " + key + ")");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("Setting \"" + key + "\" must allow at least one scope");
        }
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
        rules = List.copyOf(rules);
        customRules = List.copyOf(customRules);
    }

    /**
     * Describes a setting.
     *
     * @param setting the setting
     * @return its declaration
     * @throws IllegalArgumentException if {@code setting} is null
     */
    public static SettingDeclaration of(Setting<?> setting) {
        if (setting == null) {
            throw new IllegalArgumentException("setting must not be null");
        }
        List<String> data = new ArrayList<>();
        List<String> custom = new ArrayList<>(setting.applicationOnlyRules());
        for (int i = 0; i < setting.rules().size(); i++) {
            if (setting.rules().get(i) instanceof Rule.Custom<?> rule) {
                custom.add(rule.description());
            } else {
                data.add(setting.ruleTexts().get(i));
            }
        }
        return new SettingDeclaration(
                setting.key(),
                setting.codec().type(),
                setting.scopes(),
                data,
                custom,
                defaultText(setting),
                setting.environmentVariable(),
                setting.description());
    }

    /**
     * Names the first field that two declarations of one key must agree on and do not: {@code
     * type}, {@code scopes}, {@code rules} (the data rules) or {@code default}, with both values.
     *
     * @param other another application's declaration of the same key
     * @return for example {@code type: int here, string there}; empty if they agree
     * @throws IllegalArgumentException if {@code other} is null
     */
    public Optional<String> difference(SettingDeclaration other) {
        if (other == null) {
            throw new IllegalArgumentException("other must not be null");
        }
        if (!type.equals(other.type)) {
            return Optional.of("type: " + type + " here, " + other.type + " there");
        }
        if (!scopes.equals(other.scopes)) {
            return Optional.of("scopes: " + scopesText() + " here, " + other.scopesText() + " there");
        }
        if (!rules.equals(other.rules)) {
            return Optional.of("rules: " + rulesText() + " here, " + other.rulesText() + " there");
        }
        if (!defaultText.equals(other.defaultText)) {
            return Optional.of("default: " + defaultText.map(Rules::show).orElse("none") + " here, "
                    + other.defaultText.map(Rules::show).orElse("none") + " there");
        }
        return Optional.empty();
    }

    /**
     * Returns the scopes as text, lowercase and comma-separated in the order global, guild,
     * channel, as databases record them.
     *
     * @return for example {@code global,guild}
     */
    public String scopesText() {
        List<String> names = new ArrayList<>();
        for (Scope scope : scopes) {
            names.add(scope.name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(",", names);
    }

    /**
     * Reads scopes from {@link #scopesText()}'s form.
     *
     * @param text for example {@code global,guild}
     * @return the scopes
     * @throws IllegalArgumentException if a name is not a scope, or there is none
     */
    public static Set<Scope> parseScopes(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a declaration needs at least one scope, got " + text);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : text.split(",", -1)) {
            try {
                scopes.add(Scope.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        Rules.show(name) + " is not a scope (global, guild or channel) in " + Rules.show(text), e);
            }
        }
        return scopes;
    }

    /**
     * Makes a setting from this declaration, as a tool without the application's code sees it:
     * its codec is {@link Codec#forType}'s for the type name (a user's type keeps its stored text
     * exactly), its data rules are read back by {@link Rule#parse}, its default is read by that
     * codec, and its custom rules become {@link Setting#applicationOnlyRules()}, so that it reads
     * stored values but refuses to write any, saying why.
     *
     * @return the setting
     * @throws IllegalArgumentException if the key, type, a rule or the default cannot be read back;
     *     the message names the setting
     */
    public Setting<?> toSetting() {
        return build(Codec.forType(type));
    }

    private <T> Setting<T> build(Codec<T> codec) {
        Setting.Builder<T> builder = Setting.of(key, codec);
        for (String rule : rules) {
            try {
                builder.rule(Rule.parse(rule, codec));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Setting \"" + key + "\": recorded rule " + Rules.show(rule) + " cannot be read back: "
                                + e.getMessage(),
                        e);
            }
        }
        if (defaultText.isPresent()) {
            try {
                builder.defaultValue(codec.decode(defaultText.get()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Setting \"" + key + "\": recorded default " + Rules.show(defaultText.get()) + " is not a "
                                + type + ": " + e.getMessage(),
                        e);
            }
        }
        environmentVariable.ifPresent(builder::environment);
        List<Scope> list = new ArrayList<>(scopes);
        builder.scopes(list.get(0), list.subList(1, list.size()).toArray(new Scope[0]));
        return builder.description(description)
                .applicationOnlyRules(customRules)
                .build();
    }

    private String rulesText() {
        return rules.isEmpty() ? "none" : String.join(" ", rules);
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<String> defaultText(Setting<T> setting) {
        return setting.defaultValue().map(value -> setting.codec().encode(value));
    }
}
