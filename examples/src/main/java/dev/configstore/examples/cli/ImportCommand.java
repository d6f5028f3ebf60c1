package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code configstore import FILE}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        header = "Reads guild settings from JSON lines, in one transaction.",
        description = "Reads guild settings as JSON lines (the format 'export' writes) and stores them in one"
                + " transaction: each listed guild's settings are replaced by the line's. Every line is checked first;"
                + " if any is invalid, nothing is written and every problem is listed.",
        footer = {"", "Example:", "  configstore import settings.jsonl"})
final class ImportCommand implements Callable<Integer> {

    private static final Set<String> FIELDS =
            Set.of("guild_id", "logging_channel_id", "flags_channel_id", "silent_first_msg_days");

    @ParentCommand
    Root root;

    @Parameters(paramLabel = "FILE", description = "The JSON lines file.")
    Path input = Path.of("");

    @Override
    public Integer call() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the import file " + input + " does not exist");
        }
        Map<String, GuildSettings> rows = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            int before = problems.size();
            String where = "line " + number + ": ";
            JsonNode row = readValue(line, where, problems);
            if (row == null) {
                continue;
            }
            if (!row.isObject()) {
                problems.add(where + "not a JSON object");
                continue;
            }
            for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    problems.add(where + "unknown field \"" + name + "\" (allowed: "
                            + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
                }
            }
            String guild = snowflake(row, "guild_id", false, where, problems);
            String logging = snowflake(row, "logging_channel_id", true, where, problems);
            String flags = snowflake(row, "flags_channel_id", true, where, problems);
            OptionalInt days = days(row, where, problems);
            if (guild != null && firstLine.putIfAbsent(guild, number) != null) {
                problems.add(
                        where + "guild " + guild + " is listed again (first on line " + firstLine.get(guild) + ")");
            }
            if (problems.size() == before && guild != null) {
                rows.put(guild, new GuildSettings(Optional.ofNullable(logging), Optional.ofNullable(flags), days));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the import file " + input + " has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was imported:\n  "
                    + String.join("\n  ", problems));
        }
        try (SqliteConfigStore store = root.open()) {
            store.guildConfig().store().inTransaction(tx -> {
                rows.forEach((guild, settings) -> {
                    if (settings.isEmpty()) {
                        tx.remove(guild);
                    } else {
                        tx.put(guild, settings);
                    }
                });
                return null;
            });
        }
        if (root.json) {
            root.printJson(Map.of("imported", rows.size()));
        } else {
            root.out.println(
                    "Imported " + rows.size() + (rows.size() == 1 ? " guild" : " guilds") + " from " + input + ".");
        }
        return Cli.OK;
    }

    /**
     * Reads a line as exactly one JSON value: anything after it, another value or not, is a
     * problem rather than silently ignored. Returns null after adding the problem.
     */
    private static @Nullable JsonNode readValue(String line, String where, List<String> problems) throws IOException {
        try (JsonParser parser = Root.json().createParser(line)) {
            JsonNode value;
            try {
                value = Root.json().readTree(parser);
            } catch (JsonProcessingException e) {
                problems.add(where + "not JSON (" + e.getOriginalMessage() + ")");
                return null;
            }
            boolean more;
            try {
                more = parser.nextToken() != null;
            } catch (JsonProcessingException e) {
                more = true;
            }
            if (more) {
                problems.add(where + "text after the JSON object; write one guild per line");
                return null;
            }
            if (value == null) {
                problems.add(where + "not a JSON object");
            }
            return value;
        }
    }

    private static @Nullable String snowflake(
            JsonNode row, String field, boolean optional, String where, List<String> problems) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            if (!optional) {
                problems.add(where + field + " is missing");
            }
            return null;
        }
        if (!value.isTextual() || !Snowflakes.isValid(value.asText())) {
            problems.add(where + field + " must be a snowflake written as a string, got " + value);
            return null;
        }
        return value.asText();
    }

    private static OptionalInt days(JsonNode row, String where, List<String> problems) {
        JsonNode value = row.get("silent_first_msg_days");
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isInt()
                || value.asInt() < FlaggerStore.MIN_SILENT_DAYS
                || value.asInt() > FlaggerStore.MAX_SILENT_DAYS) {
            problems.add(where + "silent_first_msg_days must be a whole number from " + FlaggerStore.MIN_SILENT_DAYS
                    + " to " + FlaggerStore.MAX_SILENT_DAYS + ", got " + value);
            return OptionalInt.empty();
        }
        return OptionalInt.of(value.asInt());
    }
}
