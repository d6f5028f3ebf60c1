package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolutionTest {

    private static final String GUILD = "100";
    private static final String CHANNEL = "200";
    private static final String OTHER_CHANNEL = "300";

    private static final Setting<String> PREFIX = Setting.text("prefix")
            .rule(Rule.length(1, 5))
            .defaultValue("!")
            .environment("BOT_PREFIX")
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();
    private static final Setting<Integer> DAYS = Setting.integer("silent_days")
            .rule(Rule.range(7, 365))
            .defaultValue(7)
            .environment("SILENT_DAYS")
            .build();
    private static final Setting<String> LOG_CHANNEL =
            Setting.snowflake("log_channel").build();

    private final SettingsSchema schema = SettingsSchema.of(Map.of("SILENT_DAYS", "30"), PREFIX, DAYS, LOG_CHANNEL);

    @Test
    void aChannelValueWinsOverTheGuildsWhichWinsOverTheGlobalOne() {
        GuildSnapshot guild = schema.global(Map.of("prefix", "g!"))
                .guild(GUILD, Map.of("prefix", "?"), Map.of(CHANNEL, Map.of("prefix", "$")));
        assertThat(guild.resolve(PREFIX, CHANNEL)).isEqualTo(resolved("$", Origin.CHANNEL));
        assertThat(guild.resolve(PREFIX, OTHER_CHANNEL)).isEqualTo(resolved("?", Origin.GUILD));
        assertThat(guild.resolve(PREFIX)).isEqualTo(resolved("?", Origin.GUILD));
        assertThat(guild.global().resolve(PREFIX)).isEqualTo(resolved("g!", Origin.GLOBAL));
        assertThat(schema.global(Map.of("prefix", "g!")).guild(GUILD).get(PREFIX, CHANNEL))
                .contains("g!");
    }

    @Test
    void withNothingStoredTheEnvironmentThenTheDefaultAnswers() {
        GuildSnapshot guild = schema.global(Map.of()).guild(GUILD);
        assertThat(guild.resolve(DAYS)).isEqualTo(resolved(30, Origin.ENVIRONMENT));
        assertThat(guild.resolve(PREFIX, CHANNEL)).isEqualTo(resolved("!", Origin.DEFAULT));
        assertThat(guild.resolve(LOG_CHANNEL)).isEqualTo(new Resolution<>(Optional.empty(), Origin.NONE, List.of()));
    }

    @Test
    void aStoredValueWinsWhateverItIsAsLongAsItIsValid() {
        GuildSnapshot guild = schema.global(Map.of()).guild(GUILD, Map.of("silent_days", "7"), Map.of());
        assertThat(guild.resolve(DAYS)).isEqualTo(resolved(7, Origin.GUILD));
    }

    @Test
    void anInvalidStoredValueIsSkippedWithTheReasonNeverServed() {
        GuildSnapshot guild =
                schema.global(Map.of("silent_days", "400")).guild(GUILD, Map.of("silent_days", "3"), Map.of());
        Resolution<Integer> days = guild.resolve(DAYS);
        assertThat(days.value()).contains(30);
        assertThat(days.origin()).isEqualTo(Origin.ENVIRONMENT);
        assertThat(days.hasSkipped()).isTrue();
        assertThat(days.skipped())
                .containsExactly(
                        new Resolution.Skipped(
                                Scope.GUILD,
                                "3",
                                "Setting \"silent_days\": \"3\" breaks rule range(7,365): below the minimum 7"),
                        new Resolution.Skipped(
                                Scope.GLOBAL,
                                "400",
                                "Setting \"silent_days\": \"400\" breaks rule range(7,365): above the maximum 365"));
    }

    @Test
    void aValueThatDoesNotDecodeIsSkippedAndTheNextStoredLayerAnswers() {
        GuildSnapshot guild = schema.global(Map.of("prefix", "g!"))
                .guild(GUILD, Map.of(), Map.of(CHANNEL, Map.of("prefix", "waytoolong")));
        Resolution<String> prefix = guild.resolve(PREFIX, CHANNEL);
        assertThat(prefix.value()).contains("g!");
        assertThat(prefix.origin()).isEqualTo(Origin.GLOBAL);
        assertThat(prefix.skipped()).extracting(Resolution.Skipped::scope).containsExactly(Scope.CHANNEL);
        GuildSnapshot ids = schema.global(Map.of()).guild(GUILD, Map.of("log_channel", "#general"), Map.of());
        assertThat(ids.resolve(LOG_CHANNEL).value()).isEmpty();
        assertThat(ids.resolve(LOG_CHANNEL).skipped().get(0).reason())
                .startsWith("Setting \"log_channel\": \"#general\" is not a snowflake:");
    }

    @Test
    void aValueStoredAtAScopeTheDeclarationDoesNotAllowIsSkipped() {
        GuildSnapshot guild = schema.global(Map.of())
                .guild(GUILD, Map.of("silent_days", "60"), Map.of(CHANNEL, Map.of("silent_days", "90")));
        Resolution<Integer> days = guild.resolve(DAYS, CHANNEL);
        assertThat(days.value()).contains(60);
        assertThat(days.origin()).isEqualTo(Origin.GUILD);
        assertThat(days.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.scope()).isEqualTo(Scope.CHANNEL);
            assertThat(skipped.reason())
                    .isEqualTo("Setting \"silent_days\" may not be stored for a channel (it allows the whole bot, a"
                            + " guild); the value \"90\" stored for channel 200 of guild 100 is not used");
        });
    }

    @Test
    void eachSkippedValueIsCountedOnceHoweverOftenAndWhereverItIsRead() {
        Map<String, String> global = Map.of("silent_days", "1");
        GlobalSnapshot first = schema.global(global);
        for (int i = 0; i < 3; i++) {
            GuildSnapshot guild = first.guild(GUILD, Map.of("prefix", ""), Map.of(CHANNEL, Map.of("prefix", "x")));
            guild.resolve(DAYS);
            guild.resolve(DAYS, CHANNEL);
            guild.resolve(PREFIX);
            guild.resolve(PREFIX, OTHER_CHANNEL);
        }
        assertThat(schema.skippedValues()).isEqualTo(2);
        schema.global(global).guild("101").resolve(DAYS);
        assertThat(schema.skippedValues())
                .as("a new snapshot meets the same global value")
                .isEqualTo(2);
        schema.global(Map.of())
                .guild("101", Map.of("silent_days", "1"), Map.of())
                .resolve(DAYS);
        assertThat(schema.skippedValues())
                .as("another guild's value is another value")
                .isEqualTo(3);
    }

    @Test
    void unknownStoredKeysAreIgnored() {
        GuildSnapshot guild = schema.global(Map.of("retired", "x")).guild(GUILD, Map.of("other_app", "y"), Map.of());
        assertThat(guild.resolve(PREFIX)).isEqualTo(resolved("!", Origin.DEFAULT));
        assertThat(schema.skippedValues()).isZero();
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void badIdsAndMissingValuesAreRefusedWithClearMessages() {
        GlobalSnapshot global = schema.global(Map.of());
        assertThatThrownBy(() -> global.guild("01")).hasMessageStartingWith("guildId must be a Discord snowflake");
        assertThatThrownBy(() -> global.guild(GUILD, Map.of(), Map.of("x", Map.of())))
                .hasMessageStartingWith("channelId must be a Discord snowflake");
        assertThatThrownBy(() -> global.guild(GUILD).resolve(PREFIX, "abc"))
                .hasMessageStartingWith("channelId must be a Discord snowflake");
        assertThatThrownBy(() -> global.guild(GUILD).resolve(PREFIX, null))
                .hasMessageStartingWith("channelId must be a Discord snowflake");
        java.util.HashMap<String, String> withNull = new java.util.HashMap<>();
        withNull.put("prefix", null);
        assertThatThrownBy(() -> global.guild(GUILD, withNull, Map.of()))
                .hasMessage("the value of setting \"prefix\" stored for guild 100 is null; pass only values that are"
                        + " stored");
        assertThatThrownBy(() -> schema.global(null)).hasMessageContaining("must not be null");
    }

    @Test
    void aRepeatedReadReturnsTheSameResolution() {
        GuildSnapshot guild = schema.global(Map.of("prefix", "g!"))
                .guild(GUILD, Map.of("silent_days", "3"), Map.of(CHANNEL, Map.of("prefix", "$")));
        assertThat(guild.resolve(PREFIX, CHANNEL)).isSameAs(guild.resolve(PREFIX, CHANNEL));
        assertThat(guild.resolve(PREFIX, OTHER_CHANNEL)).isSameAs(guild.resolve(PREFIX));
        assertThat(guild.resolve(DAYS)).isSameAs(guild.resolve(DAYS));
        assertThat(guild.get(DAYS)).isSameAs(guild.get(DAYS));
        assertThat(guild.global().resolve(PREFIX)).isSameAs(guild.global().resolve(PREFIX));
    }

    @Test
    void aRepeatedReadAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GuildSnapshot guild = schema.global(Map.of("prefix", "g!"))
                .guild(GUILD, Map.of("silent_days", "3"), Map.of(CHANNEL, Map.of("prefix", "$")));
        int reads = 100_000;
        readAll(guild, reads);
        threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        int found = readAll(guild, reads);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(found).isEqualTo(4 * reads);
        // Allocating even 8 bytes a read would show as 3 MB; the margin is for the measurement itself.
        assertThat(allocated)
                .as("bytes allocated by %s repeated reads", 4 * reads)
                .isLessThan(4_096);
    }

    private static int readAll(GuildSnapshot guild, int times) {
        int found = 0;
        for (int i = 0; i < times; i++) {
            found += guild.get(PREFIX, CHANNEL).isPresent() ? 1 : 0;
            found += guild.get(PREFIX, OTHER_CHANNEL).isPresent() ? 1 : 0;
            found += guild.resolve(DAYS).value().isPresent() ? 1 : 0;
            found += guild.global().get(LOG_CHANNEL).isPresent() ? 0 : 1;
        }
        return found;
    }

    private static <T> Resolution<T> resolved(T value, Origin origin) {
        return new Resolution<>(Optional.of(value), origin, List.of());
    }
}
