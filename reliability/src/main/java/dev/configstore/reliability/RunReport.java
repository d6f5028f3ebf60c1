package dev.configstore.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one run and what the checker found.
 *
 * @param database {@code sqlite} or {@code postgres}
 * @param settings what the run did
 * @param bound the cross-process bound the checker allowed
 * @param processesStarted worker processes started, replacements included
 * @param kills workers killed with SIGKILL
 * @param faults faults injected, by kind
 * @param result what the checker found
 * @param took how long the run took, checking included
 * @param folder where the history, the logs and this report are
 */
record RunReport(
        String database,
        WorkloadRun.Settings settings,
        Duration bound,
        int processesStarted,
        int kills,
        Map<String, Integer> faults,
        CheckResult result,
        Duration took,
        Path folder) {

    /** Violations shown in full in the text; the rest are counted. */
    private static final int SHOWN = 20;

    String text() {
        StringBuilder text = new StringBuilder();
        Map<Op.Outcome, Long> writes = result.writes();
        text.append(String.format(
                Locale.ROOT,
                "database %s: %d processes at a time (%d started), %d threads each, %d keys, %s, nemesis %s%n",
                database,
                settings.processes(),
                processesStarted,
                settings.threads(),
                settings.keys(),
                settings.duration(),
                settings.nemesis() ? "on" : "off"));
        text.append(String.format(
                Locale.ROOT,
                "  operations %d: reads %d (+%d failed), writes acknowledged %d, failed %d, outcome unknown %d%n",
                result.operations(),
                result.reads(),
                result.failedReads(),
                writes.get(Op.Outcome.OK),
                writes.get(Op.Outcome.FAILED),
                writes.get(Op.Outcome.UNKNOWN)));
        text.append("  faults injected ")
                .append(new TreeMap<>(faults))
                .append(", kills ")
                .append(kills)
                .append('\n');
        text.append(String.format(
                Locale.ROOT,
                "  violations %d, acknowledged writes lost %d%n",
                result.violations().size(),
                result.acknowledgedWritesLost()));
        text.append(String.format(
                Locale.ROOT,
                "  max staleness %s (bound %s); cross-process delay over %d writes: p50 %s, p99 %s, max %s%n",
                HistoryChecker.millis(result.maxStalenessNanos()),
                HistoryChecker.millis(bound.toNanos()),
                result.delays().size(),
                HistoryChecker.millis(result.delayPercentile(50)),
                HistoryChecker.millis(result.delayPercentile(99)),
                HistoryChecker.millis(result.delayPercentile(100))));
        if (result.stalestRead() != null) {
            text.append("  stalest read: ").append(result.stalestRead()).append('\n');
        }
        text.append("  seed ")
                .append(settings.seed())
                .append(", took ")
                .append(took.toSeconds())
                .append(" s, files in ")
                .append(folder)
                .append('\n');
        result.violations().stream()
                .limit(SHOWN)
                .forEach(v -> text.append("  ").append(v).append('\n'));
        if (result.violations().size() > SHOWN) {
            text.append("  … and ").append(result.violations().size() - SHOWN).append(" more\n");
        }
        return text.toString();
    }
}
