package dev.configstore.examples.cli;

import dev.configstore.spi.ChangeListener;
import dev.configstore.sqlite.SqliteConfigStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code configstore watch}. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        header = "Prints changes to guild settings as they happen.",
        description = "Prints each change to a guild's settings made by anyone else (the bot, a dashboard, the"
                + " sqlite3 shell) as it happens, with the guild's settings after it. Runs until interrupted.",
        footer = {"", "Example:", "  configstore --db /srv/bot/bot.db watch"})
final class WatchCommand implements Callable<Integer> {

    @ParentCommand
    Root root;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N changes.")
    int count;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("--count must not be negative, got " + count);
        }
        CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
        try (SqliteConfigStore store = root.readingBuilder().build()) {
            store.watchGuildChanges(new ChangeListener<>() {
                @Override
                public void keyChanged(String guild) {
                    print(store, guild);
                    done.countDown();
                }

                @Override
                public void allChanged() {
                    root.out.println(now() + " changes may have been missed (the change log was pruned or the file"
                            + " restored); run 'configstore list' to see every guild");
                    root.out.flush();
                }
            });
            if (!root.json) {
                root.out.println("Watching " + store.file() + " for changes; press Ctrl-C to stop.");
                root.out.flush();
            }
            done.await();
        }
        return Cli.OK;
    }

    private synchronized void print(SqliteConfigStore store, String guild) {
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

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
