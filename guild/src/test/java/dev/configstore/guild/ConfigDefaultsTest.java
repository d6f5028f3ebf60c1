package dev.configstore.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigDefaultsTest {

    @Test
    void readsTheThreeVariablesAndIgnoresOthers() {
        ConfigDefaults defaults = ConfigDefaults.of(Map.of(
                "LOGGING_CHANNEL", "111",
                "FLAGGED_REPORT_CHANNEL_ID", "222",
                "SILENT_FIRST_MSG_DAYS", "30",
                "PATH", "/usr/bin"));

        assertThat(defaults.loggingChannelId()).contains("111");
        assertThat(defaults.flaggedReportChannelId()).contains("222");
        assertThat(defaults.silentFirstMsgDays()).hasValue(30);
        assertThat(defaults)
                .hasToString(
                        "ConfigDefaults[LOGGING_CHANNEL=111, FLAGGED_REPORT_CHANNEL_ID=222, SILENT_FIRST_MSG_DAYS=30]");
    }

    @Test
    void unsetAndEmptyVariablesHaveNoValue() {
        ConfigDefaults defaults = ConfigDefaults.of(Map.of("LOGGING_CHANNEL", "", "SILENT_FIRST_MSG_DAYS", ""));

        assertThat(defaults.loggingChannelId()).isEmpty();
        assertThat(defaults.flaggedReportChannelId()).isEmpty();
        assertThat(defaults.silentFirstMsgDays()).isEmpty();
        assertThat(defaults).isEqualTo(ConfigDefaults.none());
    }

    @Test
    void aChannelThatIsNotASnowflakeFailsNamingTheVariable() {
        assertThatThrownBy(() -> ConfigDefaults.of(Map.of("LOGGING_CHANNEL", "#general")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Environment variable LOGGING_CHANNEL must be a Discord snowflake")
                .hasMessageContaining("\"#general\"");
        assertThatThrownBy(() -> ConfigDefaults.of(Map.of("FLAGGED_REPORT_CHANNEL_ID", " 123")))
                .hasMessageStartingWith("Environment variable FLAGGED_REPORT_CHANNEL_ID must be a Discord snowflake");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "6",
                "366",
                "0",
                "-7",
                "+30",
                "30 days",
                "thirty",
                " 30",
                "99999999999",
                "\u0663\u0660",
                "\uff13\uff10"
            })
    void silentDaysOutsideSevenTo365FailNamingTheVariableAndValue(String value) {
        assertThatThrownBy(() -> ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Environment variable SILENT_FIRST_MSG_DAYS must be a whole number of days between 7 and"
                        + " 365, got \"" + value + "\". Fix or unset it, then restart.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "365", "030"})
    void silentDaysFromSevenTo365AreAccepted(String value) {
        assertThat(ConfigDefaults.of(Map.of("SILENT_FIRST_MSG_DAYS", value)).silentFirstMsgDays())
                .isEqualTo(OptionalInt.of(Integer.parseInt(value)));
    }

    @Test
    void aNullMapIsRefused() {
        assertThatThrownBy(() -> ConfigDefaults.of(nullMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("variables must not be null");
    }

    @Test
    void fromEnvironmentReadsThisProcesssVariables() {
        Map<String, String> environment = System.getenv();
        ConfigDefaults defaults = ConfigDefaults.fromEnvironment();

        assertThat(defaults.loggingChannelId())
                .isEqualTo(
                        Optional.ofNullable(environment.get("LOGGING_CHANNEL")).filter(v -> !v.isEmpty()));
    }

    @SuppressWarnings("NullAway")
    private static Map<String, String> nullMap() {
        return null;
    }
}
