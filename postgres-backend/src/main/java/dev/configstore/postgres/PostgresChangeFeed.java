package dev.configstore.postgres;

import dev.configstore.jdbc.internal.ChangeLogFeed;
import dev.configstore.jdbc.internal.LoggedChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the stores on a schema about changes made by other connections: other processes, other
 * hosts, psql, other stores on the same schema.
 *
 * <p><b>Reading the log in commit order.</b> Triggers add an entry to {@code configstore_changes}
 * for every change and notify the schema's channel. Entries are numbered by a sequence, but on
 * PostgreSQL that order is not the order in which they become visible: a transaction that took
 * number 10 may commit after one that took 11, and a rolled-back transaction leaves a hole that
 * is never filled. So a reader cannot follow the numbers ("everything after the last one I saw"
 * would skip 10 for good). Instead each entry records the 64-bit id of the transaction that
 * wrote it ({@code pg_current_xact_id()}), and the feed remembers the snapshot ({@code
 * pg_current_snapshot()}) in which it last read the log. The next read, in a new snapshot, takes
 * exactly the entries whose transaction the previous snapshot could not see ({@code NOT
 * pg_visible_in_snapshot(txid, previous)}): those that were still running then, or had not
 * started. An entry becomes visible in some snapshot after its transaction commits, and in the
 * first read whose snapshot sees it, the previous snapshot did not; so every committed entry is
 * read exactly once, whatever order transactions commit in, and holes mean nothing. Only ids at
 * or above the previous snapshot's {@code xmin} can qualify, which keeps the read on an index.
 *
 * <p><b>Lost entries.</b> Whenever entries are removed from the log (pruning, or anyone's {@code
 * DELETE} or {@code TRUNCATE}), a trigger raises the newest removed transaction id kept in {@code
 * configstore_changes_removed}. If that value rose since the last read and reaches the previous
 * snapshot's {@code xmin}, an entry this feed had not read may be gone, and every cache is
 * dropped instead (a gap). The same happens if the server's transaction ids or the log's
 * sequence went backwards (a restored or replaced database), or a data table was truncated. Every
 * read also checks that the triggers exist and are enabled and that the removal record has its
 * row: while either is broken, changes may be missed, so every read is a gap, and so is the first
 * read after the repair.
 *
 * <p><b>Another server, or another history.</b> Transaction ids and sequence values are only
 * comparable within one history of one server: after a failover to a standby that had not
 * received the last commits, or a restore, or a crash that lost commits, the server hands out
 * again ids this feed has seen committed, so the entries of new transactions would look already
 * read, and values read from the lost commits would stay cached. So every read also reads the
 * server's incarnation ({@code configstore_server}, an unlogged table that a promoted standby, a
 * restored backup and a crashed server all find empty, and whose row the feed's next connection
 * writes anew), and a read that finds another incarnation than the previous one drops every
 * cache instead of reading entries. Only a reconnection to the very server, with nothing lost
 * since, finds the same one. Each connection also notes the server's system identifier, timeline
 * and start time, for the message.
 *
 * <p><b>Notifications only wake the reader.</b> A thread holds one connection of its own, LISTENs
 * on the schema's channel, and reads the log on every notification and at least every poll
 * interval. Correctness never depends on a notification arriving: if the connection breaks
 * (notifications sent meanwhile are lost), the thread reconnects, LISTENs again, and its first
 * read takes everything committed since its last snapshot, or drops every cache if some of it
 * was pruned meanwhile.
 */
final class PostgresChangeFeed extends ChangeLogFeed {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.feed");
    private static final int MAX_BACKLOG = 100_000;
    private static final int KEEP_ENTRIES = 10_000;
    private static final Duration KEEP_FOR = Duration.ofHours(24);
    private static final int KEEP_RECENT = 1_000;
    /**
     * The longest pause between two attempts to reconnect: after a failover, the feed reads from
     * the new primary at most this long (plus a connection attempt) after it accepts connections.
     */
    static final long MAX_BACKOFF_MILLIS = 250;

    private static final int WARM_UP_READS = 5;
    private static final String REMEDY = "Restart the bot (opening a store runs the migrations, which put back what is"
            + " missing); enable a disabled trigger with ALTER TABLE … ENABLE TRIGGER …";

    /** A snapshot as {@code pg_current_snapshot()} prints it ("xmin:xmax:xip,…"), and its bounds. */
    record Snapshot(String text, long xmin, long xmax) {
        static Snapshot parse(String text) {
            String[] parts = text.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalStateException("unexpected snapshot " + text);
            }
            return new Snapshot(text, Long.parseUnsignedLong(parts[0]), Long.parseUnsignedLong(parts[1]));
        }
    }

    /**
     * Where a read left the feed: its snapshot, the newest removed transaction id, the sequence,
     * the server's incarnation those belong to, and that server, for messages.
     */
    private record Position(Snapshot snapshot, long newestRemoved, long sequence, String incarnation, String server) {}

    private final PostgresDatabase database;
    private final boolean listen;
    private final String positionQuery;
    private final String entriesQuery;
    private final String incarnationStatement;

    private @Nullable Position position;

    private boolean caughtUpOnConnection;
    private boolean incarnationUnwritable;
    /**
     * The server's incarnation as the current connection found it (after writing it if missing),
     * or, where the connection may not write it (a read-only role), {@link #serverIdentity}.
     */
    private String connectionIncarnation = "";
    /** The server's system identifier, timeline and start time, as the current connection found them. */
    private String serverIdentity = "";
    /** The server the current connection reached, for messages. */
    private String connectionServer = "";

    private volatile int backendPid;
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong catchUps = new AtomicLong();

    private PostgresChangeFeed(PostgresDatabase database, Duration interval, boolean listen) {
        super(
                "configstore-postgres " + database.server,
                0,
                interval,
                MAX_BACKOFF_MILLIS,
                database::dedicatedConnection);
        this.database = database;
        this.listen = listen;
        StringBuilder triggers = new StringBuilder();
        for (Migrations.Trigger trigger : Migrations.TRIGGERS) {
            triggers.append(triggers.length() == 0 ? "" : ", ")
                    .append("('")
                    .append(trigger.table())
                    .append("', '")
                    .append(trigger.name())
                    .append("')");
        }
        this.positionQuery = "SELECT pg_current_snapshot()::text AS snapshot,"
                + " (SELECT newest_txid::text FROM " + database.table(Migrations.REMOVED_TABLE)
                + " ORDER BY newest_txid DESC LIMIT 1) AS newest_removed,"
                + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                + database.table(Migrations.CHANGES_SEQUENCE) + ") AS sequence,"
                // Checked at every read: one more subquery of the same round trip, a few index
                // lookups in pg_trigger, and a dropped trigger is noticed within a poll interval.
                + " (SELECT string_agg(e.name || ' on ' || e.tbl || CASE WHEN t.oid IS NULL THEN '' ELSE"
                + " ' (disabled)' END, ', ' ORDER BY e.tbl, e.name) FROM (VALUES " + triggers + ") AS e(tbl, name)"
                + " LEFT JOIN pg_trigger t ON t.tgrelid = to_regclass('" + database.quoted() + ".' || e.tbl)"
                + " AND t.tgname = e.name WHERE t.oid IS NULL OR t.tgenabled = 'D') AS broken,"
                + " (SELECT incarnation::text FROM " + database.table(Migrations.SERVER_TABLE) + ") AS incarnation";
        // The position and the entries read after the previous one, in one statement: one round
        // trip, and one snapshot for both without a transaction around them.
        // Each entry's age by the server's clock as it is read (changed_at is its transaction's
        // start), so the delay from change to invalidation needs no agreement between clocks.
        this.entriesQuery = "SELECT p.*, e.seq, e.table_name, e.namespace, e.key, e.version, e.age_us FROM ("
                + positionQuery + ") AS p LEFT JOIN LATERAL (SELECT seq, table_name, namespace, key, version,"
                + " (EXTRACT(EPOCH FROM clock_timestamp() - changed_at) * 1000000)::bigint AS age_us FROM "
                + database.table(Migrations.CHANGES_TABLE)
                + " WHERE txid >= ?::xid8 AND NOT pg_visible_in_snapshot(txid, ?::pg_snapshot)"
                + " ORDER BY seq LIMIT " + (MAX_BACKLOG + 1) + ") AS e ON true ORDER BY e.seq";
        this.incarnationStatement = "INSERT INTO " + database.table(Migrations.SERVER_TABLE)
                + " DEFAULT VALUES ON CONFLICT (only_row) DO NOTHING";
    }

    /**
     * Creates a feed that starts at the log as it is now: changes already committed are not
     * applied (stores built afterwards start with empty caches).
     *
     * @param threads whether to start the listening thread; without it, changes are read only by
     *     {@link #pollNow()}
     */
    static PostgresChangeFeed start(PostgresDatabase database, Duration interval, boolean threads) {
        PostgresChangeFeed feed = new PostgresChangeFeed(database, interval, threads);
        feed.firstRead(database, Migrations.CHANGES_TABLE, () -> {
            feed.read();
            // Warm-up: the reads that follow the first one take another path (the entries
            // query). Taking it a few times now loads its classes and lets the driver prepare
            // the statement on the server (the driver does so at its fifth use), so the first
            // change made elsewhere does not pay for that. Each is a real read of the log.
            for (int i = 0; i < WARM_UP_READS; i++) {
                feed.read();
            }
            feed.warmUpRecords();
        });
        if (threads) {
            feed.startThread("configstore-postgres-feed " + database.schema);
        }
        return feed;
    }

    /**
     * The first {@code equals} and {@code hashCode} of a record in a JVM link the machinery that
     * every record's then shares, which takes tens of milliseconds on a busy machine (measured:
     * 27 to 164 ms). Applying the first change looks records up in maps (the follower's rows and
     * subscriptions), so that cost would be added to the first change made elsewhere.
     */
    private void warmUpRecords() {
        LoggedChange one = new LoggedChange(1, Migrations.CHANGES_TABLE, "", "warm-up", 1);
        LoggedChange other = new LoggedChange(1, Migrations.CHANGES_TABLE, "", "warm-up", 2);
        log.trace("change feed warm-up: {} {}", one.equals(other), one.hashCode() == other.hashCode());
    }

    /** Reads the log once, opening the connection first if needed. */
    @Override
    protected synchronized boolean read() throws SQLException {
        Connection own = connection();
        Position now;
        @Nullable String broken;
        List<LoggedChange> entries = new ArrayList<>();
        @Nullable String truncated = null;
        Position last = position;
        // On another server or history, the previous snapshot means nothing: take the position only.
        boolean readEntries = last != null && last.incarnation().equals(connectionIncarnation);
        try (PreparedStatement statement = own.prepareStatement(readEntries ? entriesQuery : positionQuery)) {
            if (readEntries && last != null) {
                statement.setString(1, Long.toUnsignedString(last.snapshot().xmin()));
                statement.setString(2, last.snapshot().text());
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("the change log's position query returned nothing");
                }
                String removed = rows.getString(2);
                String incarnation = rows.getString(5);
                now = new Position(
                        Snapshot.parse(rows.getString(1)),
                        removed == null ? 0 : Long.parseUnsignedLong(removed),
                        rows.getLong(3),
                        // Without the row (a read-only role, or emptied by hand), the server's identity.
                        incarnation == null ? serverIdentity : incarnation,
                        connectionServer);
                broken = describeBrokenTracking(rows.getString(4), removed == null);
                if (readEntries) {
                    long readAtNanos = System.nanoTime();
                    // Without entries, the one row has NULLs for them.
                    do {
                        long seq = rows.getLong(6);
                        if (rows.wasNull()) {
                            continue;
                        }
                        String key = rows.getString(9);
                        if (key == null) {
                            // An entry without a key says that the whole table was truncated.
                            truncated = truncated == null ? rows.getString(7) : truncated;
                        } else {
                            entries.add(new LoggedChange(
                                    seq,
                                    rows.getString(7),
                                    rows.getString(8),
                                    key,
                                    rows.getLong(10),
                                    LoggedChange.changedAt(readAtNanos, rows.getLong(11))));
                        }
                    } while (rows.next());
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            throw e;
        }
        @Nullable String brokenBefore = noteTracking(broken, REMEDY);
        boolean applied = last != null && apply(last, now, entries, truncated, broken, brokenBefore);
        // Only once every entry was dispatched: a read that failed midway is read again.
        position = now;
        if (!caughtUpOnConnection) {
            caughtUpOnConnection = true;
            if (catchUps.incrementAndGet() > 1) {
                log.info(
                        "configstore-postgres {}: the change feed is connected again and has read the {} changes"
                                + " committed meanwhile",
                        database.server,
                        entries.size());
            }
        }
        pruneNowAndThen();
        return applied;
    }

    /** What keeps the log from recording every change, or null if it records them all. */
    private static @Nullable String describeBrokenTracking(
            @Nullable String missingTriggers, boolean removedRowMissing) {
        List<String> problems = new ArrayList<>(2);
        if (missingTriggers != null) {
            problems.add("configstore's triggers " + missingTriggers + " are missing or disabled, so changes may"
                    + " go unlogged");
        }
        if (removedRowMissing) {
            problems.add("table " + Migrations.REMOVED_TABLE + " has lost its row, so entries removed from the"
                    + " change log go unnoticed");
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /**
     * Applies what one read found; returns whether anything was applied.
     *
     * @param truncated a table the entries say was truncated, or null
     * @param broken what keeps the log from recording every change now, or null
     * @param brokenBefore what kept it from that at the previous read, or null
     */
    private boolean apply(
            Position last,
            Position now,
            List<LoggedChange> entries,
            @Nullable String truncated,
            @Nullable String broken,
            @Nullable String brokenBefore) {
        String gap = null;
        if (!now.incarnation().equals(last.incarnation())) {
            gap = "the change feed now reads from another server, or the same one after a failover, a restore or"
                    + " a crash (" + now.server() + ", incarnation " + shortId(now.incarnation()) + "; before: "
                    + last.server() + ", incarnation "
                    + shortId(last.incarnation()) + "), so changes it had read may be gone and transaction ids"
                    + " reused";
        } else if (broken != null) {
            gap = broken;
        } else if (brokenBefore != null) {
            // Changes committed between the previous read and the repair were not logged.
            gap = "the change log was not recording every change until now";
        } else if (Long.compareUnsigned(now.snapshot().xmax(), last.snapshot().xmax()) < 0) {
            gap = "the server's transaction ids went backwards (from "
                    + Long.toUnsignedString(last.snapshot().xmax())
                    + " to " + Long.toUnsignedString(now.snapshot().xmax())
                    + "): the database was restored or replaced";
        } else if (now.sequence() < last.sequence()) {
            gap = "the change log's sequence went backwards (from " + last.sequence() + " to " + now.sequence()
                    + "): the schema was restored or recreated";
        } else if (Long.compareUnsigned(now.newestRemoved(), last.newestRemoved()) > 0
                && Long.compareUnsigned(now.newestRemoved(), last.snapshot().xmin()) >= 0) {
            gap = "entries were removed from the change log before they were read";
        } else if (entries.size() > MAX_BACKLOG) {
            gap = "more than " + MAX_BACKLOG + " changes were committed since the last read";
        } else if (truncated != null) {
            gap = "table " + truncated + " was truncated";
        }
        if (gap != null) {
            follower().missedChanges(gap);
            return true;
        }
        if (entries.isEmpty()) {
            return false;
        }
        // The log's own numbers have holes and arrive out of order on PostgreSQL.
        follower().applyInReadOrder(entries);
        return true;
    }

    private static String shortId(String incarnation) {
        return incarnation.length() == 36 ? incarnation.substring(0, 8) : incarnation;
    }

    @Override
    protected void prepare(Connection current) throws SQLException {
        try (Statement statement = current.createStatement()) {
            statement.execute(
                    "SELECT set_config('application_name', '" + feedApplicationName(database.schema) + "', false)");
            if (listen) {
                statement.execute("LISTEN \"" + Migrations.channel(database.schema) + "\"");
            }
            identifyServer(statement);
        }
        // A read is one statement, so one snapshot: it needs no transaction, and with none
        // open, notifications are delivered as soon as they arrive.
        // A server that vanishes without closing the connection must not hang the feed.
        current.setNetworkTimeout(Runnable::run, (int) Math.min(
                Integer.MAX_VALUE,
                Math.max(database.networkTimeout.toMillis(), 4 * interval().toMillis())));
        backendPid = current.unwrap(PGConnection.class).getBackendPID();
        caughtUpOnConnection = false;
        connectionsOpened.incrementAndGet();
    }

    /** Blocks until a notification arrives or the interval passes; then the thread reads again. */
    @Override
    protected void awaitChange(boolean changed) throws SQLException {
        connection().unwrap(PGConnection.class).getNotifications((int)
                Math.max(1, Math.min(Integer.MAX_VALUE, interval().toMillis())));
    }

    /**
     * Notes which server the new connection reached, refuses a standby, and writes the server's
     * incarnation if it has none yet (a new, promoted, restored or crashed server).
     */
    private void identifyServer(Statement statement) throws SQLException {
        String server;
        String identity;
        try (ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery(),"
                + " (SELECT system_identifier FROM pg_control_system())::text,"
                + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()),"
                + " 1, 8))::bit(32)::int END, to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), host(inet_server_addr()), inet_server_port()")) {
            row.next();
            String address = row.getString(5);
            identity =
                    "system " + row.getString(2) + ", timeline " + row.getString(3) + ", up since " + row.getString(4);
            server = "server " + (address == null ? "on a local socket" : address + ":" + row.getInt(6)) + " ("
                    + identity + ")";
            if (row.getBoolean(1)) {
                throw new SQLException(
                        "the change feed's connection reached a standby (" + server + "), which only replays what"
                                + " its primary did; connect to the primary (with several hosts in the JDBC URL, add"
                                + " targetServerType=primary)",
                        "25006");
            }
        }
        connectionServer = server;
        serverIdentity = identity;
        String incarnation = incarnation(statement);
        if (incarnation == null) {
            try {
                statement.executeUpdate(incarnationStatement);
                incarnation = incarnation(statement);
            } catch (SQLException e) {
                String state = PostgresErrors.sqlState(e);
                if (!state.equals("25006") && !state.equals("42501")) {
                    throw e;
                }
                if (!incarnationUnwritable) {
                    incarnationUnwritable = true;
                    log.info(
                            "configstore-postgres {}: the change feed may not write the server's incarnation to table"
                                    + " {} ({}), so it tells servers apart by system identifier, timeline and start"
                                    + " time only, and a crash that loses commits made with synchronous_commit = off"
                                    + " goes unnoticed. Let the feed's role write that table, or open one store with a"
                                    + " role that may",
                            database.server,
                            Migrations.SERVER_TABLE,
                            e.getMessage());
                }
            }
        }
        connectionIncarnation = incarnation == null ? identity : incarnation;
    }

    private @Nullable String incarnation(Statement statement) throws SQLException {
        try (ResultSet row =
                statement.executeQuery("SELECT incarnation::text FROM " + database.table(Migrations.SERVER_TABLE))) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /** The name the feed's connection shows in {@code pg_stat_activity}. */
    static String feedApplicationName(String schema) {
        return PostgresDatabase.fitApplicationName("configstore feed " + schema);
    }

    /**
     * Removes old entries: all but the newest {@value #KEEP_ENTRIES}, and of those, the ones older
     * than a day beyond the newest thousand; never those of transactions that may still be
     * running. A reader that had not read a removed entry sees a gap and drops its whole cache, so
     * removing entries never makes anyone miss a change.
     */
    @Override
    protected void prune() {
        prune(KEEP_ENTRIES, KEEP_FOR, KEEP_RECENT);
    }

    /** Keeps the newest {@code keepEntries}, and of older ones only those younger than {@code keepFor} among the newest {@code keepRecent}. */
    void prune(int keepEntries, Duration keepFor, int keepRecent) {
        String changes = database.table(Migrations.CHANGES_TABLE);
        prune(database, Migrations.CHANGES_TABLE, c -> {
            try (PreparedStatement statement = c.prepareStatement("DELETE FROM " + changes
                    + " WHERE txid < pg_snapshot_xmin(pg_current_snapshot())"
                    + " AND (seq <= (SELECT MAX(seq) FROM " + changes + ") - ?"
                    + " OR (changed_at < now() - ?::double precision * interval '1 second'"
                    + " AND seq <= (SELECT MAX(seq) FROM " + changes + ") - ?))")) {
                statement.setLong(1, keepEntries);
                statement.setLong(2, keepFor.toSeconds());
                statement.setLong(3, keepRecent);
                return statement.executeUpdate();
            }
        });
    }

    /** How many connections the feed has opened so far; for tests. */
    long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** How many times the feed has completed a first read on a new connection; for tests. */
    long catchUps() {
        return catchUps.get();
    }

    /** The server process of the feed's current connection, as {@code pg_backend_pid()}; for tests. */
    int backendPid() {
        return backendPid;
    }
}
