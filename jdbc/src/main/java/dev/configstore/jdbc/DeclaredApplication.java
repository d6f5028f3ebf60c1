package dev.configstore.jdbc;

import dev.configstore.jdbc.internal.JdbcDeclarations;
import dev.configstore.settings.SettingDeclaration;
import java.util.List;

/**
 * One application's declared settings as the database records them ({@link
 * ConfigStore#declarations()}).
 *
 * @param name the application's name, as given to {@link ConfigStore#settings(String,
 *     dev.configstore.settings.SettingsSchema)}
 * @param version the version of its declarations: 1 when first recorded, one more at each change
 * @param settings its declarations, in the order it declared them
 */
public record DeclaredApplication(String name, long version, List<SettingDeclaration> settings) {

    /**
     * Copies the declarations.
     *
     * @param name the application's name
     * @param version the version of its declarations
     * @param settings its declarations
     * @throws IllegalArgumentException if {@code settings} is null, or {@code name} is not 1 to 64
     *     letters, digits, {@code _}, {@code .} or {@code -} starting with a letter or digit
     */
    public DeclaredApplication {
        JdbcDeclarations.requireApplication(name);
        if (settings == null) {
            throw new IllegalArgumentException("an application's settings must not be null");
        }
        settings = List.copyOf(settings);
    }
}
