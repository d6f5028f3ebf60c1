package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bot says when it cannot start; each case fails before it would connect to Discord. */
class BotMainTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int start(Map<String, String> environment) throws InterruptedException {
        return BotMain.start(environment, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String error() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATokenItSaysWhereToFindOne() throws Exception {
        assertThat(start(Map.of())).isEqualTo(BotMain.NO_DISCORD);
        assertThat(error().strip())
                .isEqualTo("bot: DISCORD_TOKEN is not set. Set it to the token on the Bot page of your application in"
                        + " the Discord developer portal, then start the bot again.");
    }

    @Test
    void aBadDefaultIsNamed() throws Exception {
        assertThat(start(Map.of("DISCORD_TOKEN", "token", "SILENT_FIRST_MSG_DAYS", "3")))
                .isEqualTo(BotMain.BAD_DEFAULT);
        assertThat(error())
                .startsWith("bot: Environment variable SILENT_FIRST_MSG_DAYS must be")
                .hasLineCount(1);
    }

    @Test
    void aBadDefaultOfTheBotsOwnSettingsIsNamed() throws Exception {
        assertThat(start(Map.of("DISCORD_TOKEN", "token", "BOT_PREFIX", "toolong")))
                .isEqualTo(BotMain.BAD_DEFAULT);
        assertThat(error().strip())
                .isEqualTo(
                        "bot: Environment variable BOT_PREFIX is refused. Setting \"prefix\": \"toolong\" breaks rule"
                                + " length(1,5): 7 characters, allowed 1 to 5")
                .hasLineCount(1);
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsExplainedAndLeftAlone() throws Exception {
        Path file = folder.resolve("bot.db");
        Files.writeString(file, "not a database\n".repeat(100));

        assertThat(start(Map.of("DISCORD_TOKEN", "token", "BOT_DB", file.toString())))
                .isEqualTo(BotMain.BAD_DATABASE);
        assertThat(error())
                .startsWith("bot: The file " + file + " is not a SQLite database")
                .hasLineCount(1);
    }
}
