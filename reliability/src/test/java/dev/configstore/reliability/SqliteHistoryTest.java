package dev.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Several worker processes on one SQLite file, with workers killed and the {@code sqlite3} shell
 * writing, checked against the guarantees (see {@link HistoryChecker}).
 */
class SqliteHistoryTest {

    @Test
    void aShortRunWithTheNemesisKeepsEveryGuarantee() throws Exception {
        try (SqliteTarget target = new SqliteTarget(ShortRuns.folder("sqlite"))) {
            RunReport report = ShortRuns.runAndCheck(target);

            assertThat(report.faults())
                    .containsOnlyKeys(Fault.all().stream()
                            .filter(fault -> fault.appliesTo(target))
                            .map(Fault::name)
                            .toList());
        }
    }
}
