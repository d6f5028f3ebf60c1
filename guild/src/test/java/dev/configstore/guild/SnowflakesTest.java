package dev.configstore.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnowflakesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"0", "1", "123456789012345678", "9223372036854775807", "9223372036854775808", Snowflakes.MAX})
    void acceptsCanonicalDecimalsUpToTwoToTheSixtyFourMinusOne(String id) {
        assertThat(Snowflakes.isValid(id)).isTrue();
        assertThat(Snowflakes.requireValid(id, "guildId")).isSameAs(id);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "01",
                "00",
                "+1",
                "-1",
                " 1",
                "1 ",
                "1_000",
                "0x1F",
                "1e3",
                "١",
                "１",
                "18446744073709551616",
                "99999999999999999999",
                "184467440737095516150"
            })
    void refusesAnythingElseNamingTheArgument(String id) {
        assertThat(Snowflakes.isValid(id)).isFalse();
        assertThatThrownBy(() -> Snowflakes.requireValid(id, "channelId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channelId must be a Discord snowflake (decimal digits only, no sign, spaces or"
                        + " leading zeros, at most 18446744073709551615), got \"");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 123456789012345678L, Long.MAX_VALUE})
    void longIdsAreWrittenInDecimal(long id) {
        assertThat(Snowflakes.requireValid(id, "guildId")).isEqualTo(Long.toString(id));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, Long.MIN_VALUE})
    void negativeLongIdsAreRefused(long id) {
        assertThatThrownBy(() -> Snowflakes.requireValid(id, "guildId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got " + id + " (negative; pass ids of 2^63 and above as a String)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\n", "\u00a01", "1\u0000"})
    void invisibleCharactersAreShownAsEscapesInTheMessage(String id) {
        assertThatThrownBy(() -> Snowflakes.requireValid(id, "guildId")).hasMessageContaining("\\u00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x"})
    void nullIsRefused(String ignored) {
        assertThat(Snowflakes.isValid(null)).isFalse();
        assertThatThrownBy(() -> Snowflakes.requireValid((String) null, "guildId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got null");
    }
}
