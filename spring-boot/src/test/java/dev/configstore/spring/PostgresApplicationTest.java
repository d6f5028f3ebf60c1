package dev.configstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.guild.LoggingStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.testkit.RequiresServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole Spring Boot application on the real PostgreSQL: its DataSource, configstore's beans,
 * Actuator's health and metrics endpoints over HTTP. The store lives in a schema of its own,
 * dropped once the application has stopped.
 */
@RequiresServer(RequiresServer.Server.POSTGRES)
@ExtendWith(PostgresApplicationTest.DropSchema.class) // before Spring's: drops after the context closed
@SpringBootTest(
        classes = PostgresApplicationTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "configstore.postgres.schema=" + PostgresApplicationTest.SCHEMA,
            "configstore.settings.application=spring_test",
            "management.endpoints.web.exposure.include=health,metrics",
            "management.endpoint.health.show-details=always",
            "management.endpoint.health.status.order=down,out-of-service,degraded,up,unknown",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.group.readiness.include=readinessState,configstore"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresApplicationTest {

    static final String SCHEMA = "configstore_spring_boot_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GUILD = "123456789012345678";
    static final Setting<String> PREFIX =
            Setting.text("prefix").defaultValue("!").build();

    @SpringBootApplication(proxyBeanMethods = false)
    static class Application {
        @Bean
        SettingsSchema botSchema() {
            return SettingsSchema.of(Map.of(), PREFIX);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", RequiresServer.Server.POSTGRES::url);
    }

    @Autowired
    ConfigStore store;

    @Autowired
    Settings settings;

    @Autowired
    LoggingStore logging;

    @Autowired
    MeterRegistry registry;

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableListableBeanFactory beans;

    @Test
    void theBeansReadAndWriteTheApplicationsPostgresDatabase() {
        assertThat(store).isInstanceOf(PostgresConfigStore.class);
        assertThat(((PostgresConfigStore) store).schema()).isEqualTo(SCHEMA);
        // So that the store, and its change feed, are closed before the DataSource they use.
        assertThat(beans.getDependenciesForBean("configStore")).contains("dataSource");

        settings.set(PREFIX, ScopeId.guild(GUILD), "?");
        logging.setLoggingChannelId(GUILD, "987654321098765432");

        assertThat(settings.get(PREFIX, GUILD)).contains("?");
        assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains("987654321098765432");
        assertThat(store.declarations())
                .anySatisfy(declared -> assertThat(declared.name()).isEqualTo("spring_test"));
    }

    @Test
    void actuatorServesTheStoresHealthAndMeters() throws Exception {
        logging.setLoggingChannelId(GUILD, "987654321098765432");

        JsonNode configstore =
                JSON.readTree(get("/actuator/health")).path("components").path("configstore");
        assertThat(configstore.path("status").asString()).isEqualTo("UP");
        assertThat(configstore.path("details").path("schema").path("status").asString())
                .isEqualTo("UP");
        assertThat(configstore.path("details").path("changeFeed").path("reason").asString())
                .startsWith("The change feed follows the change log");
        assertThat(configstore.path("details").path("pool").path("max").asInt()).isEqualTo(4);

        // The probes docs/spring-boot.md recommends: the store in readiness, not in liveness.
        JsonNode readiness = JSON.readTree(get("/actuator/health/readiness"));
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").has("configstore")).isTrue();
        assertThat(JSON.readTree(get("/actuator/health/liveness"))
                        .path("components")
                        .has("configstore"))
                .isFalse();

        assertThat(get("/actuator/metrics")).contains("configstore.changefeed.entries", "configstore.writes");
        assertThat(get("/actuator/metrics/configstore.writes")).contains("\"name\":\"configstore.writes\"");
        assertThat(registry.find("configstore.writes").functionCounters())
                .anySatisfy(counter -> assertThat(counter.count()).isPositive());
    }

    private String get(String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        try {
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(status).as(path + " answered " + text).isEqualTo(200);
                return text;
            }
        } finally {
            connection.disconnect();
        }
    }

    /** Starts and leaves the test on a schema that no earlier run left behind. */
    static final class DropSchema implements BeforeAllCallback, AfterAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            drop();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            drop();
        }

        private static void drop() throws Exception {
            try (Connection connection = DriverManager.getConnection(RequiresServer.Server.POSTGRES.url());
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }
}
