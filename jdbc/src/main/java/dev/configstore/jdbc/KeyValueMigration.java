package dev.configstore.jdbc;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-off move of a bot's {@link ConfigStore#keyValueStore key-value strings} into its declared
 * {@link Settings}: every key of a namespace is mapped to a setting and a scope (or skipped), its
 * text is read through the setting's codec and checked against its rules, and the valid values
 * are stored.
 *
 * <pre>{@code
 * KeyValueMigration.Report report = KeyValueMigration.run(
 *         store, "bot", store.settings(schema),
 *         KeyValueMigration.guildKeys(Map.of("prefix", PREFIX, "language", LANGUAGE)));
 * System.out.println(report.summary());
 * }</pre>
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li><b>Valid values are written, the others reported.</b> A value that does not decode, breaks
 *       a rule, or is mapped to a scope its setting does not allow is {@link Report#refused()
 *       refused}: it is not written, and neither is any other value mapped to the same setting and
 *       scope. The other values are written; fix or reset the refused ones and run again.
 *   <li><b>One guild at a time, atomically.</b> A guild's values (at the guild and its channels)
 *       are written by one {@link Settings#update}: other processes see all of them or none.
 *       Values for the whole bot are written one by one. A {@link StoreException} stops the run:
 *       the guilds written before it stay written, and running again carries on.
 *   <li><b>Idempotent.</b> A value already stored at its target is {@link Report#unchanged()
 *       unchanged} and not written again, so a second run writes nothing. A <em>different</em>
 *       valid value already stored at the target (set since, with {@code /config} say) is kept
 *       and the key-value string {@link Report#skipped() skipped}; a stored value that is invalid
 *       (and so never served) is replaced.
 *   <li><b>Nothing is deleted.</b> The key-value strings stay where they are; after checking the
 *       report, remove {@link Report#migratedKeys()} from the namespace's store yourself.
 * </ul>
 *
 * <p>{@link #check} does the same and writes nothing, to see the report first.
 */
public final class KeyValueMigration {

    private static final Logger LOG = LoggerFactory.getLogger("dev.configstore.changes");

    /** The largest page {@link ConfigStore#keys} returns. */
    private static final int PAGE = 10_000;

    private KeyValueMigration() {}

    /**
     * Copies every key-value string of {@code namespace} into the declared setting {@code mapping}
     * names for its key, as described on this class.
     *
     * @param store the store holding both the key-value strings and the settings
     * @param namespace the key-value namespace, as for {@link ConfigStore#keyValueStore}
     * @param settings the declared settings, such as {@code store.settings(schema)}
     * @param mapping where each key goes: {@link Target#to} a setting and scope, or {@link
     *     Target#skip}; a mapping that throws {@link IllegalArgumentException} refuses that key
     *     with the exception's message
     * @return what was copied, left unchanged, skipped and refused
     * @throws IllegalArgumentException if an argument is null or the namespace is invalid; nothing
     *     was written
     * @throws StoreException if the database failed; the guilds written before stay written
     */
    public static Report run(ConfigStore store, String namespace, Settings settings, Function<String, Target> mapping) {
        return migrate(store, namespace, settings, mapping, true);
    }

    /**
     * Works out the report {@link #run} would give now, and writes nothing.
     *
     * @param store the store holding both the key-value strings and the settings
     * @param namespace the key-value namespace, as for {@link ConfigStore#keyValueStore}
     * @param settings the declared settings
     * @param mapping where each key goes, as for {@link #run}
     * @return what {@link #run} would copy, leave unchanged, skip and refuse
     * @throws IllegalArgumentException if an argument is null or the namespace is invalid
     * @throws StoreException if the database could not be read
     */
    public static Report check(
            ConfigStore store, String namespace, Settings settings, Function<String, Target> mapping) {
        return migrate(store, namespace, settings, mapping, false);
    }

    /**
     * The mapping of keys written {@code <guildId>:<name>}, the usual way of keeping per-guild
     * strings: the part after the first colon is looked up in {@code names} and the value goes to that setting for
     * the guild. A key of another shape, or with a name not in {@code names}, is skipped; a key
     * whose guild id is not a snowflake is refused.
     *
     * @param names the setting for each name used in the keys, such as {@code Map.of("prefix",
     *     PREFIX)}
     * @return the mapping
     * @throws IllegalArgumentException if {@code names} is null or holds a null
     */
    public static Function<String, Target> guildKeys(Map<String, ? extends Setting<?>> names) {
        if (names == null) {
            throw new IllegalArgumentException("names must not be null");
        }
        Map<String, Setting<?>> copy = new HashMap<>();
        names.forEach((name, setting) -> {
            if (name == null || setting == null) {
                throw new IllegalArgumentException("names must not hold null, got " + names);
            }
            copy.put(name, setting);
        });
        return key -> {
            int colon = key.indexOf(':');
            if (colon < 0) {
                return Target.skip("not of the form <guildId>:<name>");
            }
            Setting<?> setting = copy.get(key.substring(colon + 1));
            if (setting == null) {
                return Target.skip("no setting is mapped to name \"" + key.substring(colon + 1) + "\"");
            }
            return Target.to(setting, ScopeId.guild(key.substring(0, colon)));
        };
    }

    private static Report migrate(
            ConfigStore store, String namespace, Settings settings, Function<String, Target> mapping, boolean write) {
        if (store == null || namespace == null || settings == null || mapping == null) {
            throw new IllegalArgumentException("a store, a namespace, the settings and a mapping are needed, got "
                    + store + ", " + namespace + ", " + settings + " and " + mapping);
        }
        CachedKeyValueStore<String, String> strings = store.keyValueStore(namespace);
        List<Entry> unchanged = new ArrayList<>();
        List<Entry> skipped = new ArrayList<>();
        List<Entry> refused = new ArrayList<>();
        List<Planned> planned = new ArrayList<>();
        for (long offset = 0; ; offset += PAGE) {
            List<String> keys = store.keys(namespace, offset, PAGE);
            for (String key : keys) {
                Optional<String> text = strings.get(key);
                if (text.isPresent()) { // else removed since it was listed
                    plan(key, text.get(), settings, mapping, skipped, refused).ifPresent(planned::add);
                }
            }
            if (keys.size() < PAGE) {
                break;
            }
        }
        Map<Claim, List<String>> claims = new HashMap<>();
        for (Planned one : planned) {
            claims.computeIfAbsent(one.claim(), claim -> new ArrayList<>()).add(one.key);
        }
        // Writes per guild ("" for the whole bot), in key order.
        Map<String, List<Planned>> byGuild = new LinkedHashMap<>();
        for (Planned one : planned) {
            List<String> sameTarget = claims.getOrDefault(one.claim(), List.of());
            if (sameTarget.size() > 1) {
                refused.add(one.entry("keys " + String.join(", ", sameTarget) + " are all mapped to "
                        + one.describeTarget() + "; map each setting and scope from one key only"));
                continue;
            }
            switch (one.current) {
                case SAME -> unchanged.add(one.entry("already stored in " + one.describeTarget()));
                case DIFFERENT ->
                    skipped.add(one.entry("another value is stored in " + one.describeTarget() + " (" + one.storedText
                            + "); it is kept"));
                case NONE ->
                    byGuild.computeIfAbsent(one.where().guildId(), guild -> new ArrayList<>())
                            .add(one);
            }
        }
        List<Entry> copied = new ArrayList<>();
        for (Map.Entry<String, List<Planned>> guild : byGuild.entrySet()) {
            if (write) {
                if (guild.getKey().isEmpty()) {
                    for (Planned one : guild.getValue()) {
                        one.writeGlobal(settings);
                    }
                } else {
                    SettingsUpdate update = new SettingsUpdate();
                    for (Planned one : guild.getValue()) {
                        one.addTo(update);
                    }
                    settings.update(guild.getKey(), update);
                }
            }
            for (Planned one : guild.getValue()) {
                copied.add(one.entry("copied to " + one.describeTarget()));
            }
        }
        Report report = new Report(copied, unchanged, skipped, refused);
        if (write) {
            LOG.info("Key-value namespace {} moved into declared settings: {}", namespace, report.summary());
        }
        return report;
    }

    private static Optional<Planned> plan(
            String key,
            String text,
            Settings settings,
            Function<String, Target> mapping,
            List<Entry> skipped,
            List<Entry> refused) {
        try {
            Target target = mapping.apply(key);
            if (target == null) {
                throw new IllegalArgumentException(
                        "the mapping returned null for this key; return Target.skip(…)" + " to leave a key out");
            }
            if (target.setting == null || target.where == null) {
                skipped.add(new Entry(key, text, target.reason));
                return Optional.empty();
            }
            SettingsUpdate.requireAllowed(target.setting, target.where);
            return Optional.of(Planned.of(key, text, target, settings));
        } catch (IllegalArgumentException e) {
            refused.add(new Entry(key, text, Objects.toString(e.getMessage(), e.toString())));
            return Optional.empty();
        }
    }

    /** What is stored at a target now, compared with the value to copy. */
    private enum Current {
        NONE,
        SAME,
        DIFFERENT
    }

    /** One setting at one scope, which only one key may be copied to. */
    private record Claim(String setting, ScopeId where) {}

    /** A key whose value decoded and passed its rules, with what is stored at its target now. */
    private static final class Planned {
        final String key;
        final String text;
        final Target target;
        final String canonical;
        final Current current;
        final String storedText;

        private Planned(String key, String text, Target target, String canonical, Current current, String stored) {
            this.key = key;
            this.text = text;
            this.target = target;
            this.canonical = canonical;
            this.current = current;
            this.storedText = stored;
        }

        static Planned of(String key, String text, Target target, Settings settings) {
            return typed(key, text, target, Objects.requireNonNull(target.setting), settings);
        }

        private static <T> Planned typed(
                String key, String text, Target target, Setting<T> setting, Settings settings) {
            T value = parse(setting, target, text);
            String canonical = setting.encode(value);
            ScopeId where = Objects.requireNonNull(target.where);
            Resolution<T> stored = switch (where.scope()) {
                case GLOBAL -> settings.resolveGlobal(setting);
                case GUILD -> settings.resolve(setting, where.guildId());
                case CHANNEL -> settings.resolve(setting, where.guildId(), where.channelId());
            };
            Current current = Current.NONE;
            String storedText = "";
            if (stored.origin().scope().equals(Optional.of(where.scope()))) {
                T storedValue = stored.value().orElseThrow();
                storedText = setting.encode(storedValue);
                current = storedValue.equals(value) ? Current.SAME : Current.DIFFERENT;
            }
            return new Planned(key, text, target, canonical, current, storedText);
        }

        @SuppressWarnings("unchecked") // the target's parser was declared for this setting's type
        private static <T> T parse(Setting<T> setting, Target target, String text) {
            if (target.parser == null) {
                return setting.decode(text);
            }
            Object value;
            try {
                value = target.parser.apply(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Setting \"" + setting.key() + "\": the mapping's parser refused \"" + text + "\": " + e, e);
            }
            if (value == null) {
                throw new IllegalArgumentException(
                        "Setting \"" + setting.key() + "\": the mapping's parser returned null for \"" + text + "\"");
            }
            return (T) value;
        }

        Claim claim() {
            return new Claim(Objects.requireNonNull(target.setting).key(), where());
        }

        ScopeId where() {
            return Objects.requireNonNull(target.where);
        }

        String describeTarget() {
            return target.toString();
        }

        void addTo(SettingsUpdate update) {
            addTyped(update, Objects.requireNonNull(target.setting));
        }

        private <T> void addTyped(SettingsUpdate update, Setting<T> setting) {
            update.set(setting, Objects.requireNonNull(target.where), setting.decode(canonical));
        }

        void writeGlobal(Settings settings) {
            writeTyped(settings, Objects.requireNonNull(target.setting));
        }

        private <T> void writeTyped(Settings settings, Setting<T> setting) {
            settings.set(setting, Objects.requireNonNull(target.where), setting.decode(canonical));
        }

        Entry entry(String detail) {
            return new Entry(key, text, detail);
        }
    }

    /**
     * Where one key-value string goes: a declared setting at a scope, or nowhere.
     *
     * <p>A target made by {@link #to(Setting, ScopeId)} reads the text with the setting's codec,
     * as stored values are read; {@link #to(Setting, ScopeId, Function)} reads it with a parser
     * of its own, for strings written in another form. Either way the value must pass the
     * setting's rules.
     */
    public static final class Target {
        private final @Nullable Setting<?> setting;
        private final @Nullable ScopeId where;
        private final @Nullable Function<String, ?> parser;
        private final String reason;

        private Target(
                @Nullable Setting<?> setting,
                @Nullable ScopeId where,
                @Nullable Function<String, ?> parser,
                String reason) {
            this.setting = setting;
            this.where = where;
            this.parser = parser;
            this.reason = reason;
        }

        /**
         * Copies the string into {@code setting} at {@code where}, read with the setting's codec.
         *
         * @param setting a setting of the migration's schema
         * @param where the scope to store it at
         * @return the target
         * @throws IllegalArgumentException if an argument is null
         */
        public static Target to(Setting<?> setting, ScopeId where) {
            if (setting == null || where == null) {
                throw new IllegalArgumentException(
                        "a target needs a setting and a scope, got " + setting + " and " + where);
            }
            return new Target(setting, where, null, "");
        }

        /**
         * Copies the string into {@code setting} at {@code where}, read with {@code parser}; the
         * value must still pass the setting's rules. A parser that throws refuses the key.
         *
         * @param setting a setting of the migration's schema
         * @param where the scope to store it at
         * @param parser reads the string, such as {@code text -> List.of(text.split(","))}
         * @param <T> the setting's value type
         * @return the target
         * @throws IllegalArgumentException if an argument is null
         */
        public static <T> Target to(Setting<T> setting, ScopeId where, Function<String, ? extends T> parser) {
            if (setting == null || where == null || parser == null) {
                throw new IllegalArgumentException("a target needs a setting, a scope and a parser, got " + setting
                        + ", " + where + " and " + parser);
            }
            return new Target(setting, where, parser, "");
        }

        /**
         * Leaves the string where it is; the report lists it as skipped, with the reason.
         *
         * @param reason why, for the report
         * @return the target
         * @throws IllegalArgumentException if {@code reason} is null
         */
        public static Target skip(String reason) {
            if (reason == null) {
                throw new IllegalArgumentException("a skip needs a reason, got null");
            }
            return new Target(null, null, null, reason);
        }

        /**
         * Describes the target.
         *
         * @return the setting and scope, or the reason to skip
         */
        @Override
        public String toString() {
            return setting == null ? "skip (" + reason + ")" : setting.key() + " at " + where;
        }
    }

    /**
     * One key-value string and what the migration did with it.
     *
     * @param key its key
     * @param text its value, as stored
     * @param detail where it went, or why not
     */
    public record Entry(String key, String text, String detail) {}

    /**
     * What a migration did, key by key, in the order of the keys within each list.
     *
     * @param copied strings written into a setting ({@link #check} would write them)
     * @param unchanged strings whose value was already stored at their target; nothing written
     * @param skipped strings the mapping left out, or whose target holds another valid value
     * @param refused strings not written: the mapping refused the key, the text does not decode or
     *     breaks a rule, the scope is not allowed, or two keys map to one target; each with why
     */
    public record Report(List<Entry> copied, List<Entry> unchanged, List<Entry> skipped, List<Entry> refused) {

        /**
         * Copies the lists.
         *
         * @param copied strings written
         * @param unchanged strings already in place
         * @param skipped strings left out
         * @param refused strings refused
         */
        public Report {
            copied = List.copyOf(copied);
            unchanged = List.copyOf(unchanged);
            skipped = List.copyOf(skipped);
            refused = List.copyOf(refused);
        }

        /**
         * Returns the keys whose value is now stored in a declared setting (copied or already
         * there): the key-value strings that may be removed once the report has been checked.
         *
         * @return the keys
         */
        public List<String> migratedKeys() {
            List<String> keys = new ArrayList<>(copied.size() + unchanged.size());
            copied.forEach(entry -> keys.add(entry.key()));
            unchanged.forEach(entry -> keys.add(entry.key()));
            return List.copyOf(keys);
        }

        /**
         * Says how many strings went where, and lists each refused one with its reason.
         *
         * @return the summary, one refused string a line after the first
         */
        public String summary() {
            StringBuilder text = new StringBuilder()
                    .append(copied.size())
                    .append(" copied, ")
                    .append(unchanged.size())
                    .append(" already in place, ")
                    .append(skipped.size())
                    .append(" skipped, ")
                    .append(refused.size())
                    .append(" refused");
            for (Entry entry : refused) {
                text.append("\n  ").append(entry.key()).append(": ").append(entry.detail());
            }
            return text.toString();
        }
    }
}
