package dev.configstore.examples.cli;

import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.HistoryQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore history GUILD [--key KEY] [--since WHEN] [--limit N]}. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        header = "Shows who changed a guild's settings, when, and from what to what.",
        description = "Reads the audit trail: every change made through configstore (the bot, this tool, a"
                + " dashboard) to a guild's settings and those of its channels, the newest first, with who made it"
                + " and the value before and after. With --global, the settings for the whole bot; with"
                + " --namespace, a key-value namespace. Changes made with SQL outside configstore are not in it."
                + " Entries are kept for 90 days unless the bot sets another retention.",
        footer = {
            "",
            "Examples:",
            "  configstore history 123456789012345678",
            "  configstore history 123456789012345678 --key logging_channel_id --since 7d",
            "  configstore history --global --limit 20"
        })
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Parameters(paramLabel = "GUILD", arity = "0..1", description = "The guild's id.")
    @Nullable
    String guild;

    @Option(names = "--global", description = "The settings for the whole bot instead of a guild's.")
    boolean global;

    @Option(names = "--namespace", paramLabel = "NAME", description = "A key-value namespace instead of a guild.")
    @Nullable
    String namespace;

    @Option(names = "--key", paramLabel = "KEY", description = "Only the changes of this setting or key.")
    @Nullable
    String key;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only changes from this time on: an ISO-8601 time (2026-03-01T10:00:00Z) or an age (30m,"
                    + " 12h, 7d).")
    @Nullable
    String since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "Show at most N changes, the newest (1 to 10000; default: ${DEFAULT-VALUE}).")
    int limit = 50;

    @Override
    public Integer call() {
        HistoryQuery query = query();
        try (ConfigStore store = root.openForReading()) {
            List<AuditEntry> entries = store.history(query);
            if (root.json) {
                List<Map<String, @Nullable Object>> rows = new ArrayList<>();
                for (AuditEntry entry : entries) {
                    Map<String, @Nullable Object> row = new LinkedHashMap<>();
                    row.put("at", entry.at().toString());
                    row.put("actor", entry.actor());
                    row.put("scope", entry.scope().name().toLowerCase(java.util.Locale.ROOT));
                    row.put("guild_id", entry.guildId());
                    row.put("channel_id", entry.channelId());
                    row.put("namespace", entry.namespace());
                    row.put("key", entry.key());
                    row.put("old_value", entry.oldValue());
                    row.put("new_value", entry.newValue());
                    rows.add(row);
                }
                root.printJson(rows);
            } else if (entries.isEmpty()) {
                root.out.println("No changes recorded for " + describe(query) + ".");
            } else {
                Table table = new Table("TIME (UTC)", "BY", "WHERE", "KEY", "BEFORE", "AFTER");
                for (AuditEntry entry : entries) {
                    table.row(
                            entry.at().truncatedTo(ChronoUnit.SECONDS).toString(),
                            entry.actor(),
                            where(entry),
                            entry.key(),
                            shown(entry.oldValue()),
                            shown(entry.newValue()));
                }
                table.print(root.out);
            }
            return Cli.OK;
        }
    }

    private HistoryQuery query() {
        int targets = (guild == null ? 0 : 1) + (global ? 1 : 0) + (namespace == null ? 0 : 1);
        if (targets != 1) {
            throw new IllegalArgumentException(
                    "give exactly one of GUILD, --global or --namespace NAME (whose history to show)");
        }
        HistoryQuery query;
        if (guild != null) {
            query = HistoryQuery.guild(Snowflakes.requireValid(guild, "guildId"));
        } else if (namespace != null) {
            query = HistoryQuery.namespace(namespace);
        } else {
            query = HistoryQuery.global();
        }
        if (key != null) {
            query = query.key(key);
        }
        if (since != null) {
            query = query.since(time(since));
        }
        return query.limit(limit);
    }

    /** An ISO-8601 instant, or an age such as 30m, 12h or 7d before now. */
    static Instant time(String text) {
        java.util.regex.Matcher age =
                java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(text);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration ago = switch (age.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return Instant.now().minus(ago);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since " + text + " is not a time: give an ISO-8601 time such as"
                    + " 2026-03-01T10:00:00Z, or an age such as 30m, 12h or 7d");
        }
    }

    private static String describe(HistoryQuery query) {
        return switch (query.target()) {
                    case GUILD -> "guild " + query.id();
                    case GLOBAL -> "the whole bot";
                    case NAMESPACE -> "namespace " + query.id();
                }
                + query.keyFilter().map(k -> ", key " + k).orElse("");
    }

    private static String where(AuditEntry entry) {
        return switch (entry.scope()) {
            case GLOBAL -> "bot";
            case GUILD -> "guild";
            case CHANNEL -> "channel " + entry.channelId();
            case NAMESPACE -> "namespace " + entry.namespace();
        };
    }

    private static String shown(@Nullable String value) {
        if (value == null) {
            return "-";
        }
        return value.length() <= 40 ? value : value.substring(0, 39) + "…";
    }
}
