package dev.configstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a cache clear travels through the change log, so that every process following it drops
 * the same entries: as an ordinary entry, inserted by the process that asks, under a table name
 * no real table has ({@value #TABLE}). A configstore that does not know clears subscribes to no
 * such table, so it reads the entry and does nothing with it.
 *
 * <p>The entry's {@code namespace} holds the scope ({@code all}, {@code guild}, {@code
 * namespace}); its {@code key} holds the target (a guild id or a namespace, both free of {@code
 * :}), a {@code :}, and who asked; its {@code version} holds when it was asked, in microseconds
 * since the epoch by the asking process's clock.
 */
public final class CacheClears {

    /** The table name of a clear's entries: no table has it. */
    public static final String TABLE = "configstore_cache_clear";

    /**
     * The longest "who asked" accepted, in characters: as long as an {@link
     * dev.configstore.jdbc.Actor}, so that whoever the audit trail can name can also ask for a clear.
     */
    public static final int MAX_WHO = 200;

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.cache");

    /**
     * One clear, as its entry records it.
     *
     * @param scope {@code all}, {@code guild} or {@code namespace}; anything else, from a newer
     *     configstore, is applied as {@code all}
     * @param target the guild id or namespace, or {@code ""}
     * @param who who asked
     * @param askedAtMicros when it was asked, in microseconds since the epoch
     */
    public record Request(String scope, String target, String who, long askedAtMicros) {

        /** The scope that clears every cache. */
        public static final String ALL = "all";

        /** The scope that clears one guild's entries. */
        public static final String GUILD = "guild";

        /** The scope that clears one key-value namespace. */
        public static final String NAMESPACE = "namespace";

        /**
         * Makes the request of a scope named like {@link dev.configstore.jdbc.CacheClear.Scope}.
         *
         * @param scope the scope's enum name
         * @param target the guild id or namespace, or {@code ""}
         * @param who who asked, already checked
         * @return the request, asked now
         */
        public static Request now(String scope, String target, String who) {
            Instant now = Instant.now();
            return new Request(
                    scope.toLowerCase(Locale.ROOT),
                    target,
                    who,
                    Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000L));
        }

        /**
         * Returns the entry's key: the target, {@code :}, who asked.
         *
         * @return the key
         */
        public String key() {
            return target + ":" + who;
        }

        /**
         * Describes what is cleared, for the log.
         *
         * @return for example {@code the entries of guild 123}
         */
        public String what() {
            return switch (scope) {
                case GUILD -> "the entries of guild " + target;
                case NAMESPACE -> "every key of key-value namespace " + target;
                case ALL -> "every entry";
                default -> "every entry (unknown scope \"" + scope + "\")";
            };
        }

        /**
         * Reads a clear back from its log entry.
         *
         * @param entry an entry of table {@value #TABLE}
         * @return the clear
         */
        public static Request of(LoggedChange entry) {
            String key = entry.key();
            int colon = key.indexOf(':');
            String target = colon < 0 ? "" : key.substring(0, colon);
            String who = colon < 0 ? key : key.substring(colon + 1);
            return new Request(entry.namespace(), target, who, entry.version());
        }
    }

    private CacheClears() {}

    /**
     * Returns {@code who} if it can name who asked for a clear.
     *
     * @param who who asked: a user's name or id
     * @return {@code who}, stripped of surrounding blanks
     * @throws IllegalArgumentException if it is null, blank, longer than {@value #MAX_WHO}
     *     characters or holds a control character (a line break, say)
     */
    public static String requireWho(@Nullable String who) {
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("who must name who asks for the clear (a user name or id), got "
                    + (who == null ? "null" : "a blank string"));
        }
        String stripped = who.strip();
        if (stripped.length() > MAX_WHO) {
            throw new IllegalArgumentException(
                    "who must be at most " + MAX_WHO + " characters, got " + stripped.length());
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("who must not hold control characters such as line breaks, got \""
                    + stripped.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        return stripped;
    }

    /**
     * Inserts a clear's entry into the change log, in a transaction of its own.
     *
     * @param database the database
     * @param dialect its SQL
     * @param request the clear
     */
    public static void record(JdbcDatabase database, SqlDialect dialect, Request request) {
        database.write(
                TABLE, "recording a cache clear in the change log", connection -> insert(connection, dialect, request));
    }

    private static Integer insert(Connection connection, SqlDialect dialect, Request request) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(dialect.changeLogInsert())) {
            statement.setString(1, TABLE);
            statement.setString(2, request.scope());
            statement.setString(3, request.key());
            statement.setLong(4, request.askedAtMicros());
            statement.execute();
            return 1;
        }
    }

    /**
     * Logs, at {@code info}, that a store applied a clear.
     *
     * @param store the store's name
     * @param request the clear
     */
    public static void logApplied(String store, Request request) {
        long micros = request.askedAtMicros();
        Instant askedAt =
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        log.info("{}: dropped {} from the caches, as asked by {} at {}", store, request.what(), request.who(), askedAt);
    }
}
