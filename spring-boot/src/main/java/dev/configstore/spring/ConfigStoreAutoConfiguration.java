package dev.configstore.spring;

import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.LoggingStore;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.micrometer.ConfigStoreMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Configures configstore in a Spring Boot application, unless {@code configstore.enabled=false}:
 *
 * <ul>
 *   <li>a {@link ConfigStore} bean, on the SQLite file {@code configstore.sqlite.path} names or
 *       else on the application's {@code DataSource} (PostgreSQL or MariaDB), closed when the
 *       application stops; none if the application defines its own, which the other beans then
 *       use;
 *   <li>its {@link LoggingStore}, {@link FlaggerStore} and {@link GuildConfig};
 *   <li>a {@code Settings} bean for each {@code SettingsSchema} bean, named after it with {@code
 *       Settings} appended;
 *   <li>with Micrometer, a {@link ConfigStoreMetrics} meter binder, which Spring Boot binds to the
 *       application's meter registry;
 *   <li>with Spring Boot's health module (Actuator), a health indicator named {@code configstore}.
 * </ul>
 *
 * <p>The application fails to start, with a message saying what to set, when there is neither a
 * SQLite path nor a DataSource, when the DataSource's database is not one configstore runs on,
 * when its configstore module is missing, or when a property's value is refused.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(prefix = "configstore", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ConfigStoreProperties.class)
public final class ConfigStoreAutoConfiguration {

    /** Created by Spring. */
    ConfigStoreAutoConfiguration() {}

    /**
     * The store the properties describe.
     *
     * @param properties the {@code configstore.*} properties
     * @param dataSource the application's DataSource, used when no SQLite path is set
     * @param resourceLoader where the database modules are looked for
     * @param beans where the DataSource's bean is recorded as one the store depends on
     * @return the open store, closed when the application context is
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ConfigStore configStore(
            ConfigStoreProperties properties,
            ObjectProvider<DataSource> dataSource,
            ResourceLoader resourceLoader,
            ConfigurableListableBeanFactory beans) {
        DataSource chosen = properties.getSqlite().getPath() == null ? dataSource.getIfUnique() : null;
        if (chosen != null) {
            // Found through a provider, the DataSource is not known as a dependency: without this
            // it could be closed at shutdown before the store, under its change feed.
            beans.getBeansOfType(DataSource.class).forEach((name, candidate) -> {
                if (candidate == chosen) {
                    beans.registerDependentBean(name, "configStore");
                }
            });
        }
        return StoreOpener.open(properties, chosen, resourceLoader.getClassLoader());
    }

    /**
     * The store's logging-channel facade.
     *
     * @param store the store
     * @return its {@link ConfigStore#loggingStore()}
     */
    @Bean
    @ConditionalOnMissingBean
    LoggingStore loggingStore(ConfigStore store) {
        return store.loggingStore();
    }

    /**
     * The store's flagger facade.
     *
     * @param store the store
     * @return its {@link ConfigStore#flaggerStore()}
     */
    @Bean
    @ConditionalOnMissingBean
    FlaggerStore flaggerStore(ConfigStore store) {
        return store.flaggerStore();
    }

    /**
     * The store's per-guild settings facade.
     *
     * @param store the store
     * @return its {@link ConfigStore#guildConfig()}
     */
    @Bean
    @ConditionalOnMissingBean
    GuildConfig guildConfig(ConfigStore store) {
        return store.guildConfig();
    }

    /**
     * Registers a {@code Settings} bean for each {@code SettingsSchema} bean.
     *
     * @param environment where {@code configstore.settings.application} is read
     * @return the registrar
     */
    @Bean
    static SettingsRegistrar configStoreSettingsRegistrar(Environment environment) {
        return new SettingsRegistrar(environment);
    }

    /** The store's meters, when the application has Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, ConfigStoreMetrics.class})
    static final class Metrics {

        Metrics() {}

        @Bean
        @ConditionalOnMissingBean
        ConfigStoreMetrics configStoreMetrics(ConfigStore store) {
            return new ConfigStoreMetrics(store);
        }
    }

    /** The store's health indicator, when the application has Spring Boot's health module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("configstore")
    static final class HealthContributor {

        HealthContributor() {}

        @Bean
        @ConditionalOnMissingBean(name = "configstoreHealthIndicator")
        HealthIndicator configstoreHealthIndicator(ConfigStore store, ConfigStoreProperties properties) {
            return new ConfigStoreHealthIndicator(store, properties.getHealth().getTimeout());
        }
    }
}
