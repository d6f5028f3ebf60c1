package dev.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java code block in the README and in {@code docs/} compiles against configstore as it is
 * now: blocks that declare types are compiled as they are, other blocks as the body of a method.
 * And the consumer project under {@code examples/consumer-it} runs the README's quick start
 * verbatim.
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\R(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import dev.configstore.*;
            import dev.configstore.guild.*;
            import dev.configstore.micrometer.*;
            import dev.configstore.postgres.*;
            import dev.configstore.spi.*;
            import dev.configstore.sqlite.*;
            import dev.configstore.testkit.*;
            import io.micrometer.core.instrument.MeterRegistry;
            import io.micrometer.core.instrument.Tags;
            import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            """;
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("^(?:final |public |abstract )*(?:class|interface|record|enum) ", Pattern.MULTILINE);

    private record Snippet(String file, int number, String code) {}

    private static List<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : files) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(file, StandardCharsets.UTF_8));
            int number = 0;
            while (block.find()) {
                snippets.add(new Snippet(
                        ROOT.relativize(file).toString(),
                        ++number,
                        block.group(1).stripIndent()));
            }
        }
        return snippets;
    }

    @Test
    void theDocumentationHasJavaBlocksToCheck() throws IOException {
        assertThat(snippets()).hasSizeGreaterThanOrEqualTo(6);
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
        return snippets().stream()
                .map(snippet -> DynamicTest.dynamicTest(
                        snippet.file() + " block " + snippet.number(), () -> assertCompiles(snippet)));
    }

    private static void assertCompiles(Snippet snippet) throws IOException {
        String name = "Snippet" + snippet.number();
        String source = TYPE_DECLARATION.matcher(snippet.code()).find()
                ? IMPORTS + snippet.code()
                : IMPORTS + "class " + name + " {\n void run() throws Exception {\n" + snippet.code() + "\n }\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path output = Files.createTempDirectory("snippet");
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaFileObject file =
                    new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    };
            boolean compiled = compiler.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of(
                                    "-classpath",
                                    System.getProperty("java.class.path"),
                                    "-d",
                                    output.toString(),
                                    "-proc:none"),
                            null,
                            List.of(file))
                    .call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                    .map(diagnostic -> "line " + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT))
                    .toList();
            assertThat(errors)
                    .as("%s block %d:%n%s", snippet.file(), snippet.number(), source)
                    .isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    @Test
    void theConsumerProjectRunsTheReadmeQuickStartVerbatim() throws IOException {
        String readme = snippets().stream()
                .filter(snippet -> snippet.file().equals("README.md"))
                .findFirst()
                .orElseThrow()
                .code();
        String consumer = Files.readString(ROOT.resolve("examples/consumer-it/src/main/java/example/QuickStart.java"));
        String quickStart = consumer.substring(
                consumer.indexOf("// BEGIN README QUICK START\n") + "// BEGIN README QUICK START\n".length(),
                consumer.indexOf("        // END README QUICK START"));

        assertThat(quickStart.stripTrailing().stripIndent()).isEqualTo(readme.strip());
    }
}
