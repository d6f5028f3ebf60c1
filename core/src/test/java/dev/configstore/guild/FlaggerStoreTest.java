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
}
