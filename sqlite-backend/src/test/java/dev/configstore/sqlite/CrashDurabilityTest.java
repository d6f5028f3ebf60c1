package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.CachedKeyValueStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a writing process with SIGKILL at random moments, over and over, and checks after each
 * kill that every write the process saw return is in the file and the file is intact. Half the
 * cycles run with {@code synchronous=NORMAL}, half with {@code FULL}: a killed process loses no
 * acknowledged write with either (NORMAL only risks the last commits on power loss).
 */
class CrashDurabilityTest {

    private static final Logger log = LoggerFactory.getLogger(CrashDurabilityTest.class);
    private static final int CYCLES = Integer.getInteger("configstore.crash.cycles", 50);

    @TempDir
    Path folder;

    @Test
    void everyAcknowledgedWriteSurvivesAKillAndTheFileStaysIntact() throws Exception {
        Path file = folder.resolve("crash.db");
        long seed = Long.getLong("configstore.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        long started = System.nanoTime();

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Synchronous mode = cycle % 2 == 0 ? Synchronous.NORMAL : Synchronous.FULL;
            String prefix = "cycle" + cycle;
            int killAfter = 1 + random.nextInt(60);
            try (ChildJvm child = ChildJvm.start(CrashWriter.class, file.toString(), prefix, mode.name())) {
                child.awaitLine("OPEN");
                int seen = 0;
                while (seen < killAfter) {
                    String line = child.readLine();
                    if (line == null) {
                        throw new AssertionError(
                                "the writer exited on its own in cycle " + cycle + " (seed " + seed + ")");
                    }
                    acknowledged.put(prefix + "-" + line, "value-" + line);
                    seen++;
                }
                child.kill();
                // Lines already printed before the kill were acknowledged too.
                for (String line = child.readLine(); line != null; line = child.readLine()) {
                    acknowledged.put(prefix + "-" + line, "value-" + line);
                }
            }
            assertIntact(file, seed, cycle);
        }

        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("crash");
            acknowledged.forEach((key, value) ->
                    assertThat(values.get(key)).as("%s (seed %d)", key, seed).contains(value));
        }
        log.info(
                "crash test: {} kills, {} acknowledged writes all present, {} ms, seed {}",
                CYCLES,
                acknowledged.size(),
                (System.nanoTime() - started) / 1_000_000,
                seed);
    }

    private static void assertIntact(Path file, long seed, int cycle) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
            assertThat(check.next()).isTrue();
            assertThat(check.getString(1))
                    .as("integrity after kill %d (seed %d)", cycle, seed)
                    .isEqualTo("ok");
        }
    }
}
