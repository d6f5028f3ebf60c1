package dev.configstore.testkit;

import dev.configstore.StoreException;
import dev.configstore.spi.Backend;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import dev.configstore.spi.Versioned;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Wraps any backend and, on a test's script, fails or pauses chosen calls to it.
 *
 * <p>Scripted faults are one-shot and apply in the order they were scripted, per kind of call:
 * {@link #failNext} makes the next call of that kind throw a {@link StoreException} without
 * reaching the backend (for {@link Call#TRANSACTION}: after the work ran, so the backend rolls it
 * back); {@link #failNextAfterApplying} lets the backend apply the call and then throws an
 * exception that is not a {@code StoreException}, as a backend does when it cannot tell whether a
 * change was committed; {@link #pauseNext} holds the next call before or after it reaches the
 * backend until the test releases it. {@link #failAlways} makes every call of a kind fail until
 * {@link #heal()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class FaultyBackend<K, V> implements Backend<K, V> {

    /** The kinds of backend call a script can target. */
    public enum Call {
        /** {@link Backend#read}. */
        READ,
        /** {@link Backend#write}. */
        WRITE,
        /** {@link Backend#delete}. */
        DELETE,
        /** {@link Backend#inTransaction}, as a whole. */
        TRANSACTION
    }

    /** Where a paused call is held. */
    public enum Phase {
        /** Before the call reaches the backend. */
        BEFORE,
        /**
         * After the backend has done the call, before its result is returned (for a transaction:
         * after the work ran, before the commit).
         */
        AFTER
    }

    private sealed interface Action permits Fail, FailAfterApplying, Hold {}

    private record Fail(StoreException.Reason reason) implements Action {}

    private record FailAfterApplying() implements Action {}

    private record Hold(Phase phase, Pause pause) implements Action {}

    private final Backend<K, V> delegate;
    /** What is scripted for one kind of call, and how often it was made. */
    private static final class CallState {
        final Queue<Action> script = new ConcurrentLinkedQueue<>();
        final AtomicLong made = new AtomicLong();
    }

    private final Map<Call, CallState> states = new EnumMap<>(Call.class);
    private final Map<Call, StoreException.Reason> persistentFaults = new ConcurrentHashMap<>();

    private FaultyBackend(Backend<K, V> delegate) {
        this.delegate = delegate;
        for (Call call : Call.values()) {
            states.put(call, new CallState());
        }
    }

    /**
     * Wraps a backend; with nothing scripted, every call passes straight through.
     *
     * @param delegate the backend to wrap
     * @param <K> the key type
     * @param <V> the value type
     * @return the wrapper
     */
    public static <K, V> FaultyBackend<K, V> wrap(Backend<K, V> delegate) {
        return new FaultyBackend<>(delegate);
    }

    /**
     * Makes the next call of a kind fail with a {@link StoreException} of {@code reason}, without
     * changing anything in the backend.
     *
     * @param call the kind of call
     * @param reason the reason the failure reports
     * @return this backend
     */
    public FaultyBackend<K, V> failNext(Call call, StoreException.Reason reason) {
        script(call).add(new Fail(reason));
        return this;
    }

    /**
     * Makes the next call of a kind take effect in the backend and then throw an {@link
     * IllegalStateException}: a change whose outcome the caller cannot know.
     *
     * @param call the kind of call; {@link Call#READ} is not a change and is refused
     * @return this backend
     * @throws IllegalArgumentException if {@code call} is {@link Call#READ}
     */
    public FaultyBackend<K, V> failNextAfterApplying(Call call) {
        if (call == Call.READ) {
            throw new IllegalArgumentException("failNextAfterApplying needs a call that changes something, got READ");
        }
        script(call).add(new FailAfterApplying());
        return this;
    }

    /**
     * Holds the next call of a kind at {@code phase} until the returned pause is released.
     *
     * @param call the kind of call
     * @param phase where to hold it
     * @return the pause to wait on and release
     */
    public Pause pauseNext(Call call, Phase phase) {
        Pause pause = new Pause(call + " " + phase.name().toLowerCase(java.util.Locale.ROOT) + " the backend");
        script(call).add(new Hold(phase, pause));
        return pause;
    }

    /**
     * Makes every call of a kind fail with a {@link StoreException} of {@code reason} until
     * {@link #heal()}; scripted one-shot faults of that kind are used up first.
     *
     * @param call the kind of call
     * @param reason the reason the failures report
     * @return this backend
     */
    public FaultyBackend<K, V> failAlways(Call call, StoreException.Reason reason) {
        persistentFaults.put(call, reason);
        return this;
    }

    /** Removes every fault and pause still scripted and every {@link #failAlways} fault. */
    public void heal() {
        persistentFaults.clear();
        states.values().forEach(state -> state.script.clear());
    }

    /**
     * Returns how many calls of a kind have been made to this wrapper, failed or not.
     *
     * @param call the kind of call
     * @return the number of calls
     */
    public long calls(Call call) {
        return state(call).made.get();
    }

    /**
     * Returns how many scripted one-shot faults and pauses of a kind have not been used yet.
     *
     * @param call the kind of call
     * @return the number still waiting for a call
     */
    public int pending(Call call) {
        return script(call).size();
    }

    /**
     * Returns the wrapped backend, to inspect or change it behind the store's back.
     *
     * @return the wrapped backend
     */
    public Backend<K, V> delegate() {
        return delegate;
    }

    @Override
    public Optional<Versioned<V>> read(K key) {
        return intercept(Call.READ, () -> delegate.read(key));
    }

    @Override
    public long write(K key, V value) {
        return intercept(Call.WRITE, () -> delegate.write(key, value));
    }

    @Override
    public long delete(K key) {
        return intercept(Call.DELETE, () -> delegate.delete(key));
    }

    @Override
    public <T> T inTransaction(Function<? super BackendOperations<K, V>, ? extends T> work) {
        state(Call.TRANSACTION).made.incrementAndGet();
        Action action = nextAction(Call.TRANSACTION);
        if (action instanceof Hold hold && hold.phase() == Phase.BEFORE) {
            failIfAsked(hold.pause().arriveAndWait(), Call.TRANSACTION);
        }
        T result = delegate.inTransaction(operations -> {
            T value = work.apply(operations);
            if (action instanceof Fail fail) {
                throw injected(fail.reason(), Call.TRANSACTION); // thrown inside: the backend rolls back
            }
            if (action instanceof Hold hold && hold.phase() == Phase.AFTER) {
                failIfAsked(hold.pause().arriveAndWait(), Call.TRANSACTION);
            }
            return value;
        });
        if (action instanceof FailAfterApplying) {
            throw unknownOutcome(Call.TRANSACTION);
        }
        return result;
    }

    @Override
    public ChangeSubscription subscribe(ChangeListener<K> listener) {
        return delegate.subscribe(listener);
    }

    <T> T intercept(Call call, Supplier<T> delegated) {
        state(call).made.incrementAndGet();
        Action action = nextAction(call);
        if (action instanceof Fail fail) {
            throw injected(fail.reason(), call);
        }
        if (action instanceof Hold hold && hold.phase() == Phase.BEFORE) {
            failIfAsked(hold.pause().arriveAndWait(), call);
        }
        T result = delegated.get();
        if (action instanceof FailAfterApplying) {
            throw unknownOutcome(call);
        }
        if (action instanceof Hold hold && hold.phase() == Phase.AFTER) {
            failIfAsked(hold.pause().arriveAndWait(), call);
        }
        return result;
    }

    private @Nullable Action nextAction(Call call) {
        Action scripted = script(call).poll();
        if (scripted != null) {
            return scripted;
        }
        StoreException.Reason persistent = persistentFaults.get(call);
        return persistent == null ? null : new Fail(persistent);
    }

    private CallState state(Call call) {
        return Objects.requireNonNull(states.get(call));
    }

    private Queue<Action> script(Call call) {
        return state(call).script;
    }

    private static void failIfAsked(StoreException.@Nullable Reason reason, Call call) {
        if (reason != null) {
            throw injected(reason, call);
        }
    }

    private static StoreException injected(StoreException.Reason reason, Call call) {
        return new StoreException(
                reason,
                "Injected fault: " + call + " failed with " + reason + " (FaultyBackend)",
                new IOException("injected " + reason));
    }

    private static IllegalStateException unknownOutcome(Call call) {
        return new IllegalStateException("Injected fault: " + call + " was applied, then the connection broke");
    }
}
