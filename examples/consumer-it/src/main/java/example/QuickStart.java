package example;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.LoggingStore;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.util.Optional;

/** The README's quick start, verbatim, in a project that only knows configstore's published artifacts. */
public class QuickStart {
    public static void main(String[] args) {
        // BEGIN README QUICK START
        try (SqliteConfigStore config = SqliteConfigStore.open(Path.of("bot.db"))) {
            LoggingStore logging = config.loggingStore();
            logging.setLoggingChannelId("123456789012345678", "987654321098765432"); // durable when it returns
            Optional<String> channel = logging.getLoggingChannelId("123456789012345678"); // cached from now on
            CachedKeyValueStore<String, String> welcome = config.keyValueStore("welcome");
            welcome.put("greeting", "Welcome aboard!");
            System.out.println(channel.orElse("none") + " / " + welcome.get("greeting").orElse("-"));
        }
        // END README QUICK START
        try (SqliteConfigStore config = SqliteConfigStore.open(Path.of("bot.db"))) {
            String channel = config.loggingStore().getLoggingChannelId("123456789012345678").orElseThrow();
            if (!channel.equals("987654321098765432")) {
                throw new IllegalStateException("the quick start's write was not kept: " + channel);
            }
        }
    }
}
