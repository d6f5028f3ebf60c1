package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.DeclaredApplication;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.SettingDeclaration;
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
        description = "Reads settings as JSON lines (the format 'export' writes) and stores them in one"
                + " transaction: each listed guild's built-in settings are replaced by its line's; each guild (or the"
                + " whole bot) with declared values in the file has all of its declared values replaced by the"
                + " file's; each application's record of declarations is replaced by the file's, version included."
                + " Declared values are stored as exported, like a backup's restore. Every line is checked first;"
                + " if any is invalid, nothing is written and every problem is listed.",
        footer = {"", "Example:", "  configstore import settings.jsonl"})
final class ImportCommand implements Callable<Integer> {

    private static final Set<String> FIELDS =
            Set.of("guild_id", "logging_channel_id", "flags_channel_id", "silent_first_msg_days");

    private static final Set<String> APPLICATION_FIELDS = Set.of("application", "version", "settings");

    private static final Set<String> VALUE_FIELDS = Set.of("scope", "guild_id", "channel_id", "key", "value");

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
        List<DeclaredApplication> record = new ArrayList<>();
        List<StoredValue> values = new ArrayList<>();
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
            if (row.has("application")) {
                DeclaredApplication application = declarations(row, where, problems);
                if (application != null) {
                    Integer first = firstLine.putIfAbsent("application " + application.name(), number);
                    if (first != null) {
                        problems.add(where + "application " + application.name() + " is listed again (first on line "
                                + first + ")");
                    } else {
                        record.add(application);
                    }
                }
                continue;
            }
            if (row.has("key")) {
                StoredValue value = value(row, where, problems);
                if (value != null) {
                    String id = value.where() + " " + value.key();
                    Integer first = firstLine.putIfAbsent(id, number);
                    if (first != null) {
                        problems.add(where + "setting " + value.key() + " of " + Declared.describe(value.where())
                                + " is listed again (first on line " + first + ")");
                    } else {
                        values.add(value);
                    }
                }
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
            store.storedSettings().restore(record, rows, values);
        }
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("imported", rows.size());
            if (!values.isEmpty() || !record.isEmpty()) {
                json.put("values", values.size());
                json.put("applications", record.size());
            }
            root.printJson(json);
        } else {
            root.out.println("Imported "
                    + new ExportCommand.Counts(rows.size(), values.size(), record.size()).describe() + " from "
                    + input + ".");
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

    /** Reads a line of the record of declarations; null after adding its problems. */
    private static @Nullable DeclaredApplication declarations(JsonNode row, String where, List<String> problems) {
        int before = problems.size();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!APPLICATION_FIELDS.contains(name)) {
                problems.add(where + "unknown field \"" + name + "\" of an application's declarations (allowed: "
                        + String.join(", ", APPLICATION_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String name = text(row, "application", false, where, problems);
        if (name != null) {
            try {
                new DeclaredApplication(name, 1, List.of());
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
        }
        JsonNode version = row.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
            problems.add(where + "version must be a whole number of at least 1, got " + version);
        }
        JsonNode settings = row.get("settings");
        List<SettingDeclaration> declarations = new ArrayList<>();
        if (settings == null || !settings.isArray()) {
            problems.add(where + "settings must be an array of declarations, got " + settings);
        } else {
            for (JsonNode setting : settings) {
                SettingDeclaration declaration = declaration(setting, where, problems);
                if (declaration != null) {
                    declarations.add(declaration);
                }
            }
        }
        if (problems.size() > before || name == null || version == null) {
            return null;
        }
        return new DeclaredApplication(name, version.asLong(), declarations);
    }

    private static @Nullable SettingDeclaration declaration(JsonNode json, String where, List<String> problems) {
        if (!json.isObject()) {
            problems.add(where + "a declaration must be a JSON object, got " + json);
            return null;
        }
        int before = problems.size();
        String key = text(json, "key", false, where, problems);
        String type = text(json, "type", false, where, problems);
        String scopes = text(json, "scopes", false, where, problems);
        List<String> rules = texts(json, "rules", where, problems);
        List<String> custom = texts(json, "custom_rules", where, problems);
        String defaultText = text(json, "default", true, where, problems);
        String environment = text(json, "environment", true, where, problems);
        String description = text(json, "description", false, where, problems);
        if (problems.size() > before || key == null || type == null || scopes == null || description == null) {
            return null;
        }
        try {
            SettingDeclaration declaration = new SettingDeclaration(
                    key,
                    type,
                    SettingDeclaration.parseScopes(scopes),
                    rules,
                    custom,
                    Optional.ofNullable(defaultText),
                    Optional.ofNullable(environment),
                    description);
            // Refuses what a tool could not read back: a bad key, type, rule or default.
            declaration.toSetting();
            return declaration;
        } catch (IllegalArgumentException e) {
            problems.add(where + "the declaration of " + key + " cannot be read: " + e.getMessage());
            return null;
        }
    }

    /** Reads a line holding one stored value of a declared setting; null after adding its problems. */
    private static @Nullable StoredValue value(JsonNode row, String where, List<String> problems) {
        int before = problems.size();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!VALUE_FIELDS.contains(name)) {
                problems.add(where + "unknown field \"" + name + "\" of a stored value (allowed: "
                        + String.join(", ", VALUE_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String scope = text(row, "scope", false, where, problems);
        String guild = text(row, "guild_id", true, where, problems);
        String channel = text(row, "channel_id", true, where, problems);
        String key = text(row, "key", false, where, problems);
        String value = text(row, "value", false, where, problems);
        if (problems.size() > before || scope == null || key == null || value == null) {
            return null;
        }
        try {
            ScopeId at = switch (scope) {
                case "global" -> {
                    if (guild != null || channel != null) {
                        throw new IllegalArgumentException("a global value has no guild_id or channel_id");
                    }
                    yield ScopeId.global();
                }
                case "guild" -> {
                    if (channel != null) {
                        throw new IllegalArgumentException("a guild's value has no channel_id");
                    }
                    yield ScopeId.guild(String.valueOf(guild));
                }
                case "channel" -> ScopeId.channel(String.valueOf(guild), String.valueOf(channel));
                default ->
                    throw new IllegalArgumentException("scope must be global, guild or channel, got \"" + scope + "\"");
            };
            if (key.isEmpty()) {
                throw new IllegalArgumentException("key must not be empty");
            }
            return new StoredValue(at, key, value);
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
            return null;
        }
    }

    private static @Nullable String text(
            JsonNode row, String field, boolean optional, String where, List<String> problems) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            if (!optional) {
                problems.add(where + field + " is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            problems.add(where + field + " must be a string, got " + value);
            return null;
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode row, String field, String where, List<String> problems) {
        JsonNode value = row.get(field);
        List<String> texts = new ArrayList<>();
        if (value == null || !value.isArray()) {
            problems.add(where + field + " must be an array of strings, got " + value);
            return texts;
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                problems.add(where + field + " must hold only strings, got " + item);
            } else {
                texts.add(item.asText());
            }
        }
        return texts;
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
