package dev.configstore.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's settings, checked as a whole against each other and the environment, once,
 * before anything is served; and the start of every read: {@link #global} makes the bot-wide
 * snapshot that guild snapshots are made from.
 *
 * <p>Creating a schema refuses, with an {@link IllegalArgumentException} whose message names the
 * setting, the rule and the value (and lists every problem found, one a line): a null or repeated
 * setting, two settings with one key, a default that breaks its setting's rules, and an
 * environment value that does not decode or breaks a rule. An environment variable that is unset
 * or empty gives no value. The environment is read once, here.
 *
 * <p>A schema is immutable apart from its count of {@link #skippedValues() skipped values}, and
 * thread-safe. Each stored value skipped by any snapshot made from it is counted and logged (at
 * {@code warn}, logger {@code dev.configstore.settings}) once per scope, setting and text, however
 * many snapshots meet it.
 */
public final class SettingsSchema {

    private static final Logger LOG = LoggerFactory.getLogger("dev.configstore.settings");

    private final List<Setting<?>> settings;
    private final IdentityHashMap<Setting<?>, Integer> indexes;
    private final Map<String, Setting<?>> byKey;
    private final Resolution<?>[] fallbacks;
    private final Set<SkippedValue> reported = ConcurrentHashMap.newKeySet();
    private final LongAdder skippedValues = new LongAdder();

    private SettingsSchema(List<Setting<?>> settings, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        this.settings = List.copyOf(settings);
        this.indexes = new IdentityHashMap<>();
        this.byKey = new HashMap<>();
        this.fallbacks = new Resolution<?>[settings.size()];
        for (int i = 0; i < settings.size(); i++) {
            Setting<?> setting = settings.get(i);
            Setting<?> sameKey = byKey.putIfAbsent(setting.key(), setting);
            if (sameKey == setting) {
                problems.add("Setting \"" + setting.key() + "\" is listed twice; list each setting once");
            } else if (sameKey != null) {
                problems.add("Setting key \"" + setting.key() + "\" is declared by two settings (" + describe(sameKey)
                        + " and " + describe(setting) + "); each key names one setting");
            }
            indexes.putIfAbsent(setting, i);
            fallbacks[i] = fallback(setting, environment, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    problems.size() == 1
                            ? problems.get(0)
                            : problems.size() + " problems with the declared settings:\n  "
                                    + String.join("\n  ", problems));
        }
        for (int i = 0; i < settings.size(); i++) {
            Setting<?> setting = settings.get(i);
            if (setting.firstSchema == null) {
                setting.firstSchema = new Setting.SchemaIndex(this, i);
            }
        }
    }

    /**
     * Checks the settings against each other and against {@code environment}.
     *
     * @param environment the environment variables, such as {@code System.getenv()}
     * @param settings the application's settings
     * @return the schema
     * @throws IllegalArgumentException for any of the problems listed on this class
     */
    public static SettingsSchema of(Map<String, String> environment, Setting<?>... settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        return of(environment, Arrays.asList(settings));
    }

    /**
     * Checks the settings against each other and against {@code environment}.
     *
     * @param environment the environment variables, such as {@code System.getenv()}
     * @param settings the application's settings, in the order tools should list them
     * @return the schema
     * @throws IllegalArgumentException for any of the problems listed on this class
     */
    public static SettingsSchema of(Map<String, String> environment, Collection<? extends Setting<?>> settings) {
        if (environment == null) {
            throw new IllegalArgumentException("the environment must not be null (pass System.getenv() or a map)");
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        List<Setting<?>> list = new ArrayList<>(settings.size());
        for (Setting<?> setting : settings) {
            if (setting == null) {
                throw new IllegalArgumentException("settings must not contain null, got " + settings);
            }
            list.add(setting);
        }
        return new SettingsSchema(list, environment);
    }

    /**
     * Checks the settings against each other and against this process's environment variables.
     *
     * @param settings the application's settings
     * @return the schema
     * @throws IllegalArgumentException for any of the problems listed on this class
     */
    public static SettingsSchema fromEnvironment(Setting<?>... settings) {
        return of(System.getenv(), settings);
    }

    /**
     * Returns the settings, in the order they were given.
     *
     * @return the settings, unmodifiable
     */
    public List<Setting<?>> settings() {
        return settings;
    }

    /**
     * Returns the setting with {@code key}.
     *
     * @param key a key
     * @return the setting, or empty if none has that key
     */
    public Optional<Setting<?>> setting(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /**
     * Returns what a setting resolves to where nothing valid is stored: the environment's value,
     * else the default, else nothing.
     *
     * @param setting a setting of this schema
     * @param <T> the value type
     * @return the resolution, from {@link Origin#ENVIRONMENT}, {@link Origin#DEFAULT} or {@link
     *     Origin#NONE}
     * @throws IllegalArgumentException if the setting is not in this schema
     */
    @SuppressWarnings("unchecked")
    public <T> Resolution<T> fallback(Setting<T> setting) {
        return (Resolution<T>) fallbacks[index(setting)];
    }

    /**
     * Makes the bot-wide snapshot from the values stored for the whole bot. Keys that no setting
     * of this schema has are ignored.
     *
     * @param stored the stored texts by setting key
     * @return the snapshot
     * @throws IllegalArgumentException if {@code stored} is null or holds a null value
     */
    public GlobalSnapshot global(Map<String, String> stored) {
        return new GlobalSnapshot(this, StoredLayer.of(this, Scope.GLOBAL, "", "", stored));
    }

    /**
     * Returns how many distinct stored values snapshots of this schema have skipped (each counted
     * once per scope, setting and text).
     *
     * @return the count so far
     */
    public long skippedValues() {
        return skippedValues.sum();
    }

    /**
     * Returns the position of {@code setting} in this schema.
     *
     * @throws IllegalArgumentException if it is not in this schema
     */
    int index(@Nullable Setting<?> setting) {
        if (setting == null) {
            throw new IllegalArgumentException("setting must not be null");
        }
        Setting.SchemaIndex first = setting.firstSchema;
        if (first != null && first.schema() == this) {
            return first.index();
        }
        Integer index = indexes.get(setting);
        if (index == null) {
            throw new IllegalArgumentException("Setting \"" + setting
                    + "\" is not declared in this schema; add it to the settings the schema is made of");
        }
        return index;
    }

    Resolution<?> fallback(int index) {
        return fallbacks[index];
    }

    void reportSkipped(
            Setting<?> setting,
            Scope scope,
            String where,
            String guildId,
            String channelId,
            String text,
            String reason) {
        if (reported.add(new SkippedValue(scope, guildId, channelId, setting.key(), text))) {
            skippedValues.increment();
            LOG.warn(
                    "Skipped the value of setting {} stored for {}; reads fall through to the next layer until it"
                            + " is fixed or reset. {}",
                    setting.key(),
                    where,
                    reason);
        }
    }

    private static <T> Resolution<T> fallback(
            Setting<T> setting, Map<String, String> environment, List<String> problems) {
        Optional<String> variable = setting.environmentVariable();
        String configured = variable.isPresent() ? environment.get(variable.get()) : null;
        if (configured != null && !configured.isEmpty()) {
            try {
                T value = setting.decode(configured);
                return new Resolution<>(Optional.of(value), Origin.ENVIRONMENT, List.of());
            } catch (IllegalArgumentException e) {
                problems.add("Environment variable " + variable.get() + " is refused. " + e.getMessage());
            }
        }
        Optional<T> defaultValue = setting.defaultValue();
        if (defaultValue.isPresent()) {
            try {
                setting.check(defaultValue.get());
            } catch (IllegalArgumentException e) {
                problems.add("The declared default is refused. " + e.getMessage());
            }
            return new Resolution<>(defaultValue, Origin.DEFAULT, List.of());
        }
        return new Resolution<>(Optional.empty(), Origin.NONE, List.of());
    }

    private static String describe(Setting<?> setting) {
        return setting.description().isEmpty()
                ? "a " + setting.codec().type()
                : "a " + setting.codec().type() + ", " + Rules.show(setting.description());
    }

    /** One stored value, for counting and logging it once. */
    private record SkippedValue(Scope scope, String guildId, String channelId, String key, String text) {}
}
