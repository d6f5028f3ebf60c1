package dev.configstore.examples.bot;

import dev.configstore.StoreException;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import org.jspecify.annotations.Nullable;

/**
 * Starts the example bot: {@code DISCORD_TOKEN} is the bot's token, {@code BOT_DB} the database
 * file (default {@code bot.db}); {@code LOGGING_CHANNEL}, {@code FLAGGED_REPORT_CHANNEL_ID} and
 * {@code SILENT_FIRST_MSG_DAYS} are the defaults for guilds that set nothing, and so is {@code
 * BOT_PREFIX} for the bot's own {@code prefix} setting; {@code BOT_ADMIN_GUILD}, if set, is the
 * operator's own server, the only one offered {@code /admin}. A setting that is
 * missing or wrong stops it at once with one line saying what to fix: exit code 1 for the token
 * (or no connection to Discord), 2 for a default, 3 for the database.
 */
public final class BotMain {

    static final int OK = 0;
    /** No token, a token Discord refused, or no connection to Discord. */
    static final int NO_DISCORD = 1;

    static final int BAD_DEFAULT = 2;
    static final int BAD_DATABASE = 3;

    private BotMain() {}

    /**
     * Runs the bot until the process is stopped.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while connecting
     */
    public static void main(String[] args) throws InterruptedException {
        int code = start(System.getenv(), System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Checks the settings, opens the database and connects; returns once the bot is online. */
    static int start(Map<String, String> environment, PrintStream err) throws InterruptedException {
        String token = environment.get("DISCORD_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("bot: DISCORD_TOKEN is not set. Set it to the token on the Bot page of your application in"
                    + " the Discord developer portal, then start the bot again.");
            return NO_DISCORD;
        }
        ConfigDefaults defaults;
        try {
            defaults = ConfigDefaults.of(environment);
        } catch (IllegalArgumentException e) {
            err.println("bot: " + e.getMessage());
            return BAD_DEFAULT;
        }
        SettingsSchema schema;
        try {
            schema = BotSettings.schema(environment);
        } catch (IllegalArgumentException e) {
            err.println("bot: " + String.valueOf(e.getMessage()).replace('\n', ' '));
            return BAD_DEFAULT;
        }
        SqliteConfigStore config;
        try {
            config = SqliteConfigStore.builder(Path.of(environment.getOrDefault("BOT_DB", "bot.db")))
                    .defaults(defaults)
                    // Writes no member asked for (a guild the bot left, say) are the bot's own.
                    .defaultActor("bot")
                    .build();
        } catch (StoreException | IllegalArgumentException e) {
            err.println("bot: " + e.getMessage());
            return BAD_DATABASE;
        }
        BotSettings settings = new BotSettings(
                config.loggingStore(),
                config.flaggerStore(),
                config.settings(schema),
                new MemberActivity(config.keyValueStore("last-message")),
                config::history);
        String adminGuild = environment.get("BOT_ADMIN_GUILD");
        @Nullable AdminCommand admin;
        try {
            admin = adminGuild == null ? null : new AdminCommand(config, adminGuild);
        } catch (IllegalArgumentException e) {
            config.close();
            err.println("bot: " + e.getMessage());
            return BAD_DEFAULT;
        }
        JDA jda;
        try {
            // Only the default, unprivileged intents: a message carries its author's member
            // object and join date, so neither GUILD_MEMBERS nor MESSAGE_CONTENT is needed.
            jda = JDABuilder.createDefault(token)
                    .addEventListeners(new ConfigBot(settings, admin))
                    .build();
        } catch (InvalidTokenException | IllegalArgumentException e) {
            config.close();
            err.println("bot: Discord refused DISCORD_TOKEN (" + e.getMessage() + "). Copy the token again from the"
                    + " Bot page of your application in the Discord developer portal.");
            return NO_DISCORD;
        } catch (ErrorResponseException e) {
            config.close();
            Throwable cause = e.getCause();
            String why = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMeaning();
            err.println("bot: cannot reach Discord (" + why + "). Check the network connection, then start the bot"
                    + " again.");
            return NO_DISCORD;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            jda.shutdown();
                            config.close();
                        },
                        "bot-shutdown"));
        jda.updateCommands().addCommands(ConfigBot.configCommand()).queue();
        jda.awaitReady();
        if (admin != null) {
            Guild home = jda.getGuildById(admin.guildId());
            if (home == null) {
                err.println("bot: BOT_ADMIN_GUILD " + admin.guildId() + " is not a server the bot is in; /admin is not"
                        + " offered. Invite the bot there, or fix the id.");
            } else {
                home.updateCommands().addCommands(AdminCommand.command()).queue();
            }
        }
        return OK;
    }
}
