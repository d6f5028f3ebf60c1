package dev.configstore.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests of real faults need from the machine: root (to mount a small tmpfs and set the
 * immutable attribute) and a C compiler (for the fault injector). Without them those tests are
 * skipped, saying why; with {@code CONFIGSTORE_REQUIRE_REAL_FAULTS=1} (as in CI) they fail.
 */
final class RealFaults {

    static final String REQUIRE = "CONFIGSTORE_REQUIRE_REAL_FAULTS";

    private RealFaults() {}

    /** Skips (or, when required, fails) the calling test unless real faults can be made here. */
    static void assumeAvailable() {
        String missing = missing();
        if (missing == null) {
            return;
        }
        String message = "Real-fault tests need " + missing + ". Run them as root on Linux with gcc installed"
                + " (apt-get install -y gcc e2fsprogs).";
        String required = System.getenv(REQUIRE);
        if (required != null
                && List.of("1", "true", "yes").contains(required.trim().toLowerCase(Locale.ROOT))) {
            throw new AssertionError(message + " " + REQUIRE + " is set, so this is a failure, not a skip.");
        }
        Assumptions.abort(message + " Set " + REQUIRE + "=1 to make this a failure.");
    }

    private static @Nullable String missing() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "Linux";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "root (to mount a tmpfs and set the immutable attribute)";
        }
        for (String tool : List.of("gcc", "chattr", "mount", "umount")) {
            if (!onPath(tool)) {
                return "the " + tool + " command";
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(":", -1)) {
            if (Files.isExecutable(Path.of(folder, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, failing with its output if it does not exit 0. */
    static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
    }

    /** Compiles the fault injector into {@code folder} and returns the shared library. */
    static Path compileFaultInjector(Path folder) throws IOException, InterruptedException {
        Path source = folder.resolve("faultshim.c");
        try (InputStream in = RealFaults.class.getResourceAsStream("faultshim.c")) {
            if (in == null) {
                throw new IOException("faultshim.c is missing from the test resources");
            }
            Files.copy(in, source);
        }
        Path library = folder.resolve("faultshim.so");
        run("gcc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", library.toString(), source.toString(), "-ldl");
        return library;
    }

    /** A tmpfs of {@code kilobytes} mounted on a new folder; closing unmounts it. */
    static final class Tmpfs implements AutoCloseable {
        final Path folder;

        Tmpfs(Path folder, int kilobytes) throws IOException, InterruptedException {
            this.folder = Files.createDirectories(folder);
            run("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs", folder.toString());
        }

        /** Writes a file until the file system is full; returns it. */
        Path fill() throws IOException {
            Path filler = folder.resolve("filler");
            byte[] block = new byte[4096];
            try (var out = Files.newOutputStream(filler)) {
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("No space left")) {
                    throw e;
                }
            }
            return filler;
        }

        @Override
        public void close() throws IOException {
            try {
                run("umount", "-l", folder.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unmounting " + folder, e);
            }
        }
    }
}
