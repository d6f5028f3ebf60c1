package dev.configstore.jdbc.internal;

import dev.configstore.ChangeFeedStats;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every database's change feed shares: a connection of its own on which it reads the
 * database's change log, a thread that reads it whenever the database's way of waking it says so
 * (and at least every poll interval), reconnecting after a failure with a pause that doubles up to
 * a limit, and the {@link ChangeLogFollower} that turns what was read into listener calls and
 * counts it all.
 *
 * <p>A database says how to open and prepare its connection, how to read the log once ({@link
 * #read}), how to wait for the next read ({@link #awaitChange}), and how to prune the log.
 *
 * <p>Reads run one at a time, under this object's lock: from the feed's thread, or from {@link
 * #pollNow()} (tests, and a feed started without a thread).
 */
public abstract class ChangeLogFeed implements ChangeFeed {

    /** A feed's first read, which starts it. */
    @FunctionalInterface
    protected interface FirstRead {
        /**
         * Reads the log for the first time.
         *
         * @throws SQLException if it failed
         */
        void run() throws SQLException;
    }

    private static final int READS_BETWEEN_PRUNES = 1_000;
    private static final long FIRST_BACKOFF_MILLIS = 50;

    private final Logger log = LoggerFactory.getLogger("dev.configstore.feed");
    private final String name;
    private final Duration interval;
    private final long maxBackoffMillis;
    private final SqlCall<Connection> connector;
    private final ChangeLogFollower follower;
    private @Nullable String brokenTracking;

    private @Nullable Connection connection;
    private volatile @Nullable Connection openConnection;
    private volatile boolean running;
    private volatile boolean closed;
    private @Nullable Thread thread;
    private int readsSincePrune;
    /** Whether the feed had a connection before: each one opened after the first is a reconnection. */
    private boolean connectedBefore;
    /** When the last read succeeded ({@link System#nanoTime()}); the start counts as one. */
    private volatile long lastReadNanos = System.nanoTime();
    /** Reads failed since the last that succeeded. */
    private final AtomicLong failuresSinceRead = new AtomicLong();
    /** Reads failed since the feed started; a read succeeded only if it did not count one. */
    private final AtomicLong failures = new AtomicLong();

    private volatile @Nullable String lastFailure;

    /**
     * What a health probe needs of a feed, at one moment.
     *
     * @param threaded whether the feed reads on a thread of its own (else only when polled)
     * @param threadRunning whether that thread runs
     * @param nanosSinceRead how long ago the last read succeeded
     * @param failuresSinceRead reads failed since then
     * @param lastFailure the last failure since then, or null if none
     * @param interval the longest wait between two reads
     */
    public record State(
            boolean threaded,
            boolean threadRunning,
            long nanosSinceRead,
            long failuresSinceRead,
            @Nullable String lastFailure,
            Duration interval) {}

    /**
     * Creates a feed; its thread starts with {@link #startThread}.
     *
     * @param name the prefix of its log messages, such as {@code configstore-sqlite /srv/bot.db}
     * @param head where the follower starts: the newest sequence number in the log now, or {@code
     *     0} for a feed that numbers entries itself
     * @param interval the longest wait between two reads
     * @param maxBackoffMillis the longest pause between two attempts after failed reads
     * @param connector opens the feed's own connection (not a pooled one: it is held as long as
     *     it works)
     */
    protected ChangeLogFeed(
            String name, long head, Duration interval, long maxBackoffMillis, SqlCall<Connection> connector) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.maxBackoffMillis = maxBackoffMillis;
        this.connector = Objects.requireNonNull(connector, "connector");
        this.follower = new ChangeLogFollower(name, head);
    }

    @Override
    public final ChangeSubscription subscribe(String table, String namespace, ChangeListener<String> listener) {
        return follower.subscribe(table, namespace, listener);
    }

    @Override
    public final void recordOwnChange(String table, String namespace, String key, long version) {
        follower.recordOwnChange(table, namespace, key, version);
    }

    @Override
    public final void clearedHere(CacheClears.Request request) {
        follower.clearedHere(request);
    }

    @Override
    public final ChangeSubscription watchDelays(LongConsumer listener) {
        return follower.watchDelays(listener);
    }

    @Override
    public final ChangeFeedStats stats() {
        return follower.stats();
    }

    /**
     * Reads and applies whatever was committed since the last read; a failure is counted and the
     * connection reopened at the next read.
     *
     * @return whether anything was applied (or a gap signalled)
     */
    public final synchronized boolean pollNow() {
        try {
            long failuresBefore = failures.get();
            boolean changed = read();
            readEnded(failuresBefore);
            return changed;
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /**
     * Reads the log once, on {@link #connection()}, and hands what it found to {@link
     * #follower()}. Called under this object's lock.
     *
     * @return whether anything was applied (or a gap signalled)
     * @throws SQLException if the read failed: it is counted, and the connection closed
     */
    protected abstract boolean read() throws SQLException;

    /**
     * Prepares a new connection (in autocommit) before its first read; if this throws, the
     * connection is closed.
     *
     * @param connection the new connection
     * @throws SQLException if it cannot be prepared
     */
    protected abstract void prepare(Connection connection) throws SQLException;

    /**
     * Waits, on the feed's thread, until the next read is due: until the database says something
     * changed, or at the latest the poll interval.
     *
     * @param changed whether the read just done applied anything
     * @throws SQLException if waiting on the connection failed: counted as a failed read
     */
    protected abstract void awaitChange(boolean changed) throws SQLException;

    /** Removes old entries from the log; never throws (a failure is logged, and retried later). */
    protected abstract void prune();

    /**
     * Pauses the feed's thread after a failed read, before it tries again.
     *
     * @param backoffMillis the pause: 50 ms after the first failure, doubling up to the limit
     */
    protected void awaitRetry(long backoffMillis) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(backoffMillis));
    }

    /**
     * Wakes the feed's thread out of its wait when the feed closes. This one aborts the feed's
     * connection, for a thread that may be waiting on it.
     */
    protected void stopWaiting() {
        Connection current = openConnection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            } catch (SQLException e) {
                log.debug("{}: aborting the change feed's connection: {}", name, e.toString());
            }
        }
    }

    /**
     * Returns the feed's connection, opening and preparing it first if there is none.
     *
     * @return the connection
     * @throws SQLException if it could not be opened or prepared
     */
    protected final synchronized Connection connection() throws SQLException {
        Connection current = connection;
        if (current != null) {
            return current;
        }
        current = connector.run();
        try {
            current.setAutoCommit(true);
            prepare(current);
        } catch (SQLException | RuntimeException e) {
            try {
                current.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        connection = current;
        openConnection = current;
        if (connectedBefore) {
            follower.reconnected();
        }
        connectedBefore = true;
        return current;
    }

    /** Closes the feed's connection, if it has one: the next read opens a new one. */
    protected final synchronized void closeConnection() {
        Connection current = connection;
        connection = null;
        openConnection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                log.debug("{}: closing the change feed's connection: {}", name, e.toString());
            }
        }
    }

    /**
     * Runs the feed's first read, under its lock; if it fails, the connection is closed and the
     * failure thrown, translated: a feed that cannot read its log at start does not start.
     *
     * @param database the database, to translate the failure
     * @param table the change log, for the message
     * @param first the first read
     */
    protected final synchronized void firstRead(JdbcDatabase database, String table, FirstRead first) {
        try {
            first.run();
        } catch (SQLException e) {
            closeConnection();
            throw database.translate(e, table, "starting the change feed");
        } catch (RuntimeException e) {
            closeConnection();
            throw e;
        }
    }

    /** Prunes the log once every thousand calls; a database calls it after each read that counts. */
    protected final void pruneNowAndThen() {
        if (++readsSincePrune >= READS_BETWEEN_PRUNES) {
            readsSincePrune = 0;
            prune();
        }
    }

    /**
     * Runs a delete of old entries as one write; a failure is logged and left for the next prune.
     *
     * @param database the database
     * @param table the change log
     * @param delete the delete
     */
    protected final void prune(JdbcDatabase database, String table, SqlWork<Integer> delete) {
        try {
            database.write(table, "pruning the change log", delete);
        } catch (RuntimeException e) {
            log.debug("{}: pruning the change log failed; will try again later: {}", name, e.toString());
        }
    }

    /**
     * Counts a failed read (not one that closing the feed caused) and closes the connection.
     *
     * @param failure what went wrong
     */
    protected final void failed(Exception failure) {
        if (!closed) {
            follower.readFailed(failure);
            lastFailure = failure.toString();
            failuresSinceRead.incrementAndGet();
            failures.incrementAndGet();
        }
        closeConnection();
    }

    /**
     * Notes what keeps the log from recording every change, and logs when that changes: a
     * warning while something is broken (every read is then a gap), a note once it is repaired.
     *
     * @param broken what is broken now, or null if nothing
     * @param remedy what an operator does about it, for the warning
     * @return what was broken before, or null
     */
    protected final synchronized @Nullable String noteTracking(@Nullable String broken, String remedy) {
        String before = brokenTracking;
        if (broken != null && !broken.equals(before)) {
            log.warn(
                    "{}: {}. Until that is fixed, every read of the change log drops every cached value. {}",
                    name,
                    broken,
                    remedy);
        } else if (broken == null && before != null) {
            log.info(
                    "{}: the change log records every change again; dropping every cached value once more, for the"
                            + " changes made meanwhile",
                    name);
        }
        brokenTracking = broken;
        return before;
    }

    /**
     * Returns what kept the log from recording every change at the last check; for tests.
     *
     * @return what was broken, or null
     */
    public final synchronized @Nullable String brokenTracking() {
        return brokenTracking;
    }

    /**
     * Returns the follower the reads hand their entries to.
     *
     * @return the follower
     */
    protected final ChangeLogFollower follower() {
        return follower;
    }

    /**
     * Returns the longest wait between two reads.
     *
     * @return the poll interval
     */
    protected final Duration interval() {
        return interval;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once it was
     */
    protected final boolean closing() {
        return closed;
    }

    /**
     * Starts the feed's thread.
     *
     * @param threadName its name
     */
    protected final void startThread(String threadName) {
        running = true;
        Thread started = new Thread(this::run, threadName);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** Wakes the feed's thread to read at once; for a database that learns of commits by itself. */
    protected final void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /**
     * Whether the feed's thread is running; for tests.
     *
     * @return {@code true} while it runs
     */
    public final boolean threadRunning() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    /** Notes a read that returned: it succeeded unless it counted a failure itself. */
    private void readEnded(long failuresBefore) {
        if (failures.get() != failuresBefore) {
            return;
        }
        lastReadNanos = System.nanoTime();
        failuresSinceRead.set(0);
        lastFailure = null;
    }

    /**
     * Returns what a health probe needs to know of the feed now.
     *
     * @return the feed's state
     */
    public final State state() {
        Thread current = thread;
        return new State(
                current != null,
                current != null && current.isAlive() && running,
                System.nanoTime() - lastReadNanos,
                failuresSinceRead.get(),
                lastFailure,
                interval);
    }

    private void run() {
        long backoff = 0;
        try {
            while (running) {
                try {
                    boolean changed;
                    synchronized (this) {
                        long failuresBefore = failures.get();
                        changed = read();
                        readEnded(failuresBefore);
                    }
                    backoff = 0;
                    awaitChange(changed);
                } catch (SQLException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    failed(e);
                    backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(maxBackoffMillis, backoff * 2);
                    awaitRetry(backoff);
                }
            }
        } catch (Error e) {
            // A broken runtime or a bug (a listener's Error, a missing class): reading on could
            // repeat it forever, so the feed stops, and says so, instead of dying unnoticed.
            if (running) {
                follower.stopped(e);
            }
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        } finally {
            closeConnection();
        }
    }

    /** Stops the thread, waiting for it at most five seconds, and closes the connection. */
    @Override
    public void close() {
        closed = true;
        running = false;
        Thread current = thread;
        if (current != null) {
            stopWaiting();
            LockSupport.unpark(current);
            try {
                current.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnection();
    }
}
