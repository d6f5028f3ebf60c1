package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

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
                    .containsOnlyKeys(Fault.all().stream()
                            .filter(fault -> fault.appliesTo(target))
                            .map(Fault::name)
                            .toList());
        }
    }
}
