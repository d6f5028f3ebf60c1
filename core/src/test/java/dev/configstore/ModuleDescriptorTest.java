package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins what the core module exposes, so that widening the API is a deliberate act. */
class ModuleDescriptorTest {

    private static Path classesDirectory() throws Exception {
        return Path.of(CachedKeyValueStore.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    private static ModuleDescriptor descriptor() throws Exception {
        try (InputStream in = Files.newInputStream(classesDirectory().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theModuleIsNamedDevConfigstore() throws Exception {
        assertThat(descriptor().name()).isEqualTo("dev.configstore");
    }

    @Test
    void exactlyTheApiPackagesAreExportedToAllAndTheInternalsOnlyToConfigstoresModules() throws Exception {
        ModuleDescriptor descriptor = descriptor();

        Set<String> exported = descriptor.exports().stream()
                .filter(exports -> !exports.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        Set<String> qualified = descriptor.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .map(exports -> exports.source() + " to " + new TreeSet<>(exports.targets()))
                .collect(Collectors.toSet());

        assertThat(exported).containsExactlyInAnyOrder("dev.configstore", "dev.configstore.spi");
        assertThat(qualified)
                .containsExactly(
                        "dev.configstore.internal to [dev.configstore.guild, dev.configstore.jdbc, dev.configstore.mysql, dev.configstore.postgres,"
                                + " dev.configstore.sqlite]");
        assertThat(classesDirectory().resolve("dev/configstore/internal")).isDirectory();
        assertThat(exported).doesNotContain("dev.configstore.internal");
        assertThat(descriptor.opens()).isEmpty();
    }

    @Test
    void itNeedsOnlyCaffeineSlf4jAndJspecify() throws Exception {
        Set<String> required = descriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.equals("java.base"))
                .collect(Collectors.toSet());

        assertThat(required).containsExactlyInAnyOrder("com.github.benmanes.caffeine", "org.slf4j", "org.jspecify");
    }
}
