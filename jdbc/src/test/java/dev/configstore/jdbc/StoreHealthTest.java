package dev.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.jdbc.StoreHealth.Check;
import dev.configstore.jdbc.StoreHealth.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Check check(String name, Status status) {
        return new Check(name, status, name + " is " + status, Map.of());
    }

    @Test
    void theStatusIsTheWorstOfTheChecks() {
        assertThat(StoreHealth.of(List.of(check("a", Status.UP), check("b", Status.UP)), NOW)
                        .status())
                .isEqualTo(Status.UP);
        assertThat(StoreHealth.of(List.of(check("a", Status.DEGRADED), check("b", Status.UP)), NOW)
                        .status())
                .isEqualTo(Status.DEGRADED);
        assertThat(StoreHealth.of(
                                List.of(check("a", Status.DEGRADED), check("b", Status.DOWN), check("c", Status.UP)),
                                NOW)
                        .status())
                .isEqualTo(Status.DOWN);
        assertThat(Status.UP.worse(Status.DOWN)).isEqualTo(Status.DOWN);
        assertThat(Status.DOWN.worse(Status.DEGRADED)).isEqualTo(Status.DOWN);
    }

    @Test
    void checksAreFoundByNameAndCannotBeChanged() {
        List<Check> checks = new ArrayList<>(List.of(check(StoreHealth.DATABASE, Status.UP)));
        Map<String, Object> details = new HashMap<>(Map.of("pending", 2));
        checks.add(new Check(StoreHealth.POOL, Status.DEGRADED, "saturated", details));
        StoreHealth health = StoreHealth.of(checks, NOW);
        checks.clear();
        details.put("pending", 3);

        assertThat(health.checks()).hasSize(2);
        assertThat(health.check(StoreHealth.POOL).orElseThrow().details()).containsEntry("pending", 2);
        assertThat(health.check(StoreHealth.SCHEMA)).isEmpty();
        assertThatThrownBy(() -> health.checks().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() ->
                        health.check(StoreHealth.POOL).orElseThrow().details().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
