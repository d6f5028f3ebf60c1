package dev.configstore.examples.bot;

import dev.configstore.guild.ConfigDefaults;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.GatewayIntent;

/**
 * Starts the example bot: {@code DISCORD_TOKEN} is the bot's token, {@code BOT_DB} the database
 * file (default {@code bot.db}); {@code LOGGING_CHANNEL}, {@code FLAGGED_REPORT_CHANNEL_ID} and
 * {@code SILENT_FIRST_MSG_DAYS} are the defaults for guilds that set nothing.
 */
public final class BotMain {

    private BotMain() {}

    /**
     * Runs the bot until the process is stopped.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while connecting
     */
    public static void main(String[] args) throws InterruptedException {
        String token = System.getenv("DISCORD_TOKEN");
        if (token == null || token.isBlank()) {
            System.err.println("Set DISCORD_TOKEN to the bot's token.");
            System.exit(1);
            return;
        }
        String file = System.getenv().getOrDefault("BOT_DB", "bot.db");
        SqliteConfigStore config = SqliteConfigStore.builder(Path.of(file))
                .defaults(ConfigDefaults.fromEnvironment())
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(config::close));
        BotSettings settings = new BotSettings(config.loggingStore(), config.flaggerStore());
        JDA jda = JDABuilder.createDefault(token)
                .enableIntents(GatewayIntent.GUILD_MESSAGES, GatewayIntent.GUILD_MEMBERS)
                .addEventListeners(new ConfigBot(settings))
                .build();
        jda.updateCommands().addCommands(ConfigBot.configCommand()).queue();
        jda.awaitReady();
    }
}
