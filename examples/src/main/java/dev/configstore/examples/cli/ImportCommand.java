package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** How Jackson's strict duplicate detection starts its message, before the field's name. */
    private static final String DUPLICATE_FIELD = "Duplicate field '";

    @ParentCommand
    Root root;

    @Parameters(paramLabel = "FILE", description = "The JSON lines file.")
    Path input = Path.of("");

    @Override
    public Integer call() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(input);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the import file " + input + " does not exist");
        }
        List<String> lines = decode(bytes).lines().toList();
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
        try (ConfigStore store = root.open()) {
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
            // Otherwise a field given twice would silently take its last value.
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            try {
                value = Root.json().readTree(parser);
            } catch (JsonProcessingException e) {
                String message = e.getOriginalMessage();
                if (message.startsWith(DUPLICATE_FIELD) && message.endsWith("'")) {
                    String field = message.substring(DUPLICATE_FIELD.length(), message.length() - 1);
                    problems.add(where + "field \"" + field + "\" is given more than once; give each field once");
                } else {
                    problems.add(where + "not JSON (" + message + ")");
                }
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

    /**
     * Decodes the file as UTF-8, refusing any byte sequence that is not UTF-8 (rather than
     * replacing it) with a message that says where the first one is.
     */
    private String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                boolean crlf = bytes[i] == '\r' && i + 1 < offset && bytes[i + 1] == '\n';
                if (bytes[i] == '\n' || (bytes[i] == '\r' && !crlf)) {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "the import file %s is not UTF-8 text: line %d has the byte 0x%02X, which is not valid UTF-8 there"
                            + " (byte %d of the line, %d of the file); nothing was imported. Save the file as UTF-8,"
                            + " then import it again.",
                    input,
                    line,
                    bytes[offset] & 0xFF,
                    offset - lineStart + 1,
                    offset + 1));
        }
        return out.flip().toString();
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
