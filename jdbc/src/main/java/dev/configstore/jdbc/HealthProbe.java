package dev.configstore.jdbc;

import dev.configstore.ChangeFeedStats;
import dev.configstore.StoreException;
import dev.configstore.jdbc.StoreHealth.Check;
import dev.configstore.jdbc.StoreHealth.Status;
import dev.configstore.jdbc.internal.ChangeFeed;
import dev.configstore.jdbc.internal.ChangeLogFeed;
import dev.configstore.jdbc.internal.MigrationRunner;
import dev.configstore.jdbc.internal.PooledDatabase;
import dev.configstore.jdbc.internal.PooledWork.PoolState;
import dev.configstore.jdbc.internal.StoreParts;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Works out a store's {@link StoreHealth}: the rules that class documents. */
final class HealthProbe {

    /** The shortest lag bound, so that a feed polling very often does not flap on a pause. */
    static final Duration MIN_LAG_BOUND = Duration.ofSeconds(1);

    /** How many poll intervals a feed may go without a successful read before it counts as lagging. */
    static final int LAG_INTERVALS = 3;

    private final StoreParts<?, ?> parts;
    private final int expectedVersion;
    private final Supplier<@Nullable String> unreachableBecause;
    /** The database's answer being awaited, or the last one; guarded by this object. */
    private @Nullable CompletableFuture<Answer> inFlight;

    /**
     * Creates the probe of one store.
     *
     * @param parts the store's parts
     * @param expectedVersion the schema version the store's code needs, 0 if it does not say
     * @param unreachableBecause what keeps the database from being reached that a query may not
     *     show (a file gone), or null
     */
    HealthProbe(StoreParts<?, ?> parts, int expectedVersion, Supplier<@Nullable String> unreachableBecause) {
        this.parts = parts;
        this.expectedVersion = expectedVersion;
        this.unreachableBecause = unreachableBecause;
    }

    /** What asking the database found. */
    private record Answer(
            @Nullable String unreachable,
            int version,
            @Nullable String schemaProblem) {}

    StoreHealth check(Duration timeout) {
        List<Check> checks = new ArrayList<>();
        checks.addAll(database(timeout));
        checks.add(feed());
        checks.add(pool());
        return StoreHealth.of(checks, Clock.systemUTC().instant());
    }

    private List<Check> database(Duration timeout) {
        long started = System.nanoTime();
        CompletableFuture<Answer> answer = asking(timeout);
        Answer found;
        try {
            found = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return List.of(
                    new Check(
                            StoreHealth.DATABASE,
                            Status.DOWN,
                            "The database " + parts.database().where() + " did not answer within " + timeout.toMillis()
                                    + " ms: the server may be down, unreachable or overloaded, or every pooled"
                                    + " connection busy.",
                            Map.of("timeoutMillis", timeout.toMillis())),
                    notChecked("the database did not answer"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(
                    new Check(
                            StoreHealth.DATABASE,
                            Status.DOWN,
                            "The health probe was interrupted before the database answered.",
                            Map.of()),
                    notChecked("the probe was interrupted"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return List.of(
                    new Check(
                            StoreHealth.DATABASE,
                            Status.DOWN,
                            "Asking the database " + parts.database().where() + " failed: " + cause,
                            Map.of()),
                    notChecked("the database could not be asked"));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (found.unreachable() != null) {
            return List.of(
                    new Check(StoreHealth.DATABASE, Status.DOWN, found.unreachable(), Map.of("responseMillis", millis)),
                    notChecked("the database cannot be reached"));
        }
        Check database = new Check(
                StoreHealth.DATABASE,
                Status.UP,
                "The database " + parts.database().where() + " answered in " + millis + " ms.",
                Map.of("responseMillis", millis));
        return List.of(database, schema(found));
    }

    /**
     * Returns the answer of the database being asked now, asking it on a new thread if no probe is
     * waiting for one: however often a probe asks a database that does not answer, one thread at
     * a time waits for it.
     */
    private synchronized CompletableFuture<Answer> asking(Duration timeout) {
        CompletableFuture<Answer> pending = inFlight;
        if (pending != null && !pending.isDone()) {
            return pending;
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        // Its own thread, so that a database that never answers (a pool waiting for a connection,
        // a server gone silent) keeps only that thread, never the probe's caller.
        Thread asking = new Thread(
                () -> {
                    try {
                        answer.complete(ask(timeout));
                    } catch (RuntimeException | Error e) {
                        answer.completeExceptionally(e);
                    }
                },
                "configstore health " + parts.name());
        asking.setDaemon(true);
        asking.start();
        inFlight = answer;
        return answer;
    }

    private Check schema(Answer found) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("expectedVersion", expectedVersion);
        String problem = found.schemaProblem();
        if (problem != null) {
            return new Check(
                    StoreHealth.SCHEMA,
                    Status.DOWN,
                    "The schema version cannot be read: " + problem + " Restart the process to migrate the schema"
                            + " again, or give its user the rights it needs.",
                    details);
        }
        int version = found.version();
        details.put("version", version);
        if (expectedVersion == 0) {
            return new Check(
                    StoreHealth.SCHEMA,
                    Status.UP,
                    "Schema version " + version + " (no version to compare with).",
                    details);
        }
        if (version == expectedVersion) {
            return new Check(StoreHealth.SCHEMA, Status.UP, "Schema version " + version + " is current.", details);
        }
        String why;
        if (version == 0) {
            why = "No schema version is recorded in " + parts.database().where()
                    + ": its tables were dropped or emptied. Restart the process to create them again.";
        } else if (version > expectedVersion) {
            why = "The schema has version " + version + ", written by a newer configstore; this one needs "
                    + expectedVersion + ". Upgrade this process to the configstore the others use.";
        } else {
            why = "The schema has version " + version + ", older than the " + expectedVersion
                    + " this configstore needs. Restart the process so that it migrates the schema.";
        }
        return new Check(StoreHealth.SCHEMA, Status.DOWN, why, details);
    }

    private static Check notChecked(String because) {
        return new Check(StoreHealth.SCHEMA, Status.DOWN, "Not checked: " + because + ".", Map.of());
    }

    private Answer ask(Duration timeout) {
        String gone = unreachableBecause.get();
        if (gone != null) {
            return new Answer(gone, 0, null);
        }
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        try {
            parts.database().read("-", "answering a health probe", connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.setQueryTimeout(seconds);
                    try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                        return rows.next();
                    }
                }
            });
        } catch (StoreException e) {
            return new Answer("The database cannot be reached: " + e.getMessage(), 0, null);
        }
        String table = MigrationRunner.VERSION_TABLE;
        try {
            int version = parts.database().read(table, "reading the schema version for a health probe", connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.setQueryTimeout(seconds);
                    try (ResultSet rows = statement.executeQuery(
                            "SELECT MAX(version) FROM " + parts.dialect().table(table))) {
                        return rows.next() ? rows.getInt(1) : 0;
                    }
                }
            });
            return new Answer(null, version, null);
        } catch (StoreException e) {
            return new Answer(null, 0, e.getMessage());
        }
    }

    private Check feed() {
        ChangeFeed feed = parts.feed();
        if (feed == null) {
            return new Check(
                    StoreHealth.CHANGE_FEED,
                    Status.UP,
                    "off: the change feed is disabled, so changes made by other processes are seen when cached"
                            + " values expire.",
                    Map.of("enabled", false));
        }
        ChangeFeedStats stats = feed.stats();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", true);
        details.put("errors", stats.errors());
        details.put("reconnects", stats.reconnects());
        details.put("gaps", stats.gaps());
        if (!(feed instanceof ChangeLogFeed logFeed)) {
            return new Check(StoreHealth.CHANGE_FEED, Status.UP, "The change feed runs.", details);
        }
        ChangeLogFeed.State state = logFeed.state();
        long lagMillis = TimeUnit.NANOSECONDS.toMillis(state.nanosSinceRead());
        long boundMillis = Math.max(
                MIN_LAG_BOUND.toMillis(),
                state.interval().multipliedBy(LAG_INTERVALS).toMillis());
        details.put("threadRunning", state.threadRunning());
        details.put("lagMillis", lagMillis);
        details.put("lagBoundMillis", boundMillis);
        details.put("failuresSinceLastRead", state.failuresSinceRead());
        String lastFailure = state.lastFailure();
        if (lastFailure != null) {
            details.put("lastFailure", lastFailure);
        }
        String late = "changes made by other processes reach this one's caches late, at the latest when cached"
                + " values expire";
        if (state.threaded() && !state.threadRunning()) {
            return new Check(
                    StoreHealth.CHANGE_FEED,
                    Status.DEGRADED,
                    "stopped: the change feed's thread does not run (the log says why), so " + late
                            + ". Restart the process.",
                    details);
        }
        if (state.failuresSinceRead() > 0) {
            return new Check(
                    StoreHealth.CHANGE_FEED,
                    Status.DEGRADED,
                    "failing: " + state.failuresSinceRead() + " reads of the change log failed since the last that"
                            + " worked, " + lagMillis + " ms ago (last: " + lastFailure + "); it retries on its own,"
                            + " and meanwhile " + late + ".",
                    details);
        }
        if (state.threaded() && lagMillis > boundMillis) {
            return new Check(
                    StoreHealth.CHANGE_FEED,
                    Status.DEGRADED,
                    "lagging: the change log was last read " + lagMillis + " ms ago, more than " + boundMillis
                            + " ms (" + LAG_INTERVALS + " poll intervals, at least " + MIN_LAG_BOUND.toMillis()
                            + " ms): a change listener may be blocking the feed's thread, or the database is slow;"
                            + " meanwhile " + late + ".",
                    details);
        }
        return new Check(
                StoreHealth.CHANGE_FEED,
                Status.UP,
                "The change feed follows the change log; last read " + lagMillis + " ms ago.",
                details);
    }

    private Check pool() {
        PoolState state = parts.database() instanceof PooledDatabase pooled ? pooled.poolState() : null;
        if (state == null) {
            return new Check(StoreHealth.POOL, Status.UP, "The connection pool does not report its state.", Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", state.active());
        details.put("idle", state.idle());
        details.put("pending", state.pending());
        details.put("max", state.max());
        if (state.pending() > 0) {
            return new Check(
                    StoreHealth.POOL,
                    Status.DEGRADED,
                    "saturated: " + state.pending() + " threads wait for a connection, with " + state.active()
                            + " of at most " + state.max() + " in use. Look for slow work holding connections,"
                            + " or raise poolSize.",
                    details);
        }
        return new Check(
                StoreHealth.POOL,
                Status.UP,
                state.active() + " of at most " + state.max() + " connections in use, " + state.idle()
                        + " idle, no thread waiting.",
                details);
    }
}
