package dev.configstore.mysql;

import dev.configstore.jdbc.internal.ChangeLogFeed;
import dev.configstore.jdbc.internal.LoggedChange;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the stores on a database about changes made by other connections: other processes, other
 * hosts, the mariadb client, other stores on the same database. MariaDB has no LISTEN/NOTIFY, so
 * a thread polls the change log on a connection of its own.
 *
 * <p><b>Numbers are taken before commit.</b> Triggers add an entry to {@code configstore_changes}
 * for every change, numbered by an auto-increment column. InnoDB hands out the number when the
 * row is inserted, not when its transaction commits, so a transaction that took 10 may commit
 * after one that took 11, and one that rolls back leaves 10 unused for good. Reading "everything
 * after the highest number seen" would skip 10 for good when it commits late. So the feed keeps,
 * besides the highest number it has seen, every number below it that it has not seen: the
 * <em>holes</em>. Each poll reads the entries above the highest number and those whose number is a
 * hole; a hole that appears is applied then, late but not lost. A hole is closed without an entry
 * only when it is proved empty for good: the feed notes the server's time when it first saw the
 * hole; the transaction that took that number had started by then (it took it before the number
 * above, which had committed). Once {@code information_schema.INNODB_TRX} (read at least two
 * seconds later, past its 0.1 s cache) shows no transaction that started at or before that second,
 * that transaction has ended, so a later read that still does not find the entry proves it rolled
 * back. Where that proof is impossible (a transaction left open for minutes, or a user without
 * the {@code PROCESS} privilege), a hole older than {@value #HOLE_TIMEOUT_SECONDS} s (by this
 * process's clock) is given up as a gap: every cache is dropped, which is always safe.
 *
 * <p><b>Lost entries.</b> A trigger on the log keeps the newest number ever removed from it
 * ({@code configstore_changes_removed}); if it rises above the feed's position, an entry the feed
 * had not read may be gone, and every cache is dropped (a gap). The same happens if the log's
 * newest number went backwards (the log was emptied and restarted, or the database restored), if
 * more than {@value #MAX_BACKLOG} entries or {@value #MAX_HOLES} holes pile up, and if the
 * server's incarnation changed: a row with a random id in a {@code MEMORY} table, which a restart
 * of the server empties and the feed's next connection writes anew, so a restarted, restored or
 * replaced server is never trusted to continue the numbers the feed knew. After a gap the feed
 * takes its position anew, from one statement that reads the newest number and every number
 * present among the {@value #ANCHOR_WINDOW} below it, before the caches are dropped: a missing
 * number there is a hole, so a transaction in flight across the gap is still applied when it
 * commits.
 *
 * <p><b>Missing triggers.</b> Without its triggers, the log misses changes. The feed checks that
 * they all exist when it starts and whenever it connects again, and logs a warning that names the
 * missing ones and says how to put them back; while any is missing, every read is a gap, and so
 * is the first read after they are back, for the changes made meanwhile.
 *
 * <p><b>What a poll costs.</b> One statement, one round trip, in autocommit (one snapshot): a
 * primary-key read of the one-row {@code MEMORY} table, a scan of the one-row removal table, the
 * log's largest key (read from the end of its primary index), and a primary-key range read of the
 * entries above the highest number (none, when nothing changed) plus one point read per hole. No
 * row is locked or written. While there are holes at least two seconds old, one more statement
 * reads {@code INNODB_TRX}; while a trigger is missing, one more reads {@code
 * information_schema.TRIGGERS}.
 */
final class MariaDbChangeFeed extends ChangeLogFeed {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.feed");
    static final int MAX_BACKLOG = 10_000;
    static final int MAX_HOLES = 1_000;
    static final int ANCHOR_WINDOW = 1_000;
    static final long HOLE_TIMEOUT_SECONDS = 60;
    /** How long after first seeing a hole INNODB_TRX may prove it empty: past its cache, and the second's rounding. */
    static final long PROOF_DELAY_SECONDS = 2;

    private static final int KEEP_ENTRIES = 10_000;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    /** An entry of the log. */
    private record Entry(
            long seq,
            String table,
            String namespace,
            @Nullable String key,
            long version,
            long changedAtNanos) {}

    /**
     * A number below the highest seen that has not been seen: when it was first missed, by the
     * server's clock (to prove its transaction ended) and by this process's (to give up on it),
     * and whether its transaction is known to have ended.
     */
    private static final class Hole {
        final long noticedAt;
        final long noticedNanos;
        boolean ended;

        Hole(long noticedAt, long noticedNanos) {
            this.noticedAt = noticedAt;
            this.noticedNanos = noticedNanos;
        }
    }

    /** What the header of a read says. */
    private record Header(@Nullable String incarnation, long removed, long head, long now) {}

    private final MariaDbDatabase database;
    private final LongSupplier nanoTime;
    private final String header;

    private boolean anchored;
    private @Nullable String incarnation;
    private long removed;
    private long highest;
    private final TreeMap<Long, Hole> holes = new TreeMap<>();
    private boolean transactionsUnreadable;
    private volatile long connectionId;
    /** Whether the triggers are to be checked at the next read: the connection is new. */
    private boolean triggersUnchecked;

    private MariaDbChangeFeed(MariaDbDatabase database, Duration interval, LongSupplier nanoTime) {
        super("configstore-mysql " + database.server, 0, interval, MAX_BACKOFF_MILLIS, database::dedicatedConnection);
        this.database = database;
        this.nanoTime = nanoTime;
        this.header = "SELECT (SELECT incarnation FROM " + database.table(Migrations.SERVER_TABLE)
                + " WHERE only_row = 1) AS incarnation, (SELECT MAX(newest_seq) FROM "
                + database.table(Migrations.REMOVED_TABLE) + ") AS removed, (SELECT COALESCE(MAX(seq), 0) FROM "
                + database.table(Migrations.CHANGES_TABLE) + ") AS head, UNIX_TIMESTAMP() AS now_s";
    }

    /**
     * Creates a feed that starts at the log as it is now: changes already committed are not applied
     * (stores built afterwards start with empty caches); changes in flight now are, once committed.
     *
     * @param thread whether to start the polling thread; without it, changes are read only by
     *     {@link #pollNow()}
     */
    static MariaDbChangeFeed start(MariaDbDatabase database, Duration interval, boolean thread) {
        return start(database, interval, thread, System::nanoTime);
    }

    /**
     * Creates a feed as {@link #start(MariaDbDatabase, Duration, boolean)} does, on a clock of the
     * caller's: tests age holes without waiting.
     *
     * @param nanoTime what measures how long a hole has been open, as {@link System#nanoTime()}
     */
    static MariaDbChangeFeed start(MariaDbDatabase database, Duration interval, boolean thread, LongSupplier nanoTime) {
        MariaDbChangeFeed feed = new MariaDbChangeFeed(database, interval, nanoTime);
        feed.firstRead(database, Migrations.CHANGES_TABLE, () -> {
            Connection own = feed.connection();
            feed.anchor(own);
            feed.checkTriggers(own);
        });
        if (thread) {
            feed.startThread("configstore-mysql-feed " + database.name);
        }
        return feed;
    }

    /** The server's id of the feed's current connection, as {@code CONNECTION_ID()}; for tests. */
    long connectionId() {
        return connectionId;
    }

    /** The numbers below the highest seen that have not been seen yet; for tests. */
    synchronized List<Long> holes() {
        return new ArrayList<>(holes.keySet());
    }

    /**
     * Takes the position anew, in one statement: the header, and the numbers present among the
     * {@value #ANCHOR_WINDOW} below the newest. Those present are taken as read; those missing
     * are holes.
     */
    private void anchor(Connection own) throws SQLException {
        String sql = "SELECT h.*, e.seq FROM (" + header + ") AS h LEFT JOIN (SELECT seq FROM "
                + database.table(Migrations.CHANGES_TABLE) + " WHERE seq > (SELECT CAST(COALESCE(MAX(seq), 0) AS"
                + " SIGNED) - " + ANCHOR_WINDOW + " FROM " + database.table(Migrations.CHANGES_TABLE)
                + ")) AS e ON TRUE ORDER BY e.seq";
        Header read = null;
        List<Long> present = new ArrayList<>();
        try (Statement statement = own.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                if (read == null) {
                    read = header(rows);
                }
                long seq = rows.getLong(5);
                if (!rows.wasNull()) {
                    present.add(seq);
                }
            }
        }
        if (read == null) {
            throw new SQLException("the change log's position query returned nothing");
        }
        incarnation = read.incarnation();
        removed = read.removed();
        highest = read.head();
        holes.clear();
        long noticedNanos = nanoTime.getAsLong();
        int next = 0;
        for (long seq = Math.max(0, read.head() - ANCHOR_WINDOW) + 1; seq <= read.head(); seq++) {
            if (next < present.size() && present.get(next) == seq) {
                next++;
            } else {
                holes.put(seq, new Hole(read.now() + 1, noticedNanos));
            }
        }
        anchored = true;
    }

    private static Header header(ResultSet rows) throws SQLException {
        return new Header(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
    }

    /** Reads the log once, opening the connection first if needed. */
    @Override
    protected boolean read() throws SQLException {
        Connection own = connection();
        if (!anchored) {
            anchor(own);
        }
        boolean applied = readEntries(own);
        pruneNowAndThen();
        return applied;
    }

    private boolean readEntries(Connection own) throws SQLException {
        if (triggersUnchecked || brokenTracking() != null) {
            @Nullable String before = brokenTracking();
            @Nullable String broken = checkTriggers(own);
            if (broken != null || before != null) {
                // Changes may have gone unlogged while a trigger was missing.
                anchor(own);
                follower().missedChanges(broken != null ? broken : "the change log was not recording every change");
                return true;
            }
        }
        List<Long> asked = new ArrayList<>(holes.keySet());
        // Each entry's age by the server's clock as it is read (changed_at is its statement's
        // UTC_TIMESTAMP(6)), so the delay from change to invalidation needs no agreement between clocks.
        StringBuilder sql = new StringBuilder(
                        "SELECT h.*, e.seq, e.table_name, e.namespace, e.`key`, e.version, e.age_us FROM (")
                .append(header)
                .append(") AS h LEFT JOIN (SELECT seq, table_name, namespace, `key`, version,"
                        + " TIMESTAMPDIFF(MICROSECOND, changed_at, UTC_TIMESTAMP(6)) AS age_us FROM ")
                .append(database.table(Migrations.CHANGES_TABLE))
                .append(" WHERE seq > ?");
        if (!asked.isEmpty()) {
            sql.append(" OR seq IN (");
            for (int i = 0; i < asked.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')');
        }
        sql.append(" ORDER BY seq LIMIT ").append(MAX_BACKLOG + 1).append(") AS e ON TRUE ORDER BY e.seq");
        Header read = null;
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement statement = own.prepareStatement(sql.toString())) {
            statement.setLong(1, highest);
            for (int i = 0; i < asked.size(); i++) {
                statement.setLong(i + 2, asked.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                long readAtNanos = System.nanoTime();
                while (rows.next()) {
                    if (read == null) {
                        read = header(rows);
                    }
                    long seq = rows.getLong(5);
                    if (!rows.wasNull()) {
                        byte[] key = rows.getBytes(8);
                        entries.add(new Entry(
                                seq,
                                rows.getString(6),
                                rows.getString(7),
                                key == null ? null : new String(key, StandardCharsets.UTF_8),
                                rows.getLong(9),
                                LoggedChange.changedAt(readAtNanos, rows.getLong(10))));
                    }
                }
            }
        }
        if (read == null) {
            throw new SQLException("the change log's position query returned nothing");
        }
        String gap = gap(read, entries);
        if (gap != null) {
            // The new position is taken before the caches are dropped: see the class comment.
            anchor(own);
            follower().missedChanges(gap);
            return true;
        }
        List<LoggedChange> applied = new ArrayList<>();
        long noticedNanos = nanoTime.getAsLong();
        for (Entry entry : entries) {
            if (entry.seq() > highest) {
                for (long missing = highest + 1; missing < entry.seq(); missing++) {
                    // A second later than the statement's start: its snapshot may be taken just after.
                    holes.put(missing, new Hole(read.now() + 1, noticedNanos));
                }
                highest = entry.seq();
                applied.add(logged(entry));
            } else if (holes.remove(entry.seq()) != null) {
                applied.add(logged(entry));
            }
        }
        // Asked for and still absent, though its transaction had ended before this read: rolled back.
        for (long seq : asked) {
            Hole hole = holes.get(seq);
            if (hole != null && hole.ended) {
                holes.remove(seq);
            }
        }
        if (holes.size() > MAX_HOLES) {
            anchor(own);
            follower().missedChanges("more than " + MAX_HOLES + " entries of the change log are in flight or lost");
            return true;
        }
        Map.Entry<Long, Hole> oldest = holes.firstEntry();
        if (oldest != null
                && noticedNanos - oldest.getValue().noticedNanos > TimeUnit.SECONDS.toNanos(HOLE_TIMEOUT_SECONDS)) {
            anchor(own);
            follower()
                    .missedChanges("entry " + oldest.getKey() + " of the change log did not appear for "
                            + HOLE_TIMEOUT_SECONDS + " s, and no transaction could be proved to have rolled it back");
            return true;
        }
        proveEnded(own, read.now());
        removed = read.removed();
        // The log's own numbers have holes and arrive out of order.
        follower().applyInReadOrder(applied);
        return !applied.isEmpty();
    }

    private static LoggedChange logged(Entry entry) {
        return new LoggedChange(
                entry.seq(),
                entry.table(),
                entry.namespace(),
                java.util.Objects.requireNonNull(entry.key(), "checked in gap()"),
                entry.version(),
                entry.changedAtNanos());
    }

    /** What makes this read a gap, or null. */
    private @Nullable String gap(Header read, List<Entry> entries) {
        if (read.incarnation() == null || !read.incarnation().equals(incarnation)) {
            return "the change feed now reads from another server, or the same one after a restart or a restore"
                    + " (incarnation " + read.incarnation() + ", before " + incarnation
                    + "), so entries it had read may be gone and numbers reused";
        }
        if (read.head() < highest) {
            return "the change log's newest entry is " + read.head() + ", below the " + highest
                    + " already read: the log was emptied or the database restored";
        }
        if (read.removed() > removed && read.removed() > floor()) {
            return "entries up to " + read.removed() + " were removed from the change log, some before they were read";
        }
        if (entries.size() > MAX_BACKLOG) {
            return "more than " + MAX_BACKLOG + " changes were committed since the last read";
        }
        for (Entry entry : entries) {
            if (entry.key() == null) {
                return "an entry of table " + entry.table() + " names no key";
            }
        }
        return null;
    }

    /** Every number at or below it has been read or proved empty. */
    private long floor() {
        Long first = holes.isEmpty() ? null : holes.firstKey();
        return first == null ? highest : first - 1;
    }

    /**
     * Marks the holes whose transactions have ended: no transaction running now started at or
     * before the second the hole was first missed.
     */
    private void proveEnded(Connection own, long now) throws SQLException {
        if (transactionsUnreadable) {
            return;
        }
        boolean due = false;
        for (Hole hole : holes.values()) {
            if (!hole.ended && now - hole.noticedAt >= PROOF_DELAY_SECONDS) {
                due = true;
                break;
            }
        }
        if (!due) {
            return;
        }
        long checkedAt;
        long oldestStart;
        try (Statement statement = own.createStatement();
                ResultSet row = statement.executeQuery("SELECT UNIX_TIMESTAMP(), COALESCE(UNIX_TIMESTAMP("
                        + "MIN(trx_started)), 9223372036854775807) FROM information_schema.INNODB_TRX"
                        + " WHERE trx_mysql_thread_id <> CONNECTION_ID()")) {
            row.next();
            checkedAt = row.getLong(1);
            oldestStart = row.getLong(2);
        } catch (SQLException e) {
            if (MariaDbErrors.errorCode(e) != 1227) {
                throw e;
            }
            transactionsUnreadable = true;
            log.info(
                    "configstore-mysql {}: the change feed may not read information_schema.INNODB_TRX ({}), so an"
                            + " entry that a rolled-back transaction never wrote counts as a gap after {} s. GRANT"
                            + " PROCESS to the user to avoid that",
                    database.server,
                    e.getMessage(),
                    HOLE_TIMEOUT_SECONDS);
            return;
        }
        for (Iterator<Hole> it = holes.values().iterator(); it.hasNext(); ) {
            Hole hole = it.next();
            if (checkedAt - hole.noticedAt >= PROOF_DELAY_SECONDS && oldestStart > hole.noticedAt) {
                hole.ended = true;
            }
        }
    }

    /**
     * Checks that every trigger the log depends on exists, logs when that changes, and notes the
     * result in {@link #brokenTracking()}.
     *
     * @return what keeps the log from recording every change, or null if nothing does
     */
    private @Nullable String checkTriggers(Connection own) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement =
                own.prepareStatement("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?")) {
            statement.setString(1, database.name);
            List<String> present = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
            Migrations.TRIGGERS.forEach((trigger, table) -> {
                if (!present.contains(trigger)) {
                    missing.add(trigger + " on " + table);
                }
            });
        }
        String broken = missing.isEmpty()
                ? null
                : "configstore's triggers " + String.join(", ", missing) + " are missing, so changes may go unlogged";
        noteTracking(
                broken,
                "Open a store once with a user that may create triggers (opening a store runs the migrations, which"
                        + " put back what is missing), or run 'configstore migrate'");
        triggersUnchecked = false;
        return broken;
    }

    @Override
    protected void prepare(Connection current) throws SQLException {
        try (Statement statement = current.createStatement()) {
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            // The server's incarnation, if it has none yet (new, or restarted).
            statement.execute("INSERT IGNORE INTO " + database.table(Migrations.SERVER_TABLE)
                    + " (only_row, incarnation, since) VALUES (1, UUID(), UTC_TIMESTAMP())");
            try (ResultSet row = statement.executeQuery("SELECT CONNECTION_ID()")) {
                row.next();
                connectionId = row.getLong(1);
            }
        }
        // A trigger dropped while the feed had no connection is found at its first read.
        triggersUnchecked = true;
    }

    /** The feed learns of changes only by reading: it reads again after the poll interval. */
    @Override
    protected void awaitChange(boolean changed) {
        LockSupport.parkNanos(
                this, TimeUnit.MILLISECONDS.toNanos(Math.max(1, interval().toMillis())));
    }

    @Override
    protected void prune() {
        prune(KEEP_ENTRIES);
    }

    /**
     * Removes all but the newest {@code keep} entries. A reader that had not read a removed entry
     * sees a gap and drops its whole cache, so removing entries never makes anyone miss a change.
     */
    void prune(int keep) {
        String changes = database.table(Migrations.CHANGES_TABLE);
        prune(database, Migrations.CHANGES_TABLE, c -> {
            long newest;
            try (Statement statement = c.createStatement();
                    ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + changes)) {
                newest = row.next() ? row.getLong(1) : 0;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + changes + " WHERE seq <= ?")) {
                delete.setLong(1, newest - keep);
                return delete.executeUpdate();
            }
        });
    }
}
