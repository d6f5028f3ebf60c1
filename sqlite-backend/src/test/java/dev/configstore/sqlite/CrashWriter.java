package dev.configstore.sqlite;

import dev.configstore.CachedKeyValueStore;
import java.nio.file.Path;

/**
 * Run as a child process that is killed at a random moment: writes keys {@code <prefix>-0},
 * {@code <prefix>-1}, … forever, printing each number once its write has returned.
 */
public final class CrashWriter {

    private CrashWriter() {}

    public static void main(String[] args) {
        Synchronous mode = Synchronous.valueOf(args[2]);
        try (SqliteConfigStore store =
                SqliteConfigStore.builder(Path.of(args[0])).synchronous(mode).build()) {
            CachedKeyValueStore<String, String> values = store.keyValueStore("crash");
            System.out.println("OPEN");
            System.out.flush();
            for (long i = 0; ; i++) {
                values.put(args[1] + "-" + i, "value-" + i);
                System.out.println(i);
                System.out.flush();
            }
        }
    }
}
