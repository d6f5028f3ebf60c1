package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code CONFIGSTORE_REQUIRE_PG} is read; needs no server. */
class RequiresPostgresTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "Yes", " true "})
    void theseRequireAServer(String value) {
        assertThat(RequiresPostgres.Condition.required(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "false", "NO"})
    void theseDoNot(String value) {
        assertThat(RequiresPostgres.Condition.required(value)).isFalse();
    }

    @Test
    void unsetDoesNot() {
        assertThat(RequiresPostgres.Condition.required(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "on", "required", "ture"})
    void anythingElseIsRefusedWithTheValuesAccepted(String value) {
        assertThatThrownBy(() -> RequiresPostgres.Condition.required(value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CONFIGSTORE_REQUIRE_PG must be 1, true or yes (to fail when no PostgreSQL server"
                        + " answers) or 0, false or no (to skip those tests), got \"" + value + "\"");
    }
}
