package dev.configstore.examples.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code configstore migrate}. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        header = "Brings the database's schema up to date.",
        description = "Brings the database's schema up to date: lists the pending steps, then applies them in one"
                + " transaction. An existing bot table gains missing columns; no row or value is changed.",
        footer = {"", "Examples:", "  configstore migrate --dry-run", "  configstore --db old-bot.db migrate"})
final class MigrateCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Option(names = "--dry-run", description = "Only list the pending steps; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        List<String> pending = root.pendingMigrations();
        int version = root.schemaVersion();
        boolean apply = !dryRun && !pending.isEmpty();
        if (apply) {
            root.open().close();
        }
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("database", root.shownDatabase());
            json.put("pending", pending);
            json.put("applied", apply);
            json.put("schema_version", version);
            root.printJson(json);
            return Cli.OK;
        }
        if (pending.isEmpty()) {
            root.out.println(
                    "The schema of " + root.shownDatabase() + " is current (version " + version + "); nothing to do.");
            return Cli.OK;
        }
        root.out.println((apply ? "Applied " : "Pending ") + pending.size() + (pending.size() == 1 ? " step" : " steps")
                + " on " + root.shownDatabase() + ":");
        pending.forEach(step -> root.out.println("  - " + step));
        if (!apply) {
            root.out.println("Nothing was changed (--dry-run).");
        }
        return Cli.OK;
    }
}
