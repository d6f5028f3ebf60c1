package dev.configstore.testkit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting, in tests, for something another thread or process does, with a generous deadline. */
public final class Await {

    private Await() {}

    /**
     * Waits, at most 30 seconds, until {@code condition} holds.
     *
     * @param what what is awaited, for the failure's message
     * @param condition checked every millisecond
     * @throws AssertionError if it still does not hold after 30 seconds
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
