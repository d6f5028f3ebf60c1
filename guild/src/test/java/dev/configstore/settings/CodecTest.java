package dev.configstore.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.configstore.guild.Snowflakes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {

    enum Language {
        EN,
        DE,
        FR
    }

    @Test
    void everyBuiltInCodecRoundTripsItsValues() {
        qt().forAll(integers().all()).checkAssert(v -> roundTrips(Codec.integer(), v));
        qt().forAll(longs().all()).checkAssert(v -> roundTrips(Codec.longInteger(), v));
        qt().forAll(strings().allPossible().ofLengthBetween(0, 30)).checkAssert(v -> roundTrips(Codec.string(), v));
        qt().forAll(longs().all()).checkAssert(v -> roundTrips(Codec.snowflake(), Long.toUnsignedString(v)));
        qt().forAll(
                        longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
                        integers().between(0, 999_999_999))
                .checkAssert((seconds, nanos) -> roundTrips(Codec.duration(), Duration.ofSeconds(seconds, nanos)));
        qt().forAll(lists().of(strings().allPossible().ofLengthBetween(0, 8)).ofSizeBetween(0, 6))
                .checkAssert(v -> roundTrips(Codec.list(Codec.string()), v));
        qt().forAll(lists().of(integers().all()).ofSizeBetween(0, 6))
                .checkAssert(v -> roundTrips(Codec.list(Codec.integer()), v));
        roundTrips(Codec.bool(), true);
        roundTrips(Codec.bool(), false);
        for (Language language : Language.values()) {
            roundTrips(Codec.enumeration(Language.class), language);
        }
        roundTrips(Codec.snowflake(), Snowflakes.MAX);
        roundTrips(Codec.list(Codec.snowflake()), List.of("1", "18446744073709551615"));
        roundTrips(Codec.list(Codec.list(Codec.string())), List.of(List.of("a,\"b\"", "]"), List.of()));
    }

    @Test
    void typeNamesAreStable() {
        assertThat(Codec.string().type()).isEqualTo("string");
        assertThat(Codec.integer().type()).isEqualTo("int");
        assertThat(Codec.longInteger().type()).isEqualTo("long");
        assertThat(Codec.bool().type()).isEqualTo("boolean");
        assertThat(Codec.enumeration(Language.class).type()).isEqualTo("enum(EN,DE,FR)");
        assertThat(Codec.snowflake().type()).isEqualTo("snowflake");
        assertThat(Codec.duration().type()).isEqualTo("duration");
        assertThat(Codec.list(Codec.snowflake()).type()).isEqualTo("list<snowflake>");
    }

    @Test
    void storedFormsAreTheOnesToolsRead() {
        assertThat(Codec.list(Codec.snowflake()).encode(List.of("12", "34"))).isEqualTo("[\"12\",\"34\"]");
        assertThat(Codec.list(Codec.string()).encode(List.of("a\"b\\c\n\u0001")))
                .isEqualTo("[\"a\\\"b\\\\c\\n\\u0001\"]");
        assertThat(Codec.list(Codec.string()).decode(" [ \"x\" , \"\\u0041\\/\" ] "))
                .containsExactly("x", "A/");
        assertThat(Codec.duration().encode(Duration.ofMinutes(10))).isEqualTo("PT10M");
        assertThat(Codec.integer().decode("-12")).isEqualTo(-12);
    }

    @Test
    void decodedListsCannotBeChanged() {
        List<String> decoded = Codec.list(Codec.string()).decode("[\"a\"]");
        assertThatThrownBy(() -> decoded.add("b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "+1", "1.0", "0x10", "١", "１", "2147483648", "-2147483649", "-", "1e3"})
    void intRefusesAnythingButAsciiDecimalsInRange(String text) {
        assertThatThrownBy(() -> Codec.integer().decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be");
    }

    @Test
    void longRefusesOverflowNamingTheRange() {
        assertThatThrownBy(() -> Codec.longInteger().decode("9223372036854775808"))
                .hasMessageContaining("between -9223372036854775808 and 9223372036854775807");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TRUE", "True", "yes", "1", " true"})
    void boolAcceptsOnlyTrueAndFalse(String text) {
        assertThatThrownBy(() -> Codec.bool().decode(text)).hasMessage("must be true or false");
    }

    @Test
    void enumNamesTheConstants() {
        assertThatThrownBy(() -> Codec.enumeration(Language.class).decode("en"))
                .hasMessage("must be one of EN, DE, FR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "01", "-1", "18446744073709551616", "12a"})
    void snowflakeRefusesWhatSnowflakesRefuses(String text) {
        assertThatThrownBy(() -> Codec.snowflake().decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Discord snowflake");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10m", "PT", "P1Y", "600"})
    void durationRefusesWhatIsNotIso8601(String text) {
        assertThatThrownBy(() -> Codec.duration().decode(text)).hasMessageContaining("ISO-8601 duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a,b", "[a]", "[\"a\",]", "[\"a\"", "[\"a\"] x", "[\"\\x\"]", "[1]", "[\"\u0001\"]"})
    void listRefusesWhatIsNotAJsonArrayOfStrings(String text) {
        assertThatThrownBy(() -> Codec.list(Codec.string()).decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a JSON array of strings");
    }

    @Test
    void listNamesTheElementThatDoesNotDecode() {
        assertThatThrownBy(() -> Codec.list(Codec.snowflake()).decode("[\"1\",\"x\"]"))
                .hasMessageContaining("element 2, \"x\", is not a snowflake");
    }

    @Test
    void aUsersCodecIsTwoFunctions() {
        record Colour(int rgb) {}
        Codec<Colour> colour = Codec.of(
                "colour",
                text -> {
                    if (!text.matches("#[0-9a-f]{6}")) {
                        throw new IllegalArgumentException("must be # and six lowercase hex digits");
                    }
                    return new Colour(Integer.parseInt(text.substring(1), 16));
                },
                value -> String.format("#%06x", value.rgb()));
        roundTrips(colour, new Colour(0x12ab34));
        assertThat(Codec.list(colour).type()).isEqualTo("list<colour>");
        assertThatThrownBy(() -> colour.decode("red")).hasMessage("must be # and six lowercase hex digits");
        assertThatThrownBy(() -> Codec.of(" ", t -> t, v -> v)).hasMessageContaining("type name");
    }

    @Test
    void aCodecThatReturnsNullIsRefused() {
        Codec<String> broken = Codec.of("broken", text -> null, value -> null);
        assertThatThrownBy(() -> broken.decode("x")).hasMessageContaining("codec broken read no value");
        assertThatThrownBy(() -> broken.encode("x")).hasMessageContaining("codec broken wrote no text");
    }

    private static <T> void roundTrips(Codec<T> codec, T value) {
        String text = codec.encode(value);
        assertThat(codec.decode(text)).isEqualTo(value);
        assertThat(codec.encode(codec.decode(text))).isEqualTo(text);
    }
}
