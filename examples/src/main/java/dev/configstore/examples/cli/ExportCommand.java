package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.configstore.guild.GuildSettings;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.DeclaredApplication;
import dev.configstore.settings.SettingDeclaration;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code configstore export}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        header = "Writes every guild's stored settings as JSON lines.",
        description = {
            "Writes everything stored as JSON lines: first the record of declared settings, one line per"
                    + " application; then the built-in settings, one guild per line, such as:",
            "{\"guild_id\":\"123456789012345678\",\"logging_channel_id\":\"987654321098765432\","
                    + "\"flags_channel_id\":null,\"silent_first_msg_days\":30}",
            "then every stored value of a declared setting, one per line, such as:",
            "{\"scope\":\"guild\",\"guild_id\":\"123456789012345678\",\"channel_id\":null,\"key\":\"prefix\","
                    + "\"value\":\"?\"}",
            "The built-in settings of all guilds are read in one statement, and so are the declared values:"
                    + " changes made meanwhile are left out whole. Lines come in a stable order, so that exporting"
                    + " the same data twice gives the same bytes. With --output, the file appears only once the"
                    + " export is complete."
        },
        footer = {
            "",
            "Examples:",
            "  configstore export > settings.jsonl",
            "  configstore export --output settings.jsonl"
        })
final class ExportCommand implements Callable<Integer> {

    /** How many symbolic links a path may go through, as Linux allows. */
    private static final int MAX_LINKS = 40;

    // File types in the st_mode of stat(2).
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    @ParentCommand
    Root root;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to this file instead of the output.")
    @Nullable
    Path output;

    @Override
    public Integer call() throws IOException {
        if (output == null) {
            try (ConfigStore store = root.openForReading()) {
                export(store, root.out);
            }
            return Cli.OK;
        }
        Path file = target(output);
        Path folder = file.getParent();
        // Checked before opening, so that a mistyped path neither creates the database nor fails
        // after the export was read.
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("cannot write the export to " + output + ": the folder " + folder
                    + " does not exist. Create it, or choose another path.");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(
                    "cannot write the export to " + output + ": it is a folder. Give the path of a file in it.");
        }
        // The export is moved over the target at the end, which would turn a device, a pipe or a
        // socket into a regular file: such a target is refused and left as it is.
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot write the export to " + output + ": "
                    + (file.equals(output.toAbsolutePath()) ? "it" : file.toString()) + " is " + kind(file)
                    + ", not a regular file, and configstore will not replace it. Give the path of a regular file,"
                    + " or leave out --output and redirect the output.");
        }
        Counts written;
        try (ConfigStore store = root.openForReading()) {
            // Written beside the target and moved over it at the end: a failed export never leaves
            // a partial file that an import would take for the whole. Created like any new file,
            // so that the export gets the usual permissions.
            Path partial = folder.resolve(
                    "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
            try {
                try (BufferedWriter writer = Files.newBufferedWriter(
                        partial, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    written = export(store, writer);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("exported", written.guilds());
            json.put("output", output.toString());
            if (written.values() > 0 || written.applications() > 0) {
                json.put("values", written.values());
                json.put("applications", written.applications());
            }
            root.printJson(json);
        } else {
            root.out.println("Exported " + written.describe() + " to " + output + ".");
        }
        return Cli.OK;
    }

    /**
     * The file the export replaces: {@code path} with every symbolic link followed, also one whose
     * target does not exist yet, so that a link keeps pointing where it did and its target gets
     * the export.
     */
    private static Path target(Path path) throws IOException {
        Path file = path.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(file); links++) {
            if (links == MAX_LINKS) {
                throw new IllegalArgumentException(
                        "cannot write the export to " + path + ": it is a chain of more than " + MAX_LINKS
                                + " symbolic links, or a loop. Give the path of a regular file.");
            }
            Path parent = file.getParent();
            Path link = Files.readSymbolicLink(file);
            file = (parent == null ? link : parent.resolve(link)).toAbsolutePath();
        }
        Path folder = file.getParent();
        // The folder may hold links too; the file is moved within its real folder.
        if (folder != null && Files.isDirectory(folder)) {
            file = folder.toRealPath().resolve(file.getFileName());
        }
        return file;
    }

    /** Says what kind of file {@code file} is, for the message refusing it. */
    private static String kind(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer bits) {
                return switch (bits & S_IFMT) {
                    case S_IFIFO -> "a named pipe (FIFO)";
                    case S_IFCHR -> "a character device";
                    case S_IFBLK -> "a block device";
                    case S_IFSOCK -> "a socket";
                    default -> "a special file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Not a Unix file system: the generic description below says enough.
        }
        return "a special file";
    }

    /** How many lines of each kind an export wrote. */
    record Counts(long guilds, long values, long applications) {
        String describe() {
            String guildText = guilds + (guilds == 1 ? " guild" : " guilds");
            if (values == 0 && applications == 0) {
                return guildText;
            }
            return guildText + ", " + values + (values == 1 ? " declared value" : " declared values")
                    + " and the declarations of " + applications
                    + (applications == 1 ? " application" : " applications");
        }
    }

    /**
     * Writes the record of declarations (one line per application), every guild's built-in settings
     * (one line per guild, from one snapshot of guild_config), then every stored value of a declared
     * setting (one line per value, from one snapshot of configstore_settings), each in a stable order.
     */
    private static Counts export(ConfigStore store, Writer target) throws IOException {
        List<DeclaredApplication> record = store.declarations();
        for (DeclaredApplication application : record) {
            target.write(Root.json().writeValueAsString(declarationLine(application)));
            target.write(System.lineSeparator());
        }
        long guilds;
        long values;
        try {
            guilds = store.forEachGuildSettings((String guild, GuildSettings settings) -> {
                try {
                    target.write(line(guild, settings));
                    target.write(System.lineSeparator());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            values = store.storedSettings().forEach(value -> {
                try {
                    target.write(Root.json().writeValueAsString(Declared.json(value)));
                    target.write(System.lineSeparator());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        target.flush();
        return new Counts(guilds, values, record.size());
    }

    /** An application's record as one line: {@code {"application":…,"version":…,"settings":[…]}}. */
    static Map<String, Object> declarationLine(DeclaredApplication application) {
        List<Map<String, Object>> settings = new ArrayList<>();
        for (SettingDeclaration declaration : application.settings()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", declaration.key());
            json.put("type", declaration.type());
            json.put("scopes", declaration.scopesText());
            json.put("rules", declaration.rules());
            json.put("custom_rules", declaration.customRules());
            json.put("default", declaration.defaultText().orElse(null));
            json.put("environment", declaration.environmentVariable().orElse(null));
            json.put("description", declaration.description());
            settings.add(json);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("application", application.name());
        line.put("version", application.version());
        line.put("settings", settings);
        return line;
    }

    private static String line(String guild, GuildSettings settings) throws JsonProcessingException {
        return Root.json().writeValueAsString(StoredRow.json(guild, settings));
    }
}
