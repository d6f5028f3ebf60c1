package dev.configstore.jdbc;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Who makes the writes of the current thread, for the audit trail ({@link ConfigStore#history}).
 * Every write a {@link ConfigStore} makes on a thread records the actor set there, or the store's
 * default ({@link StoreBuilder#defaultActor}) when none is set:
 *
 * <pre>{@code
 * // In a slash command's handler: the change is recorded as made by this Discord user.
 * Actor.run("discord:" + event.getUser().getId(), () -> settings.set(PREFIX, ScopeId.guild(guildId), "!"));
 *
 * // Or for a block of writes:
 * try (Actor.Scope ignored = Actor.begin("dashboard:alice")) {
 *     settings.update(guildId, new SettingsUpdate()
 *             .set(PREFIX, ScopeId.guild(guildId), "?")
 *             .reset(LANGUAGE, ScopeId.guild(guildId)));
 * }
 * }</pre>
 *
 * <p>An actor is a short text of your choice: 1 to 200 characters, no control characters. A
 * convention that reads well in the history is {@code kind:id}, such as {@code discord:1234…},
 * {@code os:alice} (what the command-line tool records) or {@code job:nightly-import}. Actors
 * nest: an inner scope replaces the outer one until it closes.
 *
 * <p>The actor belongs to the thread: work handed to another thread (an executor, a future's
 * callback) records that thread's actor, so set it where the write happens.
 */
public final class Actor {

    private static final int MAX_LENGTH = 200;
    private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();

    private Actor() {}

    /**
     * An actor set on a thread until it is closed.
     *
     * <p>Close it on the thread that began it, once; closing puts back the actor set before.
     */
    public static final class Scope implements AutoCloseable {
        private final @Nullable String previous;
        private final Thread owner;
        private boolean closed;

        private Scope(@Nullable String previous) {
            this.previous = previous;
            this.owner = Thread.currentThread();
        }

        /**
         * Puts back the actor set before this scope began.
         *
         * @throws IllegalStateException if called on another thread than the one that began it
         */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException(
                        "an Actor.Scope must be closed on the thread that began it (" + owner.getName() + "), not on "
                                + Thread.currentThread().getName());
            }
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Sets who makes this thread's writes until the returned scope is closed.
     *
     * @param actor who, for example {@code discord:123456789012345678}
     * @return the scope; close it (try-with-resources) when the writes are done
     * @throws IllegalArgumentException if {@code actor} is null, blank, longer than 200 characters
     *     or holds a control character
     */
    public static Scope begin(String actor) {
        String checked = check(actor);
        Scope scope = new Scope(CURRENT.get());
        CURRENT.set(checked);
        return scope;
    }

    /**
     * Runs writes as made by {@code actor}.
     *
     * @param actor who
     * @param writes what to run on this thread
     * @throws IllegalArgumentException if {@code actor} is not a valid actor (see {@link #begin})
     *     or {@code writes} is null
     */
    public static void run(String actor, Runnable writes) {
        if (writes == null) {
            throw new IllegalArgumentException("writes must not be null");
        }
        Scope scope = begin(actor);
        try {
            writes.run();
        } finally {
            scope.close();
        }
    }

    /**
     * Runs writes as made by {@code actor} and returns their result.
     *
     * @param actor who
     * @param writes what to run on this thread
     * @param <T> the result's type
     * @return what {@code writes} returned
     * @throws IllegalArgumentException if {@code actor} is not a valid actor (see {@link #begin})
     *     or {@code writes} is null
     */
    public static <T extends @Nullable Object> T call(String actor, Supplier<T> writes) {
        if (writes == null) {
            throw new IllegalArgumentException("writes must not be null");
        }
        Scope scope = begin(actor);
        try {
            return writes.get();
        } finally {
            scope.close();
        }
    }

    /**
     * Returns the actor set on this thread.
     *
     * @return the actor, or empty if none is set (the store's default applies then)
     */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Checks an actor's text.
     *
     * @param actor the text
     * @return it, unchanged
     * @throws IllegalArgumentException if it is not a valid actor
     */
    static String check(@Nullable String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be null or blank; give who makes the writes, for"
                    + " example \"discord:123456789012345678\" or \"os:alice\"");
        }
        if (actor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("actor must be at most " + MAX_LENGTH + " characters, got "
                    + actor.length() + ": \"" + actor.substring(0, 40) + "…\"");
        }
        for (int i = 0; i < actor.length(); i++) {
            if (Character.isISOControl(actor.charAt(i))) {
                throw new IllegalArgumentException("actor must not hold control characters (such as a line break),"
                        + " got " + String.format(Locale.ROOT, "U+%04X", actor.codePointAt(i)) + " at index " + i);
            }
        }
        return actor;
    }
}
