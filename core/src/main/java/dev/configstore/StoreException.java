package dev.configstore;

import java.util.Objects;

/**
 * A backend could not do what was asked. The message says what is wrong and what an operator can
 * do about it; {@link #reason()} classifies it for code; the cause is always attached.
 *
 * <p>When a write fails with this exception, the store has changed nothing: the backend still
 * holds, and the cache still serves, what they held before the call.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed, for code that handles failures differently. */
    public enum Reason {
        /** The backend could not be reached or has no connection available. Retrying later may work. */
        UNAVAILABLE,
        /** The backend is locked by another writer and stayed so past the timeout. Retry later. */
        BUSY,
        /** The stored schema lacks a table or column this version needs. Run the migrations. */
        SCHEMA_OUTDATED,
        /** The backend's storage is full. Free space, then retry. */
        STORAGE_FULL,
        /** The backend's storage is read-only. Make it writable, then retry. */
        READ_ONLY,
        /** The backend's storage is damaged or is not what was expected. Restore a backup. */
        CORRUPT,
        /** The change violates a rule of the storage, such as a constraint. Fix the input. */
        CONSTRAINT,
        /** Anything else; the message and the cause say more. */
        UNKNOWN
    }

    /** Why the operation failed. */
    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason the classification of the failure
     * @param message what is wrong and what an operator can do about it
     * @param cause the underlying failure; required
     */
    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, Objects.requireNonNull(cause, "cause"));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Returns why the operation failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
