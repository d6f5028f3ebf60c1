package dev.configstore.testkit;

import dev.configstore.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that only moves when a test advances it, so expiry is tested without waiting. */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    /** Creates a ticker reading zero. */
    public FakeTicker() {}

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * Moves time forward.
     *
     * @param duration how far; not negative
     * @return this ticker
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public FakeTicker advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
