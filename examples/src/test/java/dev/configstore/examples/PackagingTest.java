package dev.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the build publishes, read from the poms: the BOM lists every published module and
 * nothing else, every published module has a module descriptor, and the README says which
 * modules are not published.
 */
class PackagingTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A module of the reactor, as its pom describes it. */
    private record Module(String folder, String artifactId, boolean published) {}

    private static List<Module> modules() throws Exception {
        List<Module> modules = new ArrayList<>();
        for (String folder : texts(pom(ROOT.resolve("pom.xml")), "modules", "module")) {
            Element pom = pom(ROOT.resolve(folder).resolve("pom.xml"));
            String packaging = text(pom, "packaging", "jar");
            boolean deploySkipped = children(pom, "properties").stream()
                    .anyMatch(properties -> "true".equals(text(properties, "maven.deploy.skip", "false")));
            modules.add(new Module(folder, text(pom, "artifactId", ""), packaging.equals("jar") && !deploySkipped));
        }
        return modules;
    }

    @Test
    void theBomManagesExactlyThePublishedModules() throws Exception {
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        TreeSet<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "version", "")).isEqualTo("${project.version}");
            managed.add(text(dependency, "groupId", "") + ":" + text(dependency, "artifactId", ""));
        }

        TreeSet<String> published = new TreeSet<>();
        modules().stream().filter(Module::published).forEach(m -> published.add("dev.configstore:" + m.artifactId()));

        assertThat(managed).isEqualTo(published);
        assertThat(published)
                .contains(
                        "dev.configstore:configstore-core",
                        "dev.configstore:configstore-sqlite",
                        "dev.configstore:configstore-testkit");
    }

    @Test
    void everyPublishedModuleHasAModuleDescriptorAndTheReadmeNamesTheOthers() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Map<String, Boolean> unpublished = new TreeMap<>();
        for (Module module : modules()) {
            boolean descriptor =
                    Files.isRegularFile(ROOT.resolve(module.folder()).resolve("src/main/java/module-info.java"));
            if (module.published()) {
                assertThat(descriptor)
                        .as("%s has a module-info.java", module.folder())
                        .isTrue();
            } else if (!module.artifactId().equals("configstore-bom")) {
                String row = readme.lines()
                        .filter(line -> line.startsWith("| `" + module.folder() + "/`"))
                        .findFirst()
                        .orElse("");
                unpublished.put(module.folder(), row.contains("not published"));
            }
        }

        assertThat(unpublished)
                .containsOnlyKeys("benchmarks", "examples", "reliability")
                .doesNotContainValue(false);
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(file.toFile())
                .getDocumentElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                children.add(element);
            }
        }
        return children;
    }

    private static Element child(Element parent, String name) {
        List<Element> children = children(parent, name);
        assertThat(children).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return children.get(0);
    }

    private static String text(Element parent, String name, String otherwise) {
        List<Element> children = children(parent, name);
        return children.isEmpty() ? otherwise : children.get(0).getTextContent().strip();
    }

    private static List<String> texts(Element parent, String list, String item) {
        return children(child(parent, list), item).stream()
                .map(element -> element.getTextContent().strip())
                .toList();
    }
}
