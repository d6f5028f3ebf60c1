package dev.configstore.postgres;

import dev.configstore.StoreException;

/**
 * The connection broke while a change was being committed, so the server may or may not have
 * applied it. Deliberately not a {@link StoreException}: the store treats it as a
 * write of unknown outcome and drops the cached value, so the next read shows what the server
 * holds.
 */
final class OutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OutcomeUnknownException(StoreException translated, Throwable cause) {
        super(translated.getMessage() + " The change may or may not have been applied.", cause);
    }
}
