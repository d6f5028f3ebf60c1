package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoreHealth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The store's health for Actuator, from {@link ConfigStore#health(Duration)}: UP and DOWN as
 * they are, DEGRADED as a status of its own, {@link #DEGRADED}, which answers HTTP 200 (the store
 * serves reads and writes). Each check is a detail holding its status, its reason and its numbers.
 */
final class ConfigStoreHealthIndicator implements HealthIndicator {

    /** The store serves reads and writes, but its change feed or its pool does not work as it should. */
    static final Status DEGRADED = new Status(
            "DEGRADED",
            "configstore serves reads and writes, but changes made elsewhere may be seen late or callers wait");

    private final ConfigStore store;
    private final Duration timeout;

    ConfigStoreHealthIndicator(ConfigStore store, Duration timeout) {
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "configstore.health.timeout", timeout, "It must be from 1ms to 1m, such as 2s.");
        }
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        StoreHealth health = store.health(timeout);
        Health.Builder builder = Health.status(status(health.status()))
                .withDetail("store", store.name())
                .withDetail("checkedAt", health.checkedAt().toString());
        for (StoreHealth.Check check : health.checks()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", check.status().name());
            details.put("reason", check.reason());
            details.putAll(check.details());
            builder.withDetail(check.name(), details);
        }
        return builder.build();
    }

    static Status status(StoreHealth.Status status) {
        return switch (status) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
    }
}
