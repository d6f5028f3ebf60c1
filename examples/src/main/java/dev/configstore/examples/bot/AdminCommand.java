package dev.configstore.examples.bot;

import dev.configstore.StoreException;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.CacheClear;
import dev.configstore.jdbc.ConfigStore;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;

/**
 * The bot operator's {@code /admin} command: {@code /admin cache clear [guild] [namespace]} drops
 * cached entries in every process of the bot at once (every shard, every replica, the tools),
 * through {@link ConfigStore#clearCaches}, naming the Discord user who asked in their logs.
 */
public final class AdminCommand {

    private final ConfigStore store;
    private final String guildId;

    /**
     * Creates the command's handler.
     *
     * @param store the bot's store
     * @param guildId the bot operator's own server, the only one where the command is offered and
     *     answered: its clear reaches every server's caches
     * @throws IllegalArgumentException if {@code guildId} is not a snowflake
     */
    public AdminCommand(ConfigStore store, String guildId) {
        this.store = store;
        this.guildId = Snowflakes.requireValid(guildId, "BOT_ADMIN_GUILD");
    }

    /**
     * Returns the server where the command is offered and answered.
     *
     * @return the server's id
     */
    public String guildId() {
        return guildId;
    }

    /**
     * The {@code /admin} command, to register with Discord in the operator's server only ({@link
     * #guildId()}): by default offered only to its administrators.
     *
     * @return the command's definition
     */
    public static SlashCommandData command() {
        return Commands.slash("admin", "Operate the bot")
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.ADMINISTRATOR))
                .addSubcommandGroups(new SubcommandGroupData("cache", "The bot's caches")
                        .addSubcommands(new SubcommandData(
                                        "clear", "Drop cached settings in every process of the bot (all, by default)")
                                .addOption(OptionType.STRING, "guild", "Only this server's settings (its id)", false)
                                .addOption(OptionType.STRING, "namespace", "Only this key-value namespace", false)));
    }

    /**
     * Runs {@code /admin cache clear}.
     *
     * @param options the options given: {@code guild}, {@code namespace}, or neither
     * @param who the Discord user who asked, for the logs
     * @return the reply
     */
    public String cacheClear(Map<String, String> options, String who) {
        String guild = options.get("guild");
        String namespace = options.get("namespace");
        CacheClear what;
        try {
            if (guild != null && namespace != null) {
                return "Give a guild or a namespace, not both: key-value namespaces are not kept per server.";
            }
            what = guild != null
                    ? CacheClear.guild(guild)
                    : namespace != null ? CacheClear.namespace(namespace) : CacheClear.all();
            store.clearCaches(what, who);
        } catch (IllegalArgumentException e) {
            return "Not cleared: " + e.getMessage();
        } catch (StoreException e) {
            return "This process's caches are cleared, but the other processes were not told: " + e.getMessage();
        }
        return switch (what.scope()) {
            case ALL -> "Cleared every cache in every process of the bot.";
            case GUILD -> "Cleared the cached settings of server " + what.target() + " in every process of the bot.";
            case NAMESPACE -> "Cleared key-value namespace " + what.target() + " in every process of the bot.";
        };
    }
}
