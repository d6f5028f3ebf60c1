package dev.configstore.examples.cli;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.Scope;
import dev.configstore.spi.ChangeListener;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code configstore watch}. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        header = "Prints changes to guild settings as they happen.",
        description = "Prints each change to a guild's settings made by anyone else (the bot, a dashboard, the"
                + " sqlite3 shell) as it happens, with the guild's settings after it: a change to a built-in setting"
                + " with the three built-in ones, a change to a declared setting with the declared values stored for"
                + " the guild and its channels (or for the whole bot). Runs until interrupted (Ctrl-C), or until"
                + " --count changes were printed.",
        footer = {"", "Examples:", "  configstore --db /srv/bot/bot.db watch", "  configstore watch --count 1 --json"})
final class WatchCommand implements Callable<Integer> {

    /** How long stopping waits for the store to close before letting the process end anyway. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    @ParentCommand
    Root root;

    @Spec
    @Nullable
    CommandSpec spec;

    /** How many changes to print before stopping; 0 when not given: run until interrupted. */
    private int count;

    /**
     * Takes {@code --count}. Checked here, while the command line is parsed, so that a bad count is
     * a usage error like any malformed option, reported before the database is opened.
     */
    @Option(
            names = "--count",
            paramLabel = "N",
            description = "Stop after N changes, N at least 1 (default: run until interrupted).")
    void setCount(int changes) {
        if (changes < 1) {
            throw new ParameterException(
                    Objects.requireNonNull(spec, "spec").commandLine(),
                    "--count must be at least 1, got " + changes
                            + "; leave it out to watch until interrupted (Ctrl-C)");
        }
        this.count = changes;
    }

    @Override
    public Integer call() {
        // Counted down once per change with --count; without it nothing counts it down, and only
        // an interrupt (from the shutdown hook on Ctrl-C or SIGTERM, or from a caller) ends the wait.
        CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread watching = Thread.currentThread();
        Thread stop = new Thread(
                () -> {
                    watching.interrupt();
                    awaitQuietly(closed);
                },
                "configstore-watch-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try (ConfigStore store = root.openWatching()) {
            store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String guild) {
                    print(store, guild);
                    if (count > 0) {
                        done.countDown();
                    }
                }

                @Override
                public void allChanged() {
                    printAllChanged();
                }
            });
            store.watchSettingsChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String guild) {
                    printDeclared(store, guild);
                    if (count > 0) {
                        done.countDown();
                    }
                }

                @Override
                public void allChanged() {
                    // The feed tells every subscription at once; the guild subscription prints it.
                }
            });
            printStart();
            done.await();
        } catch (InterruptedException e) {
            // Asked to stop: the store is closed by now, which is all stopping needs.
        } finally {
            closed.countDown();
            removeHook(stop);
        }
        return Cli.OK;
    }

    private synchronized void printStart() {
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", now());
            json.put("watching", root.shownDatabase());
            root.printJson(json);
        } else {
            root.out.println("Watching " + root.shownDatabase() + " for changes; press Ctrl-C to stop.");
        }
        root.out.flush();
    }

    private synchronized void print(ConfigStore store, String guild) {
        GuildView view = GuildView.read(store, guild);
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", now());
            json.putAll(view.json());
            root.printJson(json);
        } else {
            root.out.println(now() + " guild " + guild + ": logging "
                    + GuildView.shown(view.logging().value())
                    + ", flags " + GuildView.shown(view.flagger().channelId()) + ", silent days "
                    + view.flagger().silentDays());
        }
        root.out.flush();
    }

    /** Prints the declared settings' values stored for a guild (every scope under it), or globally for "". */
    private synchronized void printDeclared(ConfigStore store, String guild) {
        List<StoredValue> values = new ArrayList<>();
        if (guild.isEmpty()) {
            store.storedSettings().forEach(value -> {
                if (value.where().scope() == Scope.GLOBAL) {
                    values.add(value);
                }
            });
        } else {
            values.addAll(store.storedSettings().guild(guild));
        }
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", now());
            json.put("guild_id", guild.isEmpty() ? null : guild);
            List<Map<String, Object>> settings = new ArrayList<>();
            values.forEach(value -> settings.add(Declared.json(value)));
            json.put("settings", settings);
            root.printJson(json);
        } else {
            List<String> shown = new ArrayList<>();
            for (StoredValue value : values) {
                shown.add(value.key() + " " + value.text()
                        + (value.where().channelId().isEmpty()
                                ? ""
                                : " (channel " + value.where().channelId() + ")"));
            }
            root.out.println(now() + (guild.isEmpty() ? " global" : " guild " + guild) + " declared settings: "
                    + (shown.isEmpty() ? "(none stored)" : String.join(", ", shown)));
        }
        root.out.flush();
    }

    private synchronized void printAllChanged() {
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", now());
            json.put("all_changed", true);
            root.printJson(json);
        } else {
            root.out.println(now() + " changes may have been missed (the change log was pruned or the file"
                    + " restored); run 'configstore list' to see every guild");
        }
        root.out.flush();
    }

    private static void awaitQuietly(CountDownLatch closed) {
        try {
            closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The process is shutting down, which is what ran the hook: nothing to remove.
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
