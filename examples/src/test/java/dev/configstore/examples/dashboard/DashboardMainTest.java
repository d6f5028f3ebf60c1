package dev.configstore.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardMainTest {

    @TempDir
    Path folder;

    private String run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DashboardMain.run(args, environment, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATokenItRefusesToStartAndOpensNothing() {
        Path db = folder.resolve("bot.db");
        assertThat(run(Map.of(), "--db", db.toString()))
                .contains(Dashboard.TOKEN_VARIABLE + " is not set")
                .contains("openssl rand -hex 32");
        assertThat(run(Map.of(Dashboard.TOKEN_VARIABLE, "  "), "--db", db.toString()))
                .contains("is not set");
        assertThat(run(Map.of(Dashboard.TOKEN_VARIABLE, "short"), "--db", db.toString()))
                .contains("at least 16");
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void aBadOptionIsNamed() {
        assertThat(run(Map.of(Dashboard.TOKEN_VARIABLE, "0123456789abcdef0"), "--port", "http"))
                .contains("--port must be a port number");
        assertThat(run(Map.of(Dashboard.TOKEN_VARIABLE, "0123456789abcdef0"), "--colour", "red"))
                .contains("unknown option --colour");
    }
}
