package dev.configstore.spring;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers a {@link Settings} bean for each {@link SettingsSchema} bean, named after it with
 * {@code Settings} appended and qualified by the schema bean's name. With one schema, its
 * settings are stored under {@code configstore.settings.application}; with several, each under its
 * schema bean's name, so that they never share one application's declarations. Registers none if
 * the application defines a {@code Settings} bean of its own.
 */
final class SettingsRegistrar implements BeanDefinitionRegistryPostProcessor {

    static final String APPLICATION_PROPERTY = "configstore.settings.application";

    private final Environment environment;

    SettingsRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ListableBeanFactory beans) || !(registry instanceof BeanFactory factory)) {
            return;
        }
        String[] schemas = beans.getBeanNamesForType(SettingsSchema.class, true, false);
        if (schemas.length == 0 || beans.getBeanNamesForType(Settings.class, true, false).length > 0) {
            return;
        }
        String single = Binder.get(environment)
                .bind(APPLICATION_PROPERTY, String.class)
                .orElse(ConfigStore.DEFAULT_APPLICATION);
        for (String schema : schemas) {
            String application = schemas.length == 1 ? single : schema;
            RootBeanDefinition definition = new RootBeanDefinition(
                    Settings.class,
                    () -> factory.getBean(ConfigStore.class)
                            .settings(application, factory.getBean(schema, SettingsSchema.class)));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, schema));
            definition.setDependsOn(schema);
            registry.registerBeanDefinition(schema + "Settings", definition);
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}
}
