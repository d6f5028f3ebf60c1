package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;

/**
 * A change failed at a point where it may already have been applied: the connection broke while it
 * was being committed, or the database could not sync it to disk. Deliberately not a {@link StoreException}: the store treats it as a write of unknown
 * outcome, drops the cached value, and reports a {@code StoreException} with reason {@code
 * UNKNOWN}, so the next read shows what the server holds.
 */
public final class OutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param translated what the failure would have been reported as, for its message
     * @param cause the driver's failure
     */
    public OutcomeUnknownException(StoreException translated, Throwable cause) {
        this(translated.getMessage() + " The change may or may not have been applied.", cause);
    }

    /**
     * Creates the exception with a message of its own.
     *
     * @param message what happened and what to do, saying that the change may have been applied
     * @param cause the failure
     */
    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
