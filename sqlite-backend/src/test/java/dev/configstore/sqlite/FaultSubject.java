package dev.configstore.sqlite;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.StoreException;
import dev.configstore.WritePolicy;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.LoggingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The store under a real fault: two stores on one file (one invalidating, one writing through),
 * driven from the test process line by line. Run in a child JVM, so that a fault injector can be
 * loaded into it with {@code LD_PRELOAD}; the same class serves the test process's own checks.
 *
 * <p>Commands: {@code prepare KIND}, {@code write KIND N}, {@code served KIND}, {@code expire
 * KIND}, {@code quit}. Every command answers one line.
 */
final class FaultSubject implements AutoCloseable {

    static final String NAMESPACE = "matrix";

    final SqliteConfigStore store;
    final SqliteConfigStore writeThroughStore;
    final CachedKeyValueStore<String, String> values;
    final CachedKeyValueStore<String, String> writeThroughValues;
    final LoggingStore logging;
    final FlaggerStore flagger;

    FaultSubject(Path file, Synchronous synchronous) {
        store = SqliteConfigStore.builder(file).synchronous(synchronous).build();
        try {
            writeThroughStore = SqliteConfigStore.builder(file)
                    .synchronous(synchronous)
                    .cache(cache -> cache.writePolicy(WritePolicy.WRITE_THROUGH))
                    .build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        values = store.keyValueStore(NAMESPACE);
        writeThroughValues = writeThroughStore.keyValueStore(NAMESPACE);
        logging = store.loggingStore();
        flagger = store.flaggerStore();
    }

    /** The resolved guild settings, as the matrix compares them. */
    String guildState(String guildId) {
        FlaggerConfig flags = flagger.getFlaggerConfig(guildId);
        return WriteKind.guildState(
                logging.getLoggingChannelId(guildId).orElse(null),
                flags.channelId().orElse(null),
                flags.silentDays());
    }

    String answer(String line) {
        String[] words = line.split(" ", -1);
        WriteKind kind = WriteKind.valueOf(words[1]);
        switch (words[0]) {
            case "prepare" -> {
                kind.prepare(this);
                return "ok";
            }
            case "write" -> {
                try {
                    kind.write(this, Integer.parseInt(words[2]));
                    return "ok";
                } catch (StoreException e) {
                    return "failed " + e.reason() + " " + oneLine(e.getMessage());
                }
            }
            case "served" -> {
                try {
                    return "served " + kind.loads(this) + " " + kind.served(this);
                } catch (StoreException e) {
                    return "failed " + e.reason() + " " + oneLine(e.getMessage());
                }
            }
            case "expire" -> {
                kind.expire(this);
                return "ok";
            }
            default -> throw new IllegalArgumentException("unknown command: " + line);
        }
    }

    private static String oneLine(@org.jspecify.annotations.Nullable String message) {
        return String.valueOf(message).replace('\n', ' ');
    }

    @Override
    public void close() {
        try {
            writeThroughStore.close();
        } finally {
            store.close();
        }
    }

    /**
     * Arguments: the database file and the synchronous mode. Prints {@code ready} once the store
     * is open, or {@code failed REASON message} if opening it failed.
     */
    public static void main(String[] arguments) throws Exception {
        FaultSubject opened;
        try {
            opened = new FaultSubject(Path.of(arguments[0]), Synchronous.valueOf(arguments[1]));
        } catch (StoreException e) {
            System.out.println("failed " + e.reason() + " " + oneLine(e.getMessage()));
            System.out.flush();
            return;
        }
        try (FaultSubject subject = opened;
                BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            System.out.flush();
            for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
                String answer;
                try {
                    answer = subject.answer(line);
                } catch (RuntimeException e) {
                    answer = "error " + oneLine(e.toString());
                }
                System.out.println(answer);
                System.out.flush();
            }
        }
    }
}
