package dev.configstore.sqlite;

import dev.configstore.StoreException;

/**
 * A commit failed at a point where it may already have reached the file: the write-ahead log
 * could not be synced to disk, or was deleted during the commit. Deliberately not a {@link
 * StoreException}: the store treats it as a write of unknown outcome and drops the cached value,
 * so the next read shows what the database holds.
 */
final class OutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OutcomeUnknownException(StoreException translated, Throwable cause) {
        this(translated.getMessage() + " The change may or may not have been applied.", cause);
    }

    OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
