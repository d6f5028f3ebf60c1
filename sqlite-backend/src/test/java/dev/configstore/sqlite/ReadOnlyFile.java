package dev.configstore.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A file made read-only for this process: by its mode, or, for root, which ignores modes, by the
 * immutable attribute where the file system has one.
 */
record ReadOnlyFile(Path file, Set<PosixFilePermission> mode, boolean immutable) implements AutoCloseable {

    /** Makes {@code file} read-only; empty if neither way works here. */
    static Optional<ReadOnlyFile> make(Path file) throws IOException {
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

    /** Makes the file writable again. */
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
