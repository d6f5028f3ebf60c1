package dev.configstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, briefly, in this JVM, so that the build proves they still work. This
 * measures nothing: real numbers come from {@code benchmarks/run.sh}.
 */
class BenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsOneShortIteration() throws Exception {
        // Without a PostgreSQL server, the PostgreSQL change feed is left out, as the PostgreSQL
        // module's tests are skipped; CI sets CONFIGSTORE_REQUIRE_PG and has the server.
        String required = System.getenv("CONFIGSTORE_REQUIRE_PG");
        boolean postgres = Databases.postgresAnswers()
                || (required != null && required.trim().toLowerCase(Locale.ROOT).matches("1|true|yes"));
        Options options = new OptionsBuilder()
                .include("dev\\.configstore\\.benchmarks\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .param("synchronous", "NORMAL")
                .param("changeLog", "true")
                .param("backend", postgres ? new String[] {"sqlite", "postgres"} : new String[] {"sqlite"})
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertThat(results)
                .isNotEmpty()
                .allSatisfy(result ->
                        assertThat(result.getPrimaryResult().getScore()).isPositive());
    }
}
