package dev.configstore.sqlite;

import dev.configstore.StoreException;
import dev.configstore.jdbc.internal.ChangeLogFeed;
import dev.configstore.jdbc.internal.LoggedChange;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Tells the stores on a database about changes made by other connections: other processes,
 * other tools, the {@code sqlite3} shell, other stores on the same file.
 *
 * <p>A poller thread holds one connection of its own. Each poll first asks SQLite whether
 * anything was committed by another connection since the last one ({@code PRAGMA data_version},
 * which costs nothing), and only then reads the new entries of the change log in one snapshot.
 * The poller sleeps for the poll interval, but a second thread watches the database's folder and
 * wakes it as soon as the write-ahead log changes, so a commit is usually seen within
 * milliseconds; the timed poll stays as the safety net where the file system reports no events.
 */
final class SqliteChangeFeed extends ChangeLogFeed {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.feed");
    private static final int BATCH = 1_000;
    private static final int KEEP_ENTRIES = 10_000;
    private static final Duration KEEP_FOR = Duration.ofHours(24);

    private final SqliteDatabase database;
    private long dataVersion = Long.MIN_VALUE;
    /** The schema's version when the triggers were last found complete; MIN_VALUE to look again. */
    private long schemaVersion = Long.MIN_VALUE;
    /** Whether the last look found a trigger missing that could not be put back. */
    private boolean triggersMissing;
    /** Whether the path no longer leads to the file opened, as of the last poll. */
    private boolean fileLost;

    private final AtomicBoolean walChanged = new AtomicBoolean();
    /** Whether the write-ahead log had changed before the last read on the feed's thread began. */
    private boolean walChangedBeforeRead;

    private @Nullable Thread watcher;
    private @Nullable WatchService watchService;

    private SqliteChangeFeed(SqliteDatabase database, Duration interval, long head) {
        // A failed poll is retried like one that found nothing, so the maximal backoff is unused.
        super("configstore-sqlite " + database.file, head, interval, interval.toMillis(), () -> {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, database.busyTimeout.toMillis()));
            return config.createConnection("jdbc:sqlite:" + database.file);
        });
        this.database = database;
    }

    /**
     * Creates a feed that starts after the log's current head.
     *
     * @param threads whether to start the poller and watcher threads; without them, changes are
     *     read only by {@link #pollNow()}
     */
    static SqliteChangeFeed start(SqliteDatabase database, Duration interval, boolean threads) {
        long head = database.read(Migrations.CHANGES_TABLE, "reading the change log", SqliteChangeFeed::head);
        SqliteChangeFeed feed = new SqliteChangeFeed(database, interval, head);
        if (threads) {
            feed.startThread("configstore-sqlite-feed " + database.file.getFileName());
            feed.startWatcher();
        }
        return feed;
    }

    /**
     * Reads and applies whatever other connections committed since the last poll.
     *
     * @return whether anything had been committed
     */
    @Override
    protected boolean read() throws SQLException {
        if (!fileIsTheOneOpened()) {
            return false;
        }
        // Why every cache must be dropped at the end of this poll, unless reading the log
        // already did: a change may have gone unlogged.
        @Nullable String unlogged = null;
        try {
            Connection own = connection();
            long now = pragma(own, "data_version");
            if (now == dataVersion) {
                return false;
            }
            dataVersion = now;
            unlogged = checkTriggers(own);
            long gapsBefore = unlogged == null ? 0 : follower().stats().gaps();
            List<LoggedChange> entries;
            do {
                long[] head = new long[1];
                entries = snapshot(own, follower().lastSeen(), head);
                follower().apply(entries, head[0]);
            } while (entries.size() == BATCH);
            if (unlogged != null && follower().stats().gaps() > gapsBefore) {
                unlogged = null;
            }
            if (!database.readOnly) {
                pruneNowAndThen();
            }
            return true;
        } finally {
            if (unlogged != null) {
                follower().missedChanges(unlogged);
            }
        }
    }

    /**
     * Checks, at every poll, that the path still leads to the file the store opened. If the file
     * was deleted, moved or replaced, every cache is dropped once (a gap): the values they hold
     * came from a file the store can no longer use, and the next read then fails with {@code
     * UNAVAILABLE} instead of serving them until they expire.
     */
    private boolean fileIsTheOneOpened() {
        try {
            database.checkSameFile("polling the change log");
        } catch (StoreException e) {
            if (!fileLost) {
                fileLost = true;
                follower()
                        .missedChanges("the database file can no longer be used (" + e.getMessage()
                                + ") Every call now fails with UNAVAILABLE until the file is back");
            }
            failed(e);
            return false;
        }
        if (fileLost) {
            fileLost = false;
            log.info("configstore-sqlite {}: the database file is back; the change feed goes on", database.file);
        }
        return true;
    }

    /**
     * Checks that the change log's triggers are all there whenever the schema changed since the
     * last poll ({@code PRAGMA schema_version}, which costs nothing). Without a trigger, changes
     * made by other connections are not logged and would stay cached until they expire. A
     * writable store puts the triggers back; either way every cache is dropped (a gap), since
     * changes may have gone unlogged. A read-only store cannot restore them, so it drops every
     * cache at each poll that finds a commit, until someone does. A schema that changed with
     * every trigger in place is also a gap: a trigger may have been dropped and re-created
     * between two polls.
     */
    private @Nullable String checkTriggers(Connection own) throws SQLException {
        long schema = pragma(own, "schema_version");
        if (schema == schemaVersion) {
            return null;
        }
        boolean first = schemaVersion == Long.MIN_VALUE && !triggersMissing;
        List<String> missing = Migrations.missingTriggers(own);
        if (missing.isEmpty()) {
            schemaVersion = schema;
            if (triggersMissing) {
                triggersMissing = false;
                return "the change log's triggers are back, and changes made while they were missing went unlogged";
            }
            return first
                    ? null
                    : "the database's schema changed (schema_version " + schema + "), and a change-log trigger may"
                            + " have been dropped and created again meanwhile";
        }
        String restoreFailure = restoreTriggers();
        if (restoreFailure == null) {
            List<String> stillMissing = Migrations.missingTriggers(own);
            if (stillMissing.isEmpty()) {
                schemaVersion = pragma(own, "schema_version");
                triggersMissing = false;
                return "configstore's change-log trigger(s) " + missing + " had been dropped by another program, so"
                        + " changes made meanwhile went unlogged; they were created again";
            }
            missing = stillMissing;
            restoreFailure = "they were still missing after being created";
        }
        schemaVersion = Long.MIN_VALUE; // look again at the next poll that finds a commit
        if (!triggersMissing) {
            triggersMissing = true;
            log.warn(
                    "configstore-sqlite {}: configstore's change-log trigger(s) {} are missing, so changes made by"
                            + " other programs are not logged, and they could not be created again ({}). Until"
                            + " they are back, every poll that finds a commit drops every cached value. Run"
                            + " 'configstore migrate' on the file, or open it once with a store that can write",
                    database.file,
                    missing,
                    restoreFailure);
        }
        return "configstore's change-log trigger(s) " + missing + " are missing";
    }

    /** Creates the missing triggers through the pool; returns why it failed, or null. */
    private @Nullable String restoreTriggers() {
        if (database.readOnly) {
            return "this store is read-only";
        }
        try {
            database.transaction(Migrations.CHANGES_TABLE, "restoring the change log's triggers", c -> {
                try (Statement statement = c.createStatement()) {
                    return Migrations.restoreTriggers(c, statement, true);
                }
            });
            return null;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Reads {@code PRAGMA data_version} or {@code schema_version}: both cost nothing. */
    private static long pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    @Override
    protected void prepare(Connection connection) {
        dataVersion = Long.MIN_VALUE;
    }

    /** Reads the head and the entries after {@code after} in one read transaction. */
    private static List<LoggedChange> snapshot(Connection connection, long after, long[] head) throws SQLException {
        connection.setAutoCommit(false);
        try {
            head[0] = head(connection);
            List<LoggedChange> entries = new ArrayList<>();
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT seq, table_name, namespace, key, version, changed_at_s FROM "
                            + Migrations.CHANGES_TABLE + " WHERE seq > ? ORDER BY seq LIMIT " + BATCH)) {
                statement.setLong(1, after);
                try (ResultSet rows = statement.executeQuery()) {
                    long readAtNanos = System.nanoTime();
                    long nowMicros = Math.multiplyExact(System.currentTimeMillis(), 1000L);
                    while (rows.next()) {
                        long version = rows.getLong(5);
                        entries.add(new LoggedChange(
                                rows.getLong(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                version,
                                LoggedChange.changedAt(
                                        readAtNanos, nowMicros - changedAtMicros(version, rows.getLong(6)))));
                    }
                }
            }
            connection.commit();
            return entries;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * When a change was made, in microseconds since the epoch, as precisely as its entry tells.
     * The log's {@code changed_at_s} holds only the second. A row version that configstore wrote
     * is the writer's clock in microseconds (to the millisecond; see {@link Versions}), taken just
     * before the trigger read the second: a version within the two seconds up to {@code
     * changed_at_s} is that clock, and is used. Any other version (a delete's 0, a version another
     * program wrote) says nothing about time, and the second is used: such a delay reads up to a
     * second long.
     */
    static long changedAtMicros(long version, long changedAtSeconds) {
        long versionSeconds = version / 1_000_000L;
        if (versionSeconds <= changedAtSeconds && versionSeconds >= changedAtSeconds - 2) {
            return version;
        }
        return Math.multiplyExact(changedAtSeconds, 1_000_000L);
    }

    private static long head(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT seq FROM sqlite_sequence WHERE name = '" + Migrations.CHANGES_TABLE + "'")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /**
     * Removes old entries: all but the newest {@value #KEEP_ENTRIES}, and of those, the ones older
     * than a day beyond the newest thousand. A reader that falls behind what is kept sees a hole
     * and drops its whole cache, so removing entries never makes anyone miss a change.
     */
    @Override
    protected void prune() {
        prune(KEEP_ENTRIES, KEEP_FOR, 1_000);
    }

    /** Keeps the newest {@code keepEntries}, and of older ones only those younger than {@code keepFor} among the newest {@code keepRecent}. */
    void prune(int keepEntries, Duration keepFor, int keepRecent) {
        prune(database, Migrations.CHANGES_TABLE, c -> {
            try (PreparedStatement statement = c.prepareStatement("DELETE FROM " + Migrations.CHANGES_TABLE
                    + " WHERE seq <= (SELECT MAX(seq) FROM " + Migrations.CHANGES_TABLE + ") - ?"
                    + " OR (changed_at_s < ? AND seq <= (SELECT MAX(seq) FROM " + Migrations.CHANGES_TABLE
                    + ") - ?)")) {
                statement.setLong(1, keepEntries);
                statement.setLong(2, Versions.nowSeconds() - keepFor.toSeconds());
                statement.setLong(3, keepRecent);
                return statement.executeUpdate();
            }
        });
    }

    private void startWatcher() {
        try {
            Path folder = java.util.Objects.requireNonNull(database.file.getParent(), "the file is absolute");
            WatchService service = FileSystems.getDefault().newWatchService();
            folder.register(service, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            watchService = service;
            Thread watchThread =
                    new Thread(() -> watchLoop(service), "configstore-sqlite-watch " + database.file.getFileName());
            watchThread.setDaemon(true);
            watcher = watchThread;
            watchThread.start();
        } catch (IOException | UnsupportedOperationException e) {
            log.info(
                    "configstore-sqlite {}: cannot watch the folder for changes ({}); changes made elsewhere are"
                            + " seen by polling every {} ms",
                    database.file,
                    e.toString(),
                    interval().toMillis());
        }
    }

    @Override
    protected void awaitChange(boolean changed) {
        // Something was committed: another commit may have followed while this one was read (its
        // event then came during the poll), so look again at once.
        if (!changed) {
            if (walChangedBeforeRead || walChanged.get()) {
                // The write-ahead log grows before the commit is published, so a poll right after
                // the event can come too early; look again shortly, not an interval later.
                for (long delay = 1; delay <= 64 && !closing(); delay *= 2) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(delay));
                    if (pollNow()) {
                        break;
                    }
                }
            } else {
                LockSupport.parkNanos(this, interval().toNanos());
            }
        }
        walChangedBeforeRead = walChanged.getAndSet(false);
    }

    /** A failed poll (the file is away, say) is retried like one that found nothing. */
    @Override
    protected void awaitRetry(long backoffMillis) {
        awaitChange(false);
    }

    private void watchLoop(WatchService service) {
        String fileName = database.file.getFileName().toString();
        String walName = fileName + "-wal";
        try {
            while (!closing()) {
                WatchKey key = service.poll(interval().toMillis(), TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    if (context instanceof Path changed) {
                        String name = changed.toString();
                        relevant |= name.equals(walName) || name.equals(fileName);
                    } else {
                        relevant = true; // overflow: events were lost, so poll to be safe
                    }
                }
                key.reset();
                if (relevant) {
                    walChanged.set(true);
                    wake();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closing
        }
    }

    /** SQLite's connection needs no abort: the thread waits on the clock and the folder watch. */
    @Override
    protected void stopWaiting() {
        WatchService service = watchService;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                log.debug("configstore-sqlite {}: closing the folder watch: {}", database.file, e.toString());
            }
        }
        Thread watchThread = watcher;
        if (watchThread != null) {
            try {
                watchThread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
