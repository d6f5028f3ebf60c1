package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several worker processes on one PostgreSQL schema, with workers and their connections killed and
 * {@code psql} writing, checked against the guarantees (see {@link HistoryChecker}).
 */
@RequiresPostgres
class PostgresHistoryTest {

    @Test
    void aShortRunWithTheNemesisKeepsEveryGuarantee() throws Exception {
        try (PostgresTarget target = new PostgresTarget(ShortRuns.folder("postgres"))) {
            RunReport report = ShortRuns.runAndCheck(target);

            assertThat(report.faults())
                    .containsOnlyKeys(
                            target.shellAvailable()
                                    ? List.of("kill-worker", "kill-pg-connections", "shell-write")
                                    : List.of("kill-worker", "kill-pg-connections"));
        }
    }
}
