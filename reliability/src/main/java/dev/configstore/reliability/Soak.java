package dev.configstore.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The long run behind {@code reliability/soak.sh}: runs the workload with the nemesis on each
 * database in turn, prints each run's figures, and exits with 1 if any run found a violation.
 *
 * <p>Options: {@code --minutes N} (per database, default 10), {@code --database
 * sqlite|postgres|both} (default both), {@code --processes N} (4), {@code --threads N} (2),
 * {@code --keys N} (4), {@code --fault-pause-ms N} (mean pause between faults, 3000), {@code
 * --seed N}, {@code --folder PATH} (default {@code target/soak}).
 */
public final class Soak {

    private Soak() {}

    /**
     * Runs the soak.
     *
     * @param args see the class description
     * @throws Exception if a run cannot be carried out
     */
    public static void main(String[] args) throws Exception {
        double minutes = 10;
        String database = "both";
        int processes = 4;
        int threads = 2;
        int keys = 4;
        long faultPauseMillis = 3_000;
        long seed = System.nanoTime();
        Path folder = Path.of("target", "soak");
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(value);
                case "--database" -> database = value;
                case "--processes" -> processes = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--keys" -> keys = Integer.parseInt(value);
                case "--fault-pause-ms" -> faultPauseMillis = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--folder" -> folder = Path.of(value);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --minutes, --database, --processes, --threads, --keys, --fault-pause-ms, --seed,"
                            + " --folder");
            }
        }
        List<String> databases = switch (database) {
            case "both" -> List.of("sqlite", "postgres");
            case "sqlite", "postgres" -> List.of(database);
            default ->
                throw new IllegalArgumentException("--database must be sqlite, postgres or both, got " + database);
        };
        String stamp =
                LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        List<RunReport> reports = new ArrayList<>();
        for (String name : databases) {
            if (name.equals("postgres")) {
                String unavailable = PostgresTarget.unavailable();
                if (unavailable != null) {
                    System.err.println("No PostgreSQL server answers at " + PostgresTarget.shownUrl() + " ("
                            + unavailable + "). Start one, or set CONFIGSTORE_PG_URL.");
                    System.exit(2);
                }
            }
            WorkloadRun.Settings settings = new WorkloadRun.Settings(
                    processes,
                    threads,
                    keys,
                    Duration.ofMillis((long) (minutes * 60_000)),
                    true,
                    Duration.ofMillis(faultPauseMillis),
                    Duration.ofSeconds(30),
                    seed);
            Path runFolder = folder.resolve(name + "-" + stamp).toAbsolutePath();
            System.out.println("running " + name + " for " + settings.duration() + " in " + runFolder);
            System.out.flush();
            try (Target target = name.equals("sqlite") ? new SqliteTarget(runFolder) : new PostgresTarget(runFolder)) {
                RunReport report = new WorkloadRun(settings, target).run();
                reports.add(report);
                System.out.print(report.text());
                System.out.flush();
            }
        }
        boolean clean = reports.stream().allMatch(r -> r.result().violations().isEmpty());
        System.out.println(clean ? "no violations" : "VIOLATIONS FOUND");
        System.exit(clean ? 0 : 1);
    }
}
