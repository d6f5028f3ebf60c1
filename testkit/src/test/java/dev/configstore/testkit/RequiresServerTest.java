package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a {@code CONFIGSTORE_REQUIRE_*} switch is read; needs no server. */
class RequiresServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "Yes", " true "})
    void theseRequireTheTestsToRun(String value) {
        assertThat(RequiresServer.Condition.required("CONFIGSTORE_REQUIRE_PG", value))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "false", "NO"})
    void theseDoNot(String value) {
        assertThat(RequiresServer.Condition.required("CONFIGSTORE_REQUIRE_PG", value))
                .isFalse();
    }

    @Test
    void unsetDoesNot() {
        assertThat(RequiresServer.Condition.required("CONFIGSTORE_REQUIRE_PG", null))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "on", "required", "ture"})
    void anythingElseIsRefusedWithTheValuesAccepted(String value) {
        assertThatThrownBy(() -> RequiresServer.Condition.required("CONFIGSTORE_REQUIRE_MYSQL", value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CONFIGSTORE_REQUIRE_MYSQL must be 1, true or yes (to fail the tests that cannot run here)"
                        + " or 0, false or no (to skip them), got \"" + value + "\"");
    }
}
