package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;

/**
 * The connection broke while a change was being committed, so the server may or may not have
 * applied it. Deliberately not a {@link StoreException}: the store treats it as a write of unknown
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
        super(translated.getMessage() + " The change may or may not have been applied.", cause);
    }
}
