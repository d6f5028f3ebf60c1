package dev.configstore.examples.bot;

import java.util.HashMap;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.guild.GuildLeaveEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
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
    private final @Nullable AdminCommand admin;

    /**
     * Creates the listener.
     *
     * @param settings the bot's settings logic
     */
    public ConfigBot(BotSettings settings) {
        this(settings, null);
    }

    /**
     * Creates the listener, answering {@code /admin} too.
     *
     * @param settings the bot's settings logic
     * @param admin answers {@code /admin} in the operator's server, or null to ignore it
     */
    public ConfigBot(BotSettings settings, @Nullable AdminCommand admin) {
        this.settings = settings;
        this.admin = admin;
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
                        new SubcommandData("list", "List every setting, its value and where it comes from")
                                .addOptions(channelOption("Show the values that apply in this channel")),
                        new SubcommandData("show", "Show one setting in full (or, without one, every setting)")
                                .addOptions(settingOption(false), channelOption("Show the value in this channel")),
                        new SubcommandData("set", "Set a setting for this server, or for one channel")
                                .addOptions(
                                        settingOption(true),
                                        new OptionData(OptionType.STRING, "value", "The new value", true),
                                        channelOption("Set it for this channel only")),
                        new SubcommandData("reset", "Reset a setting to its default, for this server or one channel")
                                .addOptions(settingOption(true), channelOption("Reset this channel's value only")),
                        new SubcommandData("logging", "Set (or, without a channel, clear) the logging channel")
                                .addOption(OptionType.CHANNEL, "channel", "The channel", false),
                        new SubcommandData("flags", "Set (or clear) the channel flagged messages go to")
                                .addOption(OptionType.CHANNEL, "channel", "The channel", false),
                        new SubcommandData("silent-days", "Set (or clear) the silent-days threshold, 7 to 365")
                                .addOption(OptionType.INTEGER, "days", "Days", false),
                        new SubcommandData("history", "Who changed this server's settings, when, and how")
                                .addOptions(settingOption(false)));
    }

    private static OptionData settingOption(boolean required) {
        return new OptionData(OptionType.STRING, "setting", "The setting's name", required).setAutoComplete(true);
    }

    private static OptionData channelOption(String description) {
        return new OptionData(OptionType.CHANNEL, "channel", description, false);
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
        if ("admin".equals(event.getName())
                && admin != null
                && guild != null
                && guild.getId().equals(admin.guildId())
                && "clear".equals(event.getSubcommandName())) {
            event.deferReply(true).queue();
            String reply = admin.cacheClear(
                    options(event),
                    event.getUser().getName() + " (" + event.getUser().getId() + ")");
            event.getHook().editOriginal(reply).queue();
            return;
        }
        if (!"config".equals(event.getName()) || guild == null) {
            return;
        }
        // Acknowledged first: a write may wait for the database's busy timeout, longer than the
        // three seconds Discord allows before an interaction must be answered.
        event.deferReply(true).queue();
        String subcommand = event.getSubcommandName() == null ? "list" : event.getSubcommandName();
        Map<String, String> options = options(event);
        // Every change is recorded in the audit trail as made by the member who typed the command.
        String reply = settings.configCommand(guild.getId(), event.getUser().getId(), subcommand, options);
        event.getHook().editOriginal(reply).queue();
        if (reply.startsWith("Saved.")) {
            settings.loggingChannel(guild.getId())
                    .map(guild::getTextChannelById)
                    .ifPresent((TextChannel channel) -> channel.sendMessage(event.getUser()
                                            .getAsMention() + " changed the bot's settings: /config " + subcommand
                                    + " " + String.join(" ", options.values()))
                            .queue());
        }
    }

    private static Map<String, String> options(SlashCommandInteractionEvent event) {
        Map<String, String> options = new HashMap<>();
        for (OptionMapping option : event.getOptions()) {
            // A channel option's text is the channel's id.
            options.put(option.getName(), option.getAsString());
        }
        return options;
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        if ("config".equals(event.getName())
                && "setting".equals(event.getFocusedOption().getName())) {
            event.replyChoiceStrings(
                            settings.settingNames(event.getFocusedOption().getValue()))
                    .queue();
        }
    }

    @Override
    public void onGuildLeave(GuildLeaveEvent event) {
        settings.guildLeft(event.getGuild().getId());
    }
}
