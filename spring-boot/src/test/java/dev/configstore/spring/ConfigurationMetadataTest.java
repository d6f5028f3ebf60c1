package dev.configstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The metadata IDEs complete {@code configstore.*} properties from is built with the classes. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyHasADescriptionAndTheDefaultsAreThereForCompletion() throws Exception {
        JsonNode metadata;
        try (InputStream in = Objects.requireNonNull(
                ConfigStoreProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json"),
                "META-INF/spring-configuration-metadata.json is missing: is the configuration processor run?")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            names.add(name);
            assertThat(property.path("description").asString())
                    .as("the description of %s", name)
                    .isNotBlank();
        }
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "configstore.enabled",
                        "configstore.pool-size",
                        "configstore.busy-timeout",
                        "configstore.sqlite.path",
                        "configstore.postgres.schema",
                        "configstore.mariadb.database",
                        "configstore.cache.expire-after-write",
                        "configstore.cache.maximum-size",
                        "configstore.feed.enabled",
                        "configstore.feed.interval",
                        "configstore.health.timeout",
                        "configstore.settings.application",
                        "configstore.audit.retention",
                        "configstore.audit.default-actor");
        assertThat(defaultOf(metadata, "configstore.cache.expire-after-write")).isEqualTo("60s");
        assertThat(defaultOf(metadata, "configstore.health.timeout")).isEqualTo("2s");
        assertThat(defaultOf(metadata, "configstore.pool-size")).isEqualTo("4");
        assertThat(defaultOf(metadata, "configstore.postgres.schema")).isEqualTo("configstore");
        assertThat(defaultOf(metadata, "configstore.settings.application")).isEqualTo("default");
        assertThat(defaultOf(metadata, "configstore.audit.retention")).isEqualTo("90d");
        assertThat(defaultOf(metadata, "configstore.audit.default-actor")).isEqualTo("unknown");
    }

    private static String defaultOf(JsonNode metadata, String name) {
        for (JsonNode property : metadata.path("properties")) {
            if (property.path("name").asString().equals(name)) {
                return property.path("defaultValue").asString();
            }
        }
        throw new AssertionError(name + " is not in the metadata");
    }
}
