package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every write kind against every real fault, made where it really happens: a full tmpfs, the
 * immutable attribute, the database or its write-ahead log deleted or replaced under the running
 * store, and {@code write}/{@code pwrite}/{@code fsync} failing with ENOSPC, EIO or EROFS inside
 * a child JVM (a fault injector loaded with {@code LD_PRELOAD}, below SQLite). One invariant:
 * a write that returned is durable (a connection of the test's own sees it, and so does the store
 * once its entry expires, and a store opened afresh); a write that threw changed nothing (the
 * cache and the file hold what they held), or, when it says its outcome is unknown, the store
 * serves what the file holds; and once the fault is gone the same store writes again.
 *
 * <p>The matrix is written to {@code target/fault-matrix.md}.
 */
class RealFaultMatrixTest {

    private static final AtomicLong GENERATION = new AtomicLong();
    private static final List<String> ROWS = new ArrayList<>();

    @TempDir
    static Path shared;

    private static @Nullable Path injector;

    @TempDir
    Path folder;

    /** A real fault: made before a write, undone after it. */
    enum Fault {
        DISK_FULL("STORAGE_FULL"),
        IMMUTABLE_FILES("READ_ONLY"),
        DATABASE_DELETED("UNAVAILABLE"),
        DATABASE_REPLACED("UNAVAILABLE"),
        WAL_DELETED("UNAVAILABLE"),
        PWRITE_ENOSPC("STORAGE_FULL"),
        PWRITE_EIO("UNAVAILABLE"),
        PWRITE_EIO_AFTER_FIRST_FRAME("UNAVAILABLE"),
        PWRITE_EROFS("UNAVAILABLE READ_ONLY"),
        FSYNC_EIO("UNKNOWN");

        private final String allowedReasons;

        Fault(String allowedReasons) {
            this.allowedReasons = allowedReasons;
        }

        /** The reasons a write that this fault made fail may give. */
        Set<String> reasons() {
            return Set.of(allowedReasons.split(" ", -1));
        }

        boolean injected() {
            return name().startsWith("PWRITE") || this == FSYNC_EIO;
        }

        /** The injector's control line: operation, errno, calls to let through. */
        String control() {
            return switch (this) {
                case PWRITE_ENOSPC -> "pwrite 28 0";
                case PWRITE_EIO -> "pwrite 5 0";
                case PWRITE_EIO_AFTER_FIRST_FRAME -> "pwrite 5 1";
                case PWRITE_EROFS -> "pwrite 30 0";
                case FSYNC_EIO -> "sync 5 0";
                default -> throw new IllegalStateException(name() + " is not injected");
            };
        }

        /** With synchronous=FULL a commit syncs the write-ahead log; with NORMAL only a checkpoint does. */
        Synchronous synchronous() {
            return this == FSYNC_EIO ? Synchronous.FULL : Synchronous.NORMAL;
        }
    }

    @BeforeAll
    static void compileInjector() throws Exception {
        RealFaults.assumeAvailable();
        injector = RealFaults.compileFaultInjector(shared);
    }

    @AfterAll
    static void writeMatrix() throws IOException {
        if (ROWS.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("| fault | write kind | outcome | cache unchanged | database unchanged | recovered |");
        lines.add("|---|---|---|---|---|---|");
        synchronized (ROWS) {
            lines.addAll(ROWS);
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.write(target.resolve("fault-matrix.md"), lines, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aWriteThatReturnedIsDurableAndOneThatThrewChangedNothing(Fault fault) throws Exception {
        if (fault == Fault.DISK_FULL) {
            try (RealFaults.Tmpfs tmpfs = new RealFaults.Tmpfs(folder.resolve("tmpfs"), 2048)) {
                runMatrix(fault, tmpfs.folder, tmpfs);
            }
        } else {
            runMatrix(fault, Files.createDirectories(folder.resolve("db")), null);
        }
    }

    /**
     * Opening a store while {@code open} of the database, its log or its index fails: a clear
     * {@code StoreException} (no half-open store), the file's content unchanged, and the same
     * file opens once the fault is gone.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "bot.db, 5, UNAVAILABLE",
        "bot.db-wal, 5, UNAVAILABLE",
        "bot.db-shm, 5, UNAVAILABLE",
        // SQLite reports a failed open as "unable to open", without the errno; a disk that is
        // really full is told apart by its free space (FullDiskAtOpenTest), this one is not full.
        "bot.db-wal, 28, UNAVAILABLE",
        "bot.db-shm, 28, UNAVAILABLE"
    })
    void openingWhileOpenFailsIsAClearErrorAndChangesNothing(String suffix, int errno, String reason) throws Exception {
        Path databaseFolder = Files.createDirectories(folder.resolve("db"));
        Path file = databaseFolder.resolve("bot.db");
        try (FaultSubject first = new FaultSubject(file, Synchronous.NORMAL)) {
            first.values.put("kept", "old");
        }
        Path control = folder.resolve("control");
        Path injectionLog = folder.resolve("injected.log");
        Files.writeString(control, GENERATION.incrementAndGet() + " open " + errno + " 0 1000000 " + suffix + "\n");
        Map<String, String> environment = Map.of(
                "LD_PRELOAD", String.valueOf(injector),
                "FAULTSHIM_DIR", databaseFolder.toString(),
                "FAULTSHIM_CONTROL", control.toString(),
                "FAULTSHIM_LOG", injectionLog.toString());
        try (ChildJvm child = ChildJvm.start(environment, FaultSubject.class, file.toString(), "NORMAL")) {
            String answer = child.readLine();
            assertThat(answer).as("the store refused to open").startsWith("failed " + reason + " ");
            assertThat(answer).contains(file.toString());
            assertThat(child.waitForExit()).isZero();
        }
        assertThat(lines(injectionLog)).as("the injector failed an open").isPositive();
        assertThat(stored(file, "kept")).isEqualTo("old");
        Files.writeString(control, GENERATION.incrementAndGet() + " none 0 0 0 -\n");
        try (ChildJvm child = ChildJvm.start(environment, FaultSubject.class, file.toString(), "NORMAL")) {
            assertThat(child.readLine())
                    .as("the same file opens once the fault is gone")
                    .isEqualTo("ready");
            child.sendLine("quit");
            assertThat(child.waitForExit()).isZero();
        }
    }

    private static String stored(Path file, String key) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                var statement = connection.prepareStatement(
                        "SELECT value FROM configstore_kv WHERE namespace = ? AND key = ?")) {
            statement.setString(1, FaultSubject.NAMESPACE);
            statement.setString(2, key);
            try (var row = statement.executeQuery()) {
                return row.next() ? String.valueOf(row.getString(1)) : "-";
            }
        }
    }

    private void runMatrix(Fault fault, Path databaseFolder, RealFaults.@Nullable Tmpfs tmpfs) throws Exception {
        Path file = databaseFolder.resolve("bot.db");
        Path control = folder.resolve("control");
        Path injectionLog = folder.resolve("injected.log");
        Files.writeString(control, "0 none 0 0 0 -\n");
        Map<String, String> environment = fault.injected()
                ? Map.of(
                        "LD_PRELOAD", String.valueOf(injector),
                        "FAULTSHIM_DIR", databaseFolder.toString(),
                        "FAULTSHIM_CONTROL", control.toString(),
                        "FAULTSHIM_LOG", injectionLog.toString())
                : Map.of();
        SoftAssertions softly = new SoftAssertions();
        try (ChildJvm child = ChildJvm.start(
                environment,
                FaultSubject.class,
                file.toString(),
                fault.synchronous().name())) {
            child.awaitLine("ready");
            for (WriteKind kind : WriteKind.values()) {
                runCell(fault, kind, file, child, control, injectionLog, tmpfs, softly);
            }
            child.sendLine("quit");
            assertThat(child.waitForExit())
                    .as("the store process exits cleanly")
                    .isZero();
        }
        softly.assertAll();
    }

    private void runCell(
            Fault fault,
            WriteKind kind,
            Path file,
            ChildJvm child,
            Path control,
            Path injectionLog,
            RealFaults.@Nullable Tmpfs tmpfs,
            SoftAssertions softly)
            throws Exception {
        String cell = fault + " × " + kind + ": ";
        assertThat(ask(child, "prepare " + kind)).as(cell + "prepare").isEqualTo("ok");
        String storedBefore = stored(file, kind);
        Served servedBefore = served(child, kind);
        softly.assertThat(servedBefore.value)
                .as(cell + "the store served what the file held")
                .isEqualTo(storedBefore);
        long injectedBefore = lines(injectionLog);

        Undo undo = arm(fault, file, control, tmpfs);
        String outcome;
        try {
            outcome = ask(child, "write " + kind + " 1");
        } finally {
            undo.run();
        }

        String storedAfter = stored(file, kind);
        Served servedAfter = served(child, kind);
        String reason;
        String cacheUnchanged;
        String databaseUnchanged;
        if (outcome.equals("ok")) {
            reason = "returned";
            softly.assertThat(storedAfter)
                    .as(cell + "returned, so the file holds it")
                    .isEqualTo(kind.expected(1));
            softly.assertThat(servedAfter.value)
                    .as(cell + "returned, so the store serves it")
                    .isEqualTo(kind.expected(1));
            cacheUnchanged = "n/a";
            databaseUnchanged = "n/a";
            softly.fail(cell + "the fault did not make the write fail");
        } else {
            softly.assertThat(outcome).as(cell + "failed with a StoreException").startsWith("failed ");
            reason = outcome.split(" ", 3)[1];
            softly.assertThat(fault.reasons()).as(cell + outcome).contains(reason);
            if (reason.equals("UNKNOWN")) {
                softly.assertThat(storedAfter)
                        .as(cell + "the file holds the old or the new value")
                        .isIn(storedBefore, kind.expected(1));
                softly.assertThat(servedAfter.value)
                        .as(cell + "the store serves what the file holds")
                        .isEqualTo(storedAfter);
                cacheUnchanged = "dropped";
                databaseUnchanged = storedAfter.equals(storedBefore) ? "yes" : "no (applied)";
            } else {
                softly.assertThat(storedAfter)
                        .as(cell + "the file is unchanged")
                        .isEqualTo(storedBefore);
                softly.assertThat(servedAfter.value)
                        .as(cell + "the cache is unchanged")
                        .isEqualTo(servedBefore.value);
                // A change feed may drop entries meanwhile (a replaced file is a gap); the store may
                // read again, but must serve what it served.
                cacheUnchanged = servedAfter.value.equals(servedBefore.value) ? "yes" : "no";
                databaseUnchanged = storedAfter.equals(storedBefore) ? "yes" : "no";
            }
            softly.assertThat(outcome)
                    .as(cell + "the message says what to do")
                    .containsAnyOf("retry", "Retry", "restart", "Restart", "start again", "Free disk space");
        }
        if (fault.injected()) {
            softly.assertThat(lines(injectionLog))
                    .as(cell + "the injector failed a call")
                    .isGreaterThan(injectedBefore);
        }
        assertThat(ask(child, "expire " + kind)).isEqualTo("ok");
        softly.assertThat(served(child, kind).value)
                .as(cell + "after expiry the store reads the file")
                .isEqualTo(storedAfter);
        softly.assertThat(servedByNewStore(file, kind))
                .as(cell + "a store opened afresh reads the file")
                .isEqualTo(storedAfter);

        String again = ask(child, "write " + kind + " 2");
        String storedAgain = stored(file, kind);
        String servedAgain = served(child, kind).value;
        boolean recovered =
                again.equals("ok") && storedAgain.equals(kind.expected(2)) && servedAgain.equals(kind.expected(2));
        softly.assertThat(again)
                .as(cell + "the same store writes again once the fault is gone")
                .isEqualTo("ok");
        softly.assertThat(storedAgain)
                .as(cell + "the write after the fault is durable")
                .isEqualTo(kind.expected(2));
        softly.assertThat(servedAgain)
                .as(cell + "the write after the fault is served")
                .isEqualTo(kind.expected(2));
        synchronized (ROWS) {
            ROWS.add("| " + fault + " | " + kind + " | " + reason + " | " + cacheUnchanged + " | " + databaseUnchanged
                    + " | " + (recovered ? "yes" : "no") + " |");
        }
    }

    /** Makes the fault; the returned action undoes it. */
    private Undo arm(Fault fault, Path file, Path control, RealFaults.@Nullable Tmpfs tmpfs) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        Path shm = file.resolveSibling(file.getFileName() + "-shm");
        switch (fault) {
            case DISK_FULL -> {
                // An empty log, so the commit needs new space, which the filler leaves none of.
                checkpoint(file);
                Path filler = java.util.Objects.requireNonNull(tmpfs).fill();
                return () -> Files.delete(filler);
            }
            case IMMUTABLE_FILES -> {
                for (Path path : List.of(file, wal, shm)) {
                    RealFaults.run("chattr", "+i", path.toString());
                }
                return () -> {
                    for (Path path : List.of(file, wal, shm)) {
                        RealFaults.run("chattr", "-i", path.toString());
                    }
                };
            }
            case DATABASE_DELETED -> {
                Path moved = file.resolveSibling("moved.db");
                Files.move(file, moved);
                return () -> Files.move(moved, file);
            }
            case DATABASE_REPLACED -> {
                Path original = file.resolveSibling("original.db");
                Files.move(file, original);
                Files.copy(original, file);
                return () -> Files.move(original, file, StandardCopyOption.REPLACE_EXISTING);
            }
            case WAL_DELETED -> {
                Path link = file.resolveSibling("kept-wal");
                Files.createLink(link, wal);
                Files.delete(wal);
                return () -> Files.move(link, wal);
            }
            default -> {
                Files.writeString(control, GENERATION.incrementAndGet() + " " + fault.control() + " 1000000 -wal\n");
                return () -> Files.writeString(control, GENERATION.incrementAndGet() + " none 0 0 0 -\n");
            }
        }
    }

    private static void checkpoint(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private static String stored(Path file, WriteKind kind) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return kind.stored(connection);
        }
    }

    private static String servedByNewStore(Path file, WriteKind kind) {
        try (FaultSubject fresh = new FaultSubject(file, Synchronous.NORMAL)) {
            return kind.served(fresh);
        }
    }

    /** What the store served, and how often it had read the database by then. */
    private record Served(long loads, String value) {}

    private static Served served(ChildJvm child, WriteKind kind) throws IOException {
        String answer = ask(child, "served " + kind);
        if (!answer.startsWith("served ")) {
            throw new AssertionError(kind + ": reading failed: " + answer);
        }
        String[] parts = answer.split(" ", 3);
        return new Served(Long.parseLong(parts[1]), parts[2]);
    }

    private static String ask(ChildJvm child, String command) throws IOException {
        child.sendLine(command);
        String answer = child.readLine();
        if (answer == null) {
            throw new AssertionError("the store process exited while answering " + command);
        }
        return answer;
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    @FunctionalInterface
    private interface Undo {
        void run() throws Exception;
    }
}
