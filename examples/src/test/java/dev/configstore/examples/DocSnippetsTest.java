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
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * How many Java blocks each file holds. Pinned, so that a block that stops being recognised
     * (and so stops being compiled) fails this test instead of vanishing from it.
     */
    private static final Map<String, Integer> JAVA_BLOCKS = Map.ofEntries(
            Map.entry("README.md", 1),
            Map.entry("docs/audit.md", 1),
            Map.entry("docs/guild.md", 2),
            Map.entry("docs/health.md", 1),
            Map.entry("docs/index.md", 2),
            Map.entry("docs/metrics.md", 1),
            Map.entry("docs/mysql.md", 1),
            Map.entry("docs/postgres.md", 1),
            Map.entry("docs/settings.md", 4),
            Map.entry("docs/sqlite.md", 1),
            Map.entry("docs/testing-a-backend.md", 1));

    /** An opening or closing code fence: three or more backticks or tildes, then an info string. */
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})(.*)$");

    private static final String IMPORTS = """
            import dev.configstore.*;
            import dev.configstore.examples.bot.*;
            import dev.configstore.guild.*;
            import dev.configstore.jdbc.*;
            import dev.configstore.micrometer.*;
            import dev.configstore.mysql.*;
            import dev.configstore.postgres.*;
            import dev.configstore.settings.*;
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

    /** What the Markdown files hold: the Java blocks to compile, and fences that would escape it. */
    private record Blocks(List<Snippet> snippets, List<String> problems) {}

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /**
     * Reads every fenced block, with backticks or tildes, at any indentation. A block whose info
     * string is exactly {@code java} is compiled; one whose language is Java spelled otherwise
     * ({@code Java}, {@code java title="x"}) would be shown as Java and not compiled, so it is a
     * problem, as is a fence left open.
     */
    private static Blocks blocks() throws IOException {
        Blocks blocks = new Blocks(new ArrayList<>(), new ArrayList<>());
        for (Path path : markdownFiles()) {
            scan(
                    ROOT.relativize(path).toString().replace('\\', '/'),
                    Files.readAllLines(path, StandardCharsets.UTF_8),
                    blocks);
        }
        return blocks;
    }

    private static void scan(String file, List<String> lines, Blocks blocks) {
        String fence = null;
        int opened = 0;
        List<String> code = null;
        int number = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher line = FENCE.matcher(lines.get(i));
            if (fence == null) {
                if (!line.matches()) {
                    continue;
                }
                fence = line.group(1);
                opened = i + 1;
                String info = line.group(2).strip();
                code = info.equals("java") ? new ArrayList<>() : null;
                if (code == null && language(info).equalsIgnoreCase("java")) {
                    blocks.problems()
                            .add(file + ":" + opened + ": the fence's info string \"" + info
                                    + "\" is not exactly \"java\", so the block would not be compiled");
                }
            } else if (line.matches()
                    && line.group(1).charAt(0) == fence.charAt(0)
                    && line.group(1).length() >= fence.length()
                    && line.group(2).isBlank()) {
                if (code != null) {
                    // Joined without a last newline, so that stripIndent() removes the indentation
                    // of a block in a list item.
                    blocks.snippets()
                            .add(new Snippet(
                                    file, ++number, String.join("\n", code).stripIndent()));
                }
                fence = null;
            } else if (code != null) {
                code.add(lines.get(i));
            }
        }
        if (fence != null) {
            blocks.problems().add(file + ":" + opened + ": the fence opened here is never closed");
        }
    }

    /** The language an info string names: its leading letters. */
    private static String language(String info) {
        int end = 0;
        while (end < info.length() && Character.isLetter(info.charAt(end))) {
            end++;
        }
        return info.substring(0, end);
    }

    private static List<Snippet> snippets() throws IOException {
        return blocks().snippets();
    }

    @Test
    void noBlockEscapesCompilation() throws IOException {
        assertThat(blocks().problems()).isEmpty();
    }

    @Test
    void theScanFindsEveryJavaBlockAndEveryFenceThatWouldEscapeIt() {
        Blocks blocks = new Blocks(new ArrayList<>(), new ArrayList<>());

        scan(
                "sample.md",
                List.of(
                        "```java",
                        "int a = 1;",
                        "```",
                        "1. A step:",
                        "   ~~~java",
                        "   int b = 2;",
                        "   ~~~",
                        "````",
                        "```java",
                        "not code: inside a longer fence",
                        "````",
                        "```Java",
                        "```",
                        "~~~java title=\"x\"",
                        "~~~",
                        "```javascript",
                        "```",
                        "```java",
                        "int c = 3;"),
                blocks);

        assertThat(blocks.snippets()).extracting(Snippet::code).containsExactly("int a = 1;", "int b = 2;");
        assertThat(blocks.problems())
                .containsExactly(
                        "sample.md:12: the fence's info string \"Java\" is not exactly \"java\", so the block would"
                                + " not be compiled",
                        "sample.md:14: the fence's info string \"java title=\"x\"\" is not exactly \"java\", so the"
                                + " block would not be compiled",
                        "sample.md:18: the fence opened here is never closed");
    }

    @Test
    void everyFileHasTheJavaBlocksItIsKnownToHave() throws IOException {
        Map<String, Integer> found = new TreeMap<>();
        snippets().forEach(snippet -> found.merge(snippet.file(), 1, Integer::sum));

        assertThat(found).isEqualTo(new TreeMap<>(JAVA_BLOCKS));
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
