package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

/** The short runs of the build: a few processes for a few seconds, with the nemesis on. */
final class ShortRuns {

    private ShortRuns() {}

    static WorkloadRun.Settings settings() {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        return new WorkloadRun.Settings(
                3, 2, 4, Duration.ofSeconds(12), true, Duration.ofMillis(1_200), Duration.ofSeconds(30), seed);
    }

    static Path folder(String database) {
        return Path.of("target", "history-runs", database + "-" + System.currentTimeMillis())
                .toAbsolutePath();
    }

    /** Runs, prints the figures, and fails on any violation or on a run that did not do its work. */
    static RunReport runAndCheck(Target target) throws Exception {
        RunReport report = new WorkloadRun(settings(), target).run();
        System.out.print(report.text());
        CheckResult result = report.result();
        assertThat(result.violations()).as(report.text()).isEmpty();
        assertThat(result.acknowledgedWritesLost()).isZero();
        // A run that read or wrote nothing, or injected no fault, would prove nothing.
        assertThat(result.reads()).as(report.text()).isPositive();
        assertThat(result.writes().get(Op.Outcome.OK)).as(report.text()).isPositive();
        assertThat(result.delays()).as("writes read by another process").isNotEmpty();
        assertThat(report.faults().values())
                .as(report.text())
                .allSatisfy(count -> assertThat(count).isPositive());
        assertThat(report.kills()).isPositive();
        return report;
    }
}
