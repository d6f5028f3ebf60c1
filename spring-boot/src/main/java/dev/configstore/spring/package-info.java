/**
 * Spring Boot auto-configuration for configstore: a {@code ConfigStore} bean on the database the
 * {@code configstore.*} properties name, its facades, a {@code Settings} bean for each declared
 * {@code SettingsSchema}, its Micrometer meters and an Actuator health indicator. See {@link
 * dev.configstore.spring.ConfigStoreAutoConfiguration} and {@link
 * dev.configstore.spring.ConfigStoreProperties}.
 */
@NullMarked
package dev.configstore.spring;

import org.jspecify.annotations.NullMarked;
