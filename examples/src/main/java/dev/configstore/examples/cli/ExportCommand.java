package dev.configstore.examples.cli;

import dev.configstore.sqlite.SqliteConfigStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                    + "\"flags_channel_id\":null,\"silent_first_msg_days\":30}"
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
        try (SqliteConfigStore store = root.openForReading()) {
            PrintWriter target = root.out;
            PrintWriter file = null;
            if (output != null) {
                file = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
                target = file;
            }
            long written = 0;
            try {
                for (long offset = 0; ; offset += 1000) {
                    List<String> ids = store.guildIds(offset, 1000);
                    for (String id : ids) {
                        target.println(
                                Root.json().writeValueAsString(StoredRow.json(id, ListCommand.settings(store, id))));
                        written++;
                    }
                    if (ids.size() < 1000) {
                        break;
                    }
                }
            } finally {
                if (file != null) {
                    file.close();
                }
            }
            if (output != null) {
                root.out.println("Exported " + written + (written == 1 ? " guild" : " guilds") + " to " + output + ".");
            }
        }
        return Cli.OK;
    }
}
