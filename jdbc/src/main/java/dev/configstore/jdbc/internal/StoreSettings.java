package dev.configstore.jdbc.internal;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.guild.ConfigDefaults;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The settings every database's builder has ({@link dev.configstore.jdbc.StoreBuilder}), as a
 * database's builder hands them to its store.
 *
 * @param cache applied to every cache's builder
 * @param defaults what guilds fall back to
 * @param poolSize pooled connections at most
 * @param busyTimeout how long to wait for locks and pooled connections
 * @param networkTimeout how long to wait for a server's answer ({@link Duration#ZERO} for a file)
 * @param feedInterval how often the change feed reads at the latest
 * @param feed whether there is a change feed
 * @param feedThreads whether it runs on its own threads (else only when tests poll it)
 * @param audit how the audit trail records
 */
public record StoreSettings(
        Consumer<CachedKeyValueStore.Builder<?, ?>> cache,
        ConfigDefaults defaults,
        int poolSize,
        Duration busyTimeout,
        Duration networkTimeout,
        Duration feedInterval,
        boolean feed,
        boolean feedThreads,
        AuditTrail.Settings audit) {}
