package dev.configstore.sqlite;

/**
 * Row versions. A row's version is the larger of its previous version plus one and the current
 * time in microseconds, computed in the same statement that writes the row. So versions of a key
 * strictly increase across every change configstore makes, and stay increasing even if another
 * program deletes the row and configstore writes it again later.
 */
final class Versions {

    private Versions() {}

    /** The version a new row gets, and the floor for an existing row's next version. */
    static long floor() {
        return Math.multiplyExact(System.currentTimeMillis(), 1000L);
    }

    /** Seconds since the epoch, for {@code updated_at_s}. */
    static long nowSeconds() {
        return System.currentTimeMillis() / 1000L;
    }
}
