package dev.configstore;

/** What a store does with its cached entry for a key once a write to that key is durable. */
public enum WritePolicy {

    /**
     * Drop the cached entry; the next {@code get} reads the new value from the backend. The safe
     * default, and the right choice when writes are rare.
     */
    INVALIDATE,

    /**
     * Replace the cached entry with the value just written, so the next {@code get} needs no
     * backend read. The replacement only happens if nothing newer has been cached and no
     * invalidation of the key has happened since the write began; otherwise the entry is dropped
     * as under {@link #INVALIDATE}. Writes grouped in a transaction always invalidate.
     */
    WRITE_THROUGH
}
