package dev.configstore.testkit;

import dev.configstore.StoreException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A backend call held at a chosen point until the test lets it go, so that a test can force one
 * exact interleaving of two operations. Created by {@link FaultyBackend#pauseNext}.
 *
 * <p>Waiting is bounded: a call nobody releases, or an arrival that never comes, fails the test
 * after {@link #TIMEOUT} instead of hanging the build.
 */
public final class Pause {

    /** How long either side waits for the other before failing. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String description;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile StoreException.@Nullable Reason failure;

    Pause(String description) {
        this.description = description;
    }

    /**
     * Waits until the paused call has reached the pause.
     *
     * @throws AssertionError if it does not arrive within {@link #TIMEOUT}
     */
    public void awaitArrival() {
        await(arrived, "the call to arrive at " + description);
    }

    /**
     * Returns whether the paused call has reached the pause.
     *
     * @return true once the call is held
     */
    public boolean hasArrived() {
        return arrived.getCount() == 0;
    }

    /** Lets the held call go on as if nothing had happened. */
    public void release() {
        released.countDown();
    }

    /**
     * Lets the held call go on by failing with a {@link StoreException} of the given reason. A
     * call paused before reaching the backend then never reaches it.
     *
     * @param reason the reason of the failure
     */
    public void releaseWithFailure(StoreException.Reason reason) {
        this.failure = reason;
        released.countDown();
    }

    /** Called by the paused thread: signals arrival and waits for release. */
    StoreException.@Nullable Reason arriveAndWait() {
        arrived.countDown();
        await(released, "a release of " + description);
        return failure;
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Waited " + TIMEOUT.toSeconds() + " s for " + what + "; the test is stuck");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what, e);
        }
    }

    @Override
    public String toString() {
        return "Pause[" + description + "]";
    }
}
