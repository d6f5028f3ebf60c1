package dev.configstore.reliability;

import java.util.List;

/**
 * One kind of fault the nemesis injects during a run. To add a kind (a full disk, an immutable
 * file, a failing {@code fsync}), implement this and list it in {@link #all()}: the nemesis takes
 * turns among the kinds that apply to the run's database, and the run's report counts each by
 * {@link #name()}.
 */
interface Fault {

    /** A short name for reports, such as {@code kill-worker}. */
    String name();

    /** Whether this fault can happen to the given database. */
    boolean appliesTo(Target target);

    /**
     * Injects the fault once, and undoes it if it is not undone by itself (a killed worker is
     * replaced), before returning.
     *
     * @return what was done, for the run's log
     * @throws Exception if the fault could not be injected; the run fails
     */
    String inject(Run run) throws Exception;

    /** Every kind of fault there is. */
    static List<Fault> all() {
        return List.of(new KillWorker(), new KillPostgresConnections(), new ShellWriter(), new ImmutableFiles());
    }

    /** What a fault may act on during a run. */
    interface Run {
        Target target();

        /** A random number below {@code bound}, from the run's seeded generator. */
        int random(int bound);

        /** Kills a worker chosen at random with SIGKILL, and starts a new one in its place. */
        String killAndReplaceWorker() throws Exception;

        /**
         * Runs a write made outside Java with the database's shell, recording it in the history.
         *
         * @param key the key
         * @param value the value, or null to remove
         * @param command the shell command that makes the write
         * @return whether the shell reported success
         */
        boolean recordShellWrite(String key, @org.jspecify.annotations.Nullable String value, List<String> command)
                throws Exception;

        /** The keys the workers use. */
        List<String> keys();

        /** A value no other write of the run uses. */
        String uniqueShellValue();
    }

    /** SIGKILL of a worker process, which is then replaced by a new one. */
    final class KillWorker implements Fault {
        @Override
        public String name() {
            return "kill-worker";
        }

        @Override
        public boolean appliesTo(Target target) {
            return true;
        }

        @Override
        public String inject(Run run) throws Exception {
            return run.killAndReplaceWorker();
        }
    }

    /** {@code pg_terminate_backend} of one, or all, of the workers' server connections. */
    final class KillPostgresConnections implements Fault {
        @Override
        public String name() {
            return "kill-pg-connections";
        }

        @Override
        public boolean appliesTo(Target target) {
            return target instanceof PostgresTarget;
        }

        @Override
        public String inject(Run run) {
            boolean all = run.random(3) == 0;
            int ended = ((PostgresTarget) run.target()).terminateWorkerConnections(all);
            return "ended " + ended + (all ? " (all)" : " (one at random)") + " of the workers' server connections";
        }
    }

    /**
     * One to three writes with the {@code sqlite3} or {@code psql} shell; left out where that
     * shell is not installed.
     */
    final class ShellWriter implements Fault {
        @Override
        public String name() {
            return "shell-write";
        }

        @Override
        public boolean appliesTo(Target target) {
            return target.shellAvailable();
        }

        @Override
        public String inject(Run run) throws Exception {
            int writes = 1 + run.random(3);
            int succeeded = 0;
            for (int i = 0; i < writes; i++) {
                String key = run.keys().get(run.random(run.keys().size()));
                String value = run.random(4) == 0 ? null : run.uniqueShellValue();
                if (run.recordShellWrite(key, value, run.target().shellWrite(key, value, run.random(2)))) {
                    succeeded++;
                }
            }
            return succeeded + " of " + writes + " shell writes succeeded";
        }
    }

    /**
     * The SQLite file and its {@code -wal} made immutable ({@code chattr +i}) for a moment under
     * the running workers, then writable again: their writes meanwhile fail, and none of them may
     * ever be read. Needs root and {@code chattr}; left out elsewhere.
     *
     * <p>The {@code -shm} index stays writable: SQLite maps it into memory, and on Linux a write
     * to a shared mapping of an immutable file (a page the kernel has written back, or one a new
     * process touches first) kills the process with {@code SIGBUS} inside SQLite, where no Java
     * code can catch it. That is a killed worker, which {@link KillWorker} already covers; left
     * in, it made a worker die on its own at a random moment of the run.
     */
    final class ImmutableFiles implements Fault {
        @Override
        public String name() {
            return "immutable-files";
        }

        @Override
        public boolean appliesTo(Target target) {
            return target instanceof SqliteTarget
                    && "root".equals(System.getProperty("user.name"))
                    && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/chattr"));
        }

        @Override
        public String inject(Run run) throws Exception {
            java.nio.file.Path file = ((SqliteTarget) run.target()).file();
            List<String> paths = List.of(
                    file.toString(),
                    file.resolveSibling(file.getFileName() + "-wal").toString());
            long millis = 50L + run.random(250);
            chattr("+i", paths);
            try {
                // How long the fault lasts: the workers keep running against the immutable files.
                Thread.sleep(millis);
            } finally {
                chattr("-i", paths);
            }
            return "made the database's files immutable for " + millis + " ms";
        }

        private static void chattr(String flag, List<String> paths) throws Exception {
            List<String> command = new java.util.ArrayList<>(List.of("chattr", flag));
            for (String path : paths) {
                if (java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
                    command.add(path);
                }
            }
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new java.io.IOException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
