package dev.configstore.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlaggerStoreTest {

    @ParameterizedTest
    @ValueSource(ints = {7, 30, 365})
    void silentDaysFromSevenToThreeHundredSixtyFiveCanBeSet(int days) {
        assertThat(FlaggerStore.requireValidSilentDays(days)).isEqualTo(days);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -7, 0, 6, 366, Integer.MAX_VALUE})
    void silentDaysOutsideThatRangeAreRefusedWithTheRule(int days) {
        assertThatThrownBy(() -> FlaggerStore.requireValidSilentDays(days))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Silent days threshold must be between 7 and 365 days, got " + days);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "30", "030", "365", "0000365"})
    void silentDaysWrittenInAsciiDigitsAreParsed(String text) {
        assertThat(FlaggerStore.parseSilentDays(text)).isEqualTo(Integer.parseInt(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"+30", "-30", "\u0663\u0660", "\u0966\u0969\u0966", "\uff13\uff10", " 30", "30 ", "", "3_0"})
    void silentDaysWrittenOtherwiseAreRefusedThoughIntegerParseIntTakesSomeOfThem(String text) {
        assertThatThrownBy(() -> FlaggerStore.parseSilentDays(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Silent days must be a whole number written with the digits 0-9 only (no sign, spaces or"
                        + " other digits), got \"" + text + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6", "366", "0", "99999999999", "0099999999999"})
    void parsedSilentDaysOutOfRangeAreRefusedWithTheRule(String text) {
        assertThatThrownBy(() -> FlaggerStore.parseSilentDays(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Silent days threshold must be between 7 and 365 days, got "
                        + text.replaceFirst("^0+(?=.)", ""));
    }
}
