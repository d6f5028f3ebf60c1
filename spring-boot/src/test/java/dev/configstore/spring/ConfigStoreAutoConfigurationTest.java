package dev.configstore.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.LoggingStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.jdbc.StoreHealth;
import dev.configstore.micrometer.ConfigStoreMetrics;
import dev.configstore.postgres.PostgresConfigStore;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.sqlite.SqliteConfigStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sqlite.SQLiteDataSource;

/** Every condition of the auto-configuration, on SQLite files of the test's own. */
class ConfigStoreAutoConfigurationTest {

    private static final String GUILD = "123456789012345678";
    private static final String CHANNEL = "987654321098765432";

    @TempDir
    Path folder;

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConfigStoreAutoConfiguration.class));

    private ApplicationContextRunner onSqlite() {
        return runner.withPropertyValues("configstore.sqlite.path=" + folder.resolve("bot.db"));
    }

    @Test
    void aSqlitePathGivesAStoreAndItsFacadesWhichTheContextClosesOnShutdown() {
        ConfigStore[] opened = new ConfigStore[1];
        onSqlite().run(context -> {
            assertThat(context).hasNotFailed();
            ConfigStore store = context.getBean(ConfigStore.class);
            opened[0] = store;
            assertThat(store).isInstanceOf(SqliteConfigStore.class);
            assertThat(((SqliteConfigStore) store).file()).isEqualTo(folder.resolve("bot.db"));

            context.getBean(LoggingStore.class).setLoggingChannelId(GUILD, CHANNEL);
            assertThat(store.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
            assertThat(context.getBean(FlaggerStore.class)
                            .getFlaggerConfig(GUILD)
                            .silentDays())
                    .isEqualTo(7);
            assertThat(context.getBean(GuildConfig.class)).isSameAs(store.guildConfig());
        });
        assertThatThrownBy(() -> opened[0].loggingStore().setLoggingChannelId(GUILD, CHANNEL))
                .as("the store is closed with the context")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void thePropertiesReachTheStore() {
        onSqlite()
                .withPropertyValues("configstore.pool-size=2", "configstore.feed.enabled=false")
                .run(context -> {
                    StoreHealth health = context.getBean(ConfigStore.class).health();
                    assertThat(health.check(StoreHealth.POOL).orElseThrow().details())
                            .containsEntry("max", 2);
                    assertThat(health.check(StoreHealth.CHANGE_FEED)
                                    .orElseThrow()
                                    .reason())
                            .startsWith("off");
                });
        onSqlite()
                .withPropertyValues("configstore.audit.default-actor=app:web", "configstore.audit.retention=1d")
                .run(context -> {
                    ConfigStore store = context.getBean(ConfigStore.class);
                    store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
                    assertThat(store.history(HistoryQuery.guild(GUILD)))
                            .singleElement()
                            .satisfies(entry -> assertThat(entry.actor()).isEqualTo("app:web"));
                });
        onSqlite().withPropertyValues("configstore.feed.interval=20ms").run(context -> {
            StoreHealth health = context.getBean(ConfigStore.class).health();
            assertThat(health.check(StoreHealth.CHANGE_FEED).orElseThrow().details())
                    .containsEntry("enabled", true);
        });
    }

    @Test
    void aValueTheStoreRefusesStopsTheApplicationNamingTheProperty() {
        Map<String, String> refused = Map.of(
                "configstore.pool-size", "0",
                "configstore.busy-timeout", "0s",
                "configstore.cache.expire-after-write", "0s",
                "configstore.cache.maximum-size", "0",
                "configstore.feed.interval", "2h",
                "configstore.health.timeout", "2m",
                "configstore.audit.retention", "30m",
                "configstore.audit.default-actor", " ");
        refused.forEach((property, value) -> onSqlite()
                .withPropertyValues(property + "=" + value)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("Property " + property + " with value '")
                        .hasMessageContaining("is invalid: ")));
    }

    @Test
    void anApplicationsOwnStoreIsUsedAndNoOtherIsOpened() {
        Path own = folder.resolve("own.db");
        runner.withBean(ConfigStore.class, () -> SqliteConfigStore.open(own)).run(context -> {
            assertThat(context).hasSingleBean(ConfigStore.class);
            ConfigStore store = context.getBean(ConfigStore.class);
            assertThat(((SqliteConfigStore) store).file()).isEqualTo(own);
            assertThat(context.getBean(LoggingStore.class)).isSameAs(store.loggingStore());
            assertThat(context).hasSingleBean(ConfigStoreMetrics.class);
        });
        assertThat(folder.resolve("bot.db")).doesNotExist();
    }

    @Test
    void turnedOffThereIsNoBeanOfConfigstoreAtAll() {
        onSqlite().withPropertyValues("configstore.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ConfigStore.class);
            assertThat(context).doesNotHaveBean(LoggingStore.class);
            assertThat(context).doesNotHaveBean(ConfigStoreMetrics.class);
            assertThat(context).doesNotHaveBean("configstoreHealthIndicator");
        });
        assertThat(folder.resolve("bot.db")).doesNotExist();
    }

    @Test
    void withNeitherPathNorDataSourceTheApplicationFailsSayingWhatToSet() {
        runner.run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessage(StoreOpener.NO_DATABASE)
                .hasMessageContaining("configstore.sqlite.path")
                .hasMessageContaining("spring.datasource.url"));
    }

    @Test
    void aDataSourceOnADatabaseConfigstoreDoesNotRunOnIsRefused() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + folder.resolve("app.db"));
        runner.withBean(DataSource.class, () -> sqlite)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("on SQLite, which configstore opens itself")
                        .hasMessageContaining("configstore.sqlite.path"));
        runner.withBean(DataSource.class, () -> dataSourceOn("H2", "2.3.232"))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("on H2 2.3.232, which configstore does not support"));
        runner.withBean(DataSource.class, () -> dataSourceOn("MySQL", "8.4.0"))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("on MySQL 8.4.0, which configstore does not support"));
    }

    @Test
    void aDatabaseWhoseModuleIsMissingNamesTheDependencyToAdd() {
        onSqlite()
                .withClassLoader(new FilteredClassLoader(SqliteConfigStore.class))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("add the dependency dev.configstore:configstore-sqlite"));
        runner.withClassLoader(new FilteredClassLoader(PostgresConfigStore.class))
                .withBean(DataSource.class, () -> dataSourceOn("PostgreSQL", "17.2"))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("add the dependency dev.configstore:configstore-postgres"));
    }

    @Test
    void withMicrometerTheStoresMetersReachTheApplicationsRegistry() {
        onSqlite()
                .withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(ConfigStoreMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("configstore.changefeed.entries").functionCounter())
                            .isNotNull();
                });
    }

    @Test
    void withoutMicrometerThereIsNoMeterBinder() {
        onSqlite().withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ConfigStoreMetrics.class);
        });
    }

    @Test
    void withoutActuatorsHealthModuleThereIsNoHealthIndicator() {
        onSqlite().run(context -> assertThat(context).hasBean("configstoreHealthIndicator"));
        onSqlite()
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("configstoreHealthIndicator");
                });
        onSqlite()
                .withPropertyValues("management.health.configstore.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("configstoreHealthIndicator"));
    }

    static final Setting<String> PREFIX =
            Setting.text("prefix").defaultValue("!").build();
    static final Setting<Integer> VOLUME =
            Setting.integer("volume").defaultValue(50).build();

    @Configuration(proxyBeanMethods = false)
    static class OneSchema {
        @Bean
        SettingsSchema botSchema() {
            return SettingsSchema.of(Map.of(), PREFIX);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoSchemas {
        @Bean
        SettingsSchema bot() {
            return SettingsSchema.of(Map.of(), PREFIX);
        }

        @Bean
        SettingsSchema music() {
            return SettingsSchema.of(Map.of(), VOLUME);
        }
    }

    /** Injects the two schemas' settings by their qualifiers. */
    record Consumer(Settings bot, Settings music) {}

    @Configuration(proxyBeanMethods = false)
    static class QualifiedConsumer {
        @Bean
        Consumer consumer(@Qualifier("bot") Settings bot, @Qualifier("music") Settings music) {
            return new Consumer(bot, music);
        }
    }

    @Test
    void oneSchemaGivesOneSettingsBeanStoredUnderTheConfiguredApplication() {
        onSqlite()
                .withUserConfiguration(OneSchema.class)
                .withPropertyValues("configstore.settings.application=bot")
                .run(context -> {
                    assertThat(context).hasSingleBean(Settings.class);
                    assertThat(context).hasBean("botSchemaSettings");
                    Settings settings = context.getBean(Settings.class);
                    settings.set(PREFIX, ScopeId.guild(GUILD), "?");
                    assertThat(settings.get(PREFIX, GUILD)).contains("?");
                    ConfigStore store = context.getBean(ConfigStore.class);
                    assertThat(store.declarations())
                            .anySatisfy(declared -> assertThat(declared.name()).isEqualTo("bot"));
                });
    }

    @Test
    void severalSchemasGiveOneSettingsBeanEachStoredUnderTheSchemasBeanName() {
        onSqlite()
                .withUserConfiguration(TwoSchemas.class, QualifiedConsumer.class)
                .run(context -> {
                    assertThat(context.getBeansOfType(Settings.class)).containsOnlyKeys("botSettings", "musicSettings");
                    Consumer consumer = context.getBean(Consumer.class);
                    consumer.bot().set(PREFIX, ScopeId.guild(GUILD), "?");
                    consumer.music().set(VOLUME, ScopeId.guild(GUILD), 80);
                    assertThat(consumer.bot().get(PREFIX, GUILD)).contains("?");
                    assertThat(consumer.music().get(VOLUME, GUILD)).contains(80);
                    assertThat(context.getBean(ConfigStore.class).declarations())
                            .extracting(declared -> declared.name())
                            .contains("bot", "music");
                });
    }

    @Test
    void anApplicationsOwnSettingsBeanKeepsConfigstoreFromAddingAny() {
        onSqlite()
                .withUserConfiguration(OneSchema.class)
                .withBean("mySettings", Settings.class, () -> proxy(Settings.class, Map.of()))
                .run(context -> assertThat(context).doesNotHaveBean("botSchemaSettings"));
    }

    /** A DataSource whose connections say they are on the given database, and do nothing else. */
    static DataSource dataSourceOn(String product, String version) {
        DatabaseMetaData metaData = proxy(
                DatabaseMetaData.class,
                Map.of("getDatabaseProductName", product, "getDatabaseProductVersion", version));
        Connection connection = proxy(Connection.class, Map.of("getMetaData", metaData));
        return proxy(DataSource.class, Map.of("getConnection", connection));
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            Object answer = answers.get(method.getName());
            if (answer != null) {
                return answer;
            }
            if (method.getName().equals("close")) {
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
