package dev.configstore.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A file made read-only for this process, for tests of what a file-based backend does when it
 * cannot write its file: by the file's mode, or, for root (which ignores modes), by the immutable
 * attribute where the file system has one. Closing it makes the file writable again.
 *
 * <pre>{@code
 * Optional<ReadOnlyFile> made = ReadOnlyFile.make(file);
 * Assumptions.assumeTrue(made.isPresent(), "this file system or user cannot make a file read-only");
 * try (ReadOnlyFile readOnly = made.get()) {
 *     // open the store, expect READ_ONLY
 * }
 * }</pre>
 */
public final class ReadOnlyFile implements AutoCloseable {

    private final Path file;
    private final Set<PosixFilePermission> mode;
    private final boolean immutable;

    private ReadOnlyFile(Path file, Set<PosixFilePermission> mode, boolean immutable) {
        this.file = file;
        this.mode = mode;
        this.immutable = immutable;
    }

    /**
     * Makes {@code file} read-only for this process.
     *
     * @param file an existing file on a file system with POSIX permissions
     * @return the read-only file, or empty if neither its mode nor the immutable attribute makes it
     *     read-only here (the file is then as it was)
     * @throws IOException if the file's permissions cannot be read or changed
     */
    public static Optional<ReadOnlyFile> make(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        if (!Files.isWritable(file)) {
            return Optional.of(new ReadOnlyFile(file, mode, false));
        }
        Files.setPosixFilePermissions(file, mode);
        if (chattr("+i", file) && !Files.isWritable(file)) {
            return Optional.of(new ReadOnlyFile(file, mode, true));
        }
        chattr("-i", file);
        return Optional.empty();
    }

    /**
     * Returns the file.
     *
     * @return the file made read-only
     */
    public Path file() {
        return file;
    }

    /**
     * Makes the file writable again, as it was before {@link #make}.
     *
     * @throws IOException if its permissions cannot be restored
     */
    @Override
    public void close() throws IOException {
        if (immutable) {
            chattr("-i", file);
        } else {
            Files.setPosixFilePermissions(file, mode);
        }
    }

    private static boolean chattr(String change, Path file) {
        try {
            Process chattr = new ProcessBuilder("chattr", change, file.toString())
                    .redirectErrorStream(true)
                    .start();
            chattr.getInputStream().readAllBytes();
            return chattr.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
