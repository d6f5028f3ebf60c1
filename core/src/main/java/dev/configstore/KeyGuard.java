package dev.configstore;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping for one key while at least one load or write of it is in flight, so that a value
 * read or written before an invalidation of the key is never cached after it.
 *
 * <p>Every load and write registers before it calls the backend and notes {@link
 * #invalidations}. Every invalidation of the key increments it while holding the cache's lock
 * for the key, and every install checks it under the same lock: an install whose note is out of
 * date is refused. Guards exist only while registered, so their number is bounded by the
 * operations in flight, not by the number of keys.
 */
final class KeyGuard<V> {

    /** Registered loads and writes; changed only inside the guard map's compute for the key. */
    int holders;

    /** The load that new readers may join; changed only inside the guard map's compute. */
    @Nullable
    Load<V> load;

    /** Invalidations of the key since this guard was created; incremented under the cache's key lock. */
    final AtomicLong invalidations = new AtomicLong();

    /** One backend read, shared by every reader that asks for the key while it is in flight. */
    static final class Load<V> {
        final long invalidationsAtStart;
        final long generationAtStart;
        final CompletableFuture<CacheEntry<V>> result = new CompletableFuture<>();

        Load(long invalidationsAtStart, long generationAtStart) {
            this.invalidationsAtStart = invalidationsAtStart;
            this.generationAtStart = generationAtStart;
        }
    }
}
