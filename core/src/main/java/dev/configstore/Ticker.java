package dev.configstore;

/**
 * A source of nanosecond time for expiry. Tests pass a ticker they advance by hand, so that
 * expiry can be checked without waiting.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Returns the current time in nanoseconds. Only differences between readings matter; the
     * readings must never decrease.
     *
     * @return the current time in nanoseconds
     */
    long read();

    /**
     * Returns the ticker of {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
