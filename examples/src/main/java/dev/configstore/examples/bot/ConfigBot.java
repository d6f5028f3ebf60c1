package dev.configstore.examples.bot;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.guild.GuildLeaveEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.jspecify.annotations.Nullable;

/**
 * The Discord side of the example bot: turns JDA events into calls to {@link BotSettings}.
 * Flags the first message of a member who joined (or last spoke) long enough ago, reports it to
 * the guild's flag channel, and answers {@code /config}.
 */
public final class ConfigBot extends ListenerAdapter {

    private final BotSettings settings;
    private final Map<Long, OffsetDateTime> lastSeen = new ConcurrentHashMap<>();

    /**
     * Creates the listener.
     *
     * @param settings the bot's settings logic
     */
    public ConfigBot(BotSettings settings) {
        this.settings = settings;
    }

    /**
     * The {@code /config} command, to register with Discord.
     *
     * @return the command's definition
     */
    public static SlashCommandData configCommand() {
        return Commands.slash("config", "Show or change this server's bot settings")
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
        OffsetDateTime now = event.getMessage().getTimeCreated();
        OffsetDateTime previous = lastSeen.put(member.getIdLong(), now);
        OffsetDateTime silentSince = previous != null ? previous : member.getTimeJoined();
        String guildId = event.getGuild().getId();
        settings.flagReportChannel(guildId, Duration.between(silentSince, now))
                .map(id -> event.getGuild().getTextChannelById(id))
                .ifPresent(channel -> channel.sendMessage("First message from " + member.getAsMention() + " after "
                                + Duration.between(silentSince, now).toDays() + " silent days: "
                                + event.getMessage().getJumpUrl())
                        .queue());
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!"config".equals(event.getName()) || event.getGuild() == null) {
            return;
        }
        String subcommand = event.getSubcommandName() == null ? "show" : event.getSubcommandName();
        String reply = settings.configCommand(event.getGuild().getId(), subcommand, value(event));
        event.reply(reply).setEphemeral(true).queue();
        if (!"show".equals(subcommand)) {
            settings.loggingChannel(event.getGuild().getId())
                    .map(id -> event.getGuild().getTextChannelById(id))
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
