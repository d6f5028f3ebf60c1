package dev.configstore.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server of the test's own, made from the machine's server binaries and run as the
 * {@code postgres} OS user: a data folder under {@code target/}, a free port, 127.0.0.1 only, no
 * Unix socket. A primary is made with {@code initdb}, a standby of it with {@code pg_basebackup
 * -R} (streaming replication, asynchronous unless the primary names it synchronous). Needs root
 * (to run the server as {@code postgres}) and the binaries ({@code pg_config --bindir}, or the
 * newest {@code /usr/lib/postgresql/N/bin}). Folders above the data folder that other users may
 * not pass through (a build in a private temporary folder) are opened to passing through (not
 * listing) while the servers run, and given their permissions back afterwards.
 */
final class LocalPostgres implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    final Path data;
    final int port;
    private boolean running;

    private LocalPostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** Why servers cannot be made here, or null if they can. */
    static @Nullable String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the tests must run as root, to run the servers as the postgres OS user (they run as "
                    + System.getProperty("user.name") + ")";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/usr/bin/runuser"))) {
            return "runuser (util-linux) is not installed";
        }
        Path bin = binaries();
        if (bin == null) {
            return "no PostgreSQL server binaries were found (pg_config --bindir, /usr/lib/postgresql/N/bin);"
                    + " install them, for example: apt-get install postgresql";
        }
        try {
            run(List.of("id", "-u", "postgres"));
        } catch (IOException e) {
            return "there is no postgres OS user to run the servers as";
        }
        return null;
    }

    /** The folder holding {@code initdb}, {@code postgres} and {@code pg_ctl}, or null. */
    static @Nullable Path binaries() {
        List<Path> candidates = new ArrayList<>();
        try {
            candidates.add(Path.of(run(List.of("pg_config", "--bindir")).trim()));
        } catch (IOException | RuntimeException e) {
            // pg_config comes with libpq-dev, which a server alone does not need: look for the server.
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(Comparator.comparing(LocalPostgres::majorVersion).reversed())
                    .forEach(version -> candidates.add(version.resolve("bin")));
        } catch (IOException e) {
            // Not installed there.
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate.resolve("initdb"))
                    && Files.isExecutable(candidate.resolve("pg_ctl"))
                    && Files.isExecutable(candidate.resolve("pg_basebackup"))) {
                return candidate;
            }
        }
        return null;
    }

    private static int majorVersion(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Makes and starts a new primary in {@code data} (which must not exist). */
    static LocalPostgres primary(Path data) throws IOException {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException(unavailable());
        }
        LocalPostgres server = new LocalPostgres(bin, data, freePort());
        server.ownedFolder();
        server.asPostgres(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync"));
        server.configure();
        server.start();
        return server;
    }

    /** Makes and starts a streaming standby of this server in {@code data}. */
    LocalPostgres standby(Path data) throws IOException {
        LocalPostgres standby = new LocalPostgres(bin, data, freePort());
        standby.ownedFolder();
        standby.asPostgres(List.of(
                bin.resolve("pg_basebackup").toString(),
                "-D",
                data.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                "postgres",
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync"));
        standby.configure();
        standby.start();
        return standby;
    }

    /**
     * Folders above a data folder that the {@code postgres} user could not pass through, and the
     * permissions they had (a build in a private temporary folder, as {@code mktemp -d} makes).
     */
    private static final Map<Path, Set<PosixFilePermission>> OPENED = new LinkedHashMap<>();

    /** Lets every user pass through (not list) the folders above {@code folder}, until {@link #restoreFolders}. */
    private static synchronized void allowPassingTo(Path folder) throws IOException {
        for (Path parent = folder.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(parent);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                OPENED.putIfAbsent(parent, Set.copyOf(permissions));
                Set<PosixFilePermission> opened = EnumSet.copyOf(permissions);
                opened.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(parent, opened);
            }
        }
    }

    /** Gives the folders {@link #allowPassingTo} opened their permissions back; once the servers are stopped. */
    static synchronized void restoreFolders() throws IOException {
        for (Map.Entry<Path, Set<PosixFilePermission>> folder : OPENED.entrySet()) {
            if (Files.isDirectory(folder.getKey())) {
                Files.setPosixFilePermissions(folder.getKey(), folder.getValue());
            }
        }
        OPENED.clear();
    }

    private void ownedFolder() throws IOException {
        Files.createDirectories(data);
        allowPassingTo(data);
        run(List.of("chown", "postgres:", data.toString()));
        run(List.of("chmod", "700", data.toString()));
    }

    /** Settings of every server: its own port, TCP on 127.0.0.1 only, quick shutdown of standbys' connections. */
    private void configure() throws IOException {
        String settings = "\n# configstore failover test\n"
                + "listen_addresses = '127.0.0.1'\n"
                + "port = " + port + "\n"
                + "unix_socket_directories = ''\n"
                + "max_connections = 60\n"
                + "shared_buffers = 32MB\n"
                + "wal_level = replica\n"
                + "max_wal_senders = 5\n"
                + "hot_standby = on\n"
                + "logging_collector = off\n";
        Path conf = data.resolve("postgresql.conf");
        asPostgres(List.of("sh", "-c", "cat >> '" + conf + "'"), settings);
    }

    void start() throws IOException {
        asPostgres(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                data.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "start"));
        running = true;
    }

    /** Promotes a standby and waits until it accepts writes. */
    void promote() throws IOException {
        asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote"));
    }

    /**
     * Kills the server's postmaster and every process it started with SIGKILL, as a crash of its
     * machine would, except that the data folder's files keep what was written to them.
     */
    void crash() throws IOException {
        long postmaster = postmasterPid();
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster + " for " + data));
        List<ProcessHandle> children = handle.children().toList();
        handle.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        running = false;
    }

    /** Stops (SIGSTOP) the process sending WAL to the standby, so that it sends nothing more; it dies with the server. */
    long freezeWalSender() throws IOException, SQLException {
        long pid;
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pid FROM pg_stat_replication")) {
            if (!row.next()) {
                throw new IllegalStateException("no standby is connected to " + this);
            }
            pid = row.getLong(1);
        }
        run(List.of("kill", "-STOP", Long.toString(pid)));
        return pid;
    }

    /** The next transaction id the server will hand out ({@code xmax} of a new snapshot). */
    long nextTransactionId() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            row.next();
            return Long.parseLong(row.getString(1));
        }
    }

    /** Makes every commit wait until a standby has flushed it ({@code synchronous_standby_names = '*'}). */
    void requireSynchronousStandby() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
            statement.execute("ALTER SYSTEM SET synchronous_commit = 'on'");
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /** Waits until a standby streams from this primary, and (if {@code synchronous}) is its synchronous one. */
    void awaitStandby(boolean synchronous) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String query = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                + (synchronous ? " AND sync_state = 'sync'" : "");
        while (true) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(query)) {
                if (row.next() && row.getInt(1) > 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no standby streams from " + this + " after 60 s; see " + data.resolve("server.log"));
            }
            // Polling a server's state until it is reached; nothing here races with the code tested.
            Thread.sleep(50);
        }
    }

    long postmasterPid() throws IOException {
        List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        return Long.parseLong(lines.get(0).trim());
    }

    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + hostAndPort() + "/postgres?user=postgres");
    }

    @Override
    public void close() throws IOException {
        if (running) {
            running = false;
            try {
                asPostgres(List.of(
                        bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            } catch (IOException e) {
                // Already gone (crashed, or stopped by the test).
            }
        }
    }

    /** Removes the data folder; for a test that passed. */
    void delete() throws IOException {
        run(List.of("rm", "-rf", data.toString()));
    }

    @Override
    public String toString() {
        return "the PostgreSQL server on " + hostAndPort() + " (" + data + ")";
    }

    private void asPostgres(List<String> command) throws IOException {
        asPostgres(command, null);
    }

    private void asPostgres(List<String> command, @Nullable String input) throws IOException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        run(full, input);
    }

    private static String run(List<String> command) throws IOException {
        return run(command, null);
    }

    private static String run(List<String> command, @Nullable String input) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .directory(Path.of("/").toFile())
                .start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS
                        + " s: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", command) + " failed with exit code " + process.exitValue() + ": " + output.trim());
        }
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
