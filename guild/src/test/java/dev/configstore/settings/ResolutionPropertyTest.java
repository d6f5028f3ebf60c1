package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Resolution against a model of the chain: random stored texts (valid, refused by a rule, not
 * decoding, or absent) at each scope, random allowed scopes, random environment and default.
 */
class ResolutionPropertyTest {

    private static final String GUILD = "10";
    private static final String CHANNEL = "20";

    /** Stored texts to pick from; null is "nothing stored". */
    private static final List<String> TEXTS = java.util.Arrays.asList(null, "5", "50", "0", "abc", "101", "");

    private static final Scope[] NEAREST_FIRST = {Scope.CHANNEL, Scope.GUILD, Scope.GLOBAL};

    @Test
    void resolutionMatchesTheModelOfTheChain() {
        // Each example: allowed scopes (1..7 as a bit set), environment (0 unset, 1 empty, 2 "42"),
        // default (0 none, 1 9), stored texts at global, guild and channel, read for the channel or not.
        qt().withExamples(3_000)
                .forAll(lists().of(integers().between(0, 6)).ofSize(7))
                .checkAssert(this::matchesTheModel);
    }

    private void matchesTheModel(List<Integer> choice) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        int mask = 1 + choice.get(0) % 7;
        Scope[] all = {Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL};
        for (int bit = 0; bit < all.length; bit++) {
            if ((mask & (1 << bit)) != 0) {
                scopes.add(all[bit]);
            }
        }
        Scope[] allowed = scopes.toArray(new Scope[0]);
        Setting.Builder<Integer> builder = Setting.integer("level", Rule.range(1, 100))
                .environment("LEVEL")
                .scopes(allowed[0], java.util.Arrays.copyOfRange(allowed, 1, allowed.length));
        int environmentChoice = choice.get(1) % 3;
        boolean hasDefault = choice.get(2) % 2 == 1;
        if (hasDefault) {
            builder.defaultValue(9);
        }
        Setting<Integer> level = builder.build();
        Map<String, String> environment =
                environmentChoice == 0 ? Map.of() : Map.of("LEVEL", environmentChoice == 1 ? "" : "42");
        Map<Scope, String> stored = new HashMap<>();
        stored.put(Scope.GLOBAL, TEXTS.get(choice.get(3)));
        stored.put(Scope.GUILD, TEXTS.get(choice.get(4)));
        stored.put(Scope.CHANNEL, TEXTS.get(choice.get(5)));
        boolean forChannel = choice.get(6) % 2 == 0;

        SettingsSchema schema = SettingsSchema.of(environment, level);
        GuildSnapshot guild = schema.global(values(stored.get(Scope.GLOBAL)))
                .guild(GUILD, values(stored.get(Scope.GUILD)), Map.of(CHANNEL, values(stored.get(Scope.CHANNEL))));
        Resolution<Integer> actual = forChannel ? guild.resolve(level, CHANNEL) : guild.resolve(level);

        // The model: nearest scope first; a layer with nothing is passed over silently, one whose
        // text is at a scope not allowed, does not decode, or is outside 1..100 is passed over and
        // reported; then the environment ("" is unset), the default, nothing.
        List<Scope> skippedScopes = new ArrayList<>();
        List<String> skippedTexts = new ArrayList<>();
        Optional<Integer> value = Optional.empty();
        Origin origin = null;
        for (Scope scope : NEAREST_FIRST) {
            String text = stored.get(scope);
            if ((scope == Scope.CHANNEL && !forChannel) || text == null) {
                continue;
            }
            if (scopes.contains(scope) && (text.equals("5") || text.equals("50"))) {
                value = Optional.of(Integer.parseInt(text));
                origin = Origin.of(scope);
                break;
            }
            skippedScopes.add(scope);
            skippedTexts.add(text);
        }
        if (origin == null) {
            if (environmentChoice == 2) {
                value = Optional.of(42);
                origin = Origin.ENVIRONMENT;
            } else if (hasDefault) {
                value = Optional.of(9);
                origin = Origin.DEFAULT;
            } else {
                origin = Origin.NONE;
            }
        }

        assertThat(actual.value()).isEqualTo(value);
        assertThat(actual.origin()).isEqualTo(origin);
        assertThat(actual.skipped()).extracting(Resolution.Skipped::scope).isEqualTo(skippedScopes);
        assertThat(actual.skipped()).extracting(Resolution.Skipped::text).isEqualTo(skippedTexts);
        assertThat(actual.skipped())
                .allSatisfy(
                        skipped -> assertThat(skipped.reason()).contains("\"level\"", "\"" + skipped.text() + "\""));
        assertThat(schema.skippedValues()).isEqualTo(skippedTexts.size());
        assertThat(forChannel ? guild.resolve(level, CHANNEL) : guild.resolve(level))
                .isSameAs(actual);
    }

    private static Map<String, String> values(String text) {
        return text == null ? Map.of() : Map.of("level", text);
    }
}
