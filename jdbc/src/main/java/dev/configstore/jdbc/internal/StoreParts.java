package dev.configstore.jdbc.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a database's store is made of: its open database, its SQL, its started change feed and
 * its settings. A database's builder opens the database and hands it to {@link #start}, which
 * starts the feed; {@link dev.configstore.jdbc.JdbcConfigStore} makes the rest of the store from
 * them, the same on every database.
 *
 * @param <D> the database's type
 * @param <F> its change feed's type
 */
public final class StoreParts<D extends JdbcDatabase, F extends ChangeFeed> {

    /**
     * How a database starts its change feed.
     *
     * @param <D> the database's type
     * @param <F> its change feed's type
     */
    @FunctionalInterface
    public interface FeedStarter<D, F> {
        /**
         * Starts the feed.
         *
         * @param database the open database
         * @param interval how often it reads the change log at the latest
         * @param threads whether it runs on its own threads (else only when tests poll it)
         * @return the started feed
         */
        F start(D database, Duration interval, boolean threads);
    }

    private final D database;
    private final Runnable closeDatabase;
    private final SqlDialect dialect;
    private final @Nullable F feed;
    private final StoreSettings settings;
    private final String name;

    private StoreParts(
            D database,
            Runnable closeDatabase,
            SqlDialect dialect,
            @Nullable F feed,
            StoreSettings settings,
            String name) {
        this.database = database;
        this.closeDatabase = closeDatabase;
        this.dialect = dialect;
        this.feed = feed;
        this.settings = settings;
        this.name = name;
    }

    /**
     * Starts the change feed on an open database, unless the settings turn it off. If that fails,
     * the database is closed before the failure is thrown: the caller gets no store to close, so
     * nothing opened may outlive the call.
     *
     * @param database the open database
     * @param closeDatabase closes its pool
     * @param dialect its SQL
     * @param settings the builder's settings
     * @param name how caches are named in logs and metrics (a file name, a schema)
     * @param feedStarter starts the database's change feed
     * @param <D> the database's type
     * @param <F> its change feed's type
     * @return the parts of the store
     */
    public static <D extends JdbcDatabase, F extends ChangeFeed> StoreParts<D, F> start(
            D database,
            Runnable closeDatabase,
            SqlDialect dialect,
            StoreSettings settings,
            String name,
            FeedStarter<D, F> feedStarter) {
        F feed = null;
        try {
            if (settings.feed()) {
                feed = feedStarter.start(database, settings.feedInterval(), settings.feedThreads());
            }
            return new StoreParts<>(database, closeDatabase, dialect, feed, settings, name);
        } catch (RuntimeException | Error e) {
            closeAfterFailedBuild(feed, closeDatabase, e);
            throw e;
        }
    }

    /**
     * Returns the open database.
     *
     * @return the database
     */
    public D database() {
        return database;
    }

    /**
     * Returns the database's SQL.
     *
     * @return the dialect
     */
    public SqlDialect dialect() {
        return dialect;
    }

    /**
     * Returns the started change feed.
     *
     * @return the feed, or null if the settings turned it off
     */
    public @Nullable F feed() {
        return feed;
    }

    /**
     * Returns the started change feed, for what needs one.
     *
     * @return the feed
     * @throws IllegalStateException if the settings turned it off
     */
    public F requireFeed() {
        if (feed == null) {
            throw new IllegalStateException("the change feed is disabled; build the store without disableChangeFeed()");
        }
        return feed;
    }

    /**
     * Returns the builder's settings.
     *
     * @return the settings
     */
    public StoreSettings settings() {
        return settings;
    }

    /**
     * Returns how the store's caches are named.
     *
     * @return a file name or a schema
     */
    public String name() {
        return name;
    }

    /**
     * Stops the change feed, runs {@code closeCaches}, then closes the database, even if what
     * came before failed.
     *
     * @param closeCaches closes the store's caches
     */
    public void close(Runnable closeCaches) {
        try {
            if (feed != null) {
                feed.close();
            }
            closeCaches.run();
        } finally {
            closeDatabase.run();
        }
    }

    /**
     * Closes everything after a build failed past this point; failures while closing are added
     * to {@code failure}.
     *
     * @param failure why the build failed
     */
    public void closeAfterFailedBuild(Throwable failure) {
        closeAfterFailedBuild(feed, closeDatabase, failure);
    }

    private static void closeAfterFailedBuild(@Nullable ChangeFeed feed, Runnable closeDatabase, Throwable failure) {
        try {
            if (feed != null) {
                feed.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            closeDatabase.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
