package dev.configstore.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.configstore.guild.GuildSettings;
import dev.configstore.sqlite.SqliteConfigStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
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
            "Writes every guild's stored settings as JSON lines, one guild per line, such as:",
            "{\"guild_id\":\"123456789012345678\",\"logging_channel_id\":\"987654321098765432\","
                    + "\"flags_channel_id\":null,\"silent_first_msg_days\":30}",
            "All guilds are read in one transaction: changes made meanwhile are left out whole. With --output, the"
                    + " file appears only once the export is complete."
        },
        footer = {
            "",
            "Examples:",
            "  configstore export > settings.jsonl",
            "  configstore export --output settings.jsonl"
        })
final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to this file instead of the output.")
    @Nullable
    Path output;

    @Override
    public Integer call() throws IOException {
        if (output == null) {
            try (SqliteConfigStore store = root.openForReading()) {
                export(store, root.out);
            }
            return Cli.OK;
        }
        Path file = output.toAbsolutePath();
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
        long written;
        try (SqliteConfigStore store = root.openForReading()) {
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
            json.put("exported", written);
            json.put("output", output.toString());
            root.printJson(json);
        } else {
            root.out.println("Exported " + written + (written == 1 ? " guild" : " guilds") + " to " + output + ".");
        }
        return Cli.OK;
    }

    /** Writes every guild's line, from one snapshot; returns how many. */
    private static long export(SqliteConfigStore store, Writer target) throws IOException {
        long written;
        try {
            written = store.forEachGuildSettings((String guild, GuildSettings settings) -> {
                try {
                    target.write(line(guild, settings));
                    target.write(System.lineSeparator());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        target.flush();
        return written;
    }

    private static String line(String guild, GuildSettings settings) throws JsonProcessingException {
        return Root.json().writeValueAsString(StoredRow.json(guild, settings));
    }
}
