package dev.configstore.examples.bot;

import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.guild.GuildLeaveEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.jspecify.annotations.Nullable;

/**
 * The Discord side of the example bot: turns JDA events into calls to {@link BotSettings}.
 * Flags the first message of a member who joined (or last spoke in that guild) long enough ago,
 * reports it to the guild's flag channel, and answers {@code /config}.
 */
public final class ConfigBot extends ListenerAdapter {

    private final BotSettings settings;

    /**
     * Creates the listener.
     *
     * @param settings the bot's settings logic
     */
    public ConfigBot(BotSettings settings) {
        this.settings = settings;
    }

    /**
     * The {@code /config} command, to register with Discord: offered in servers only, and by
     * default only to members who may manage the server (a server's admins can grant it to
     * others in its integration settings).
     *
     * @return the command's definition
     */
    public static SlashCommandData configCommand() {
        return Commands.slash("config", "Show or change this server's bot settings")
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .addSubcommands(
                        new SubcommandData("show", "Show every setting and where it comes from"),
                        new SubcommandData("logging", "Set (or, without a channel, clear) the logging channel")
                                .addOption(OptionType.CHANNEL, "channel", "The channel", false),
                        new SubcommandData("flags", "Set (or clear) the channel flagged messages go to")
                                .addOption(OptionType.CHANNEL, "channel", "The channel", false),
                        new SubcommandData("silent-days", "Set (or clear) the silent-days threshold, 7 to 365")
                                .addOption(OptionType.INTEGER, "days", "Days", false));
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        Member member = event.getMember();
        if (!event.isFromGuild() || member == null || event.getAuthor().isBot()) {
            return;
        }
        Guild guild = event.getGuild();
        var posted = event.getMessage().getTimeCreated().toInstant();
        // The message carries its author's join date; without it, count the silence from now.
        var joined = member.hasTimeJoined() ? member.getTimeJoined().toInstant() : posted;
        settings.messagePosted(guild.getId(), member.getId(), posted, joined).ifPresent(flagged -> {
            TextChannel channel = guild.getTextChannelById(flagged.reportChannelId());
            if (channel != null) {
                channel.sendMessage("First message from " + member.getAsMention() + " after "
                                + flagged.silentDays() + " silent days: "
                                + event.getMessage().getJumpUrl())
                        .queue();
            }
        });
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        Guild guild = event.getGuild();
        if (!"config".equals(event.getName()) || guild == null) {
            return;
        }
        // Acknowledged first: a write may wait for the database's busy timeout, longer than the
        // three seconds Discord allows before an interaction must be answered.
        event.deferReply(true).queue();
        String subcommand = event.getSubcommandName() == null ? "show" : event.getSubcommandName();
        String reply = settings.configCommand(guild.getId(), subcommand, value(event));
        event.getHook().editOriginal(reply).queue();
        if (!"show".equals(subcommand) && reply.startsWith("Saved.")) {
            settings.loggingChannel(guild.getId())
                    .map(guild::getTextChannelById)
                    .ifPresent((TextChannel channel) -> channel.sendMessage(event.getUser()
                                            .getAsMention() + " changed the bot's settings: /config " + subcommand)
                            .queue());
        }
    }

    @Override
    public void onGuildLeave(GuildLeaveEvent event) {
        settings.guildLeft(event.getGuild().getId());
    }

    private static @Nullable String value(SlashCommandInteractionEvent event) {
        OptionMapping channel = event.getOption("channel");
        if (channel != null) {
            return channel.getAsChannel().getId();
        }
        OptionMapping days = event.getOption("days");
        return days != null ? days.getAsString() : null;
    }
}
