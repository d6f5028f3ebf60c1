package dev.configstore.reliability;

import org.jspecify.annotations.Nullable;

/**
 * One operation of the history: a read, or a write (a put, or a remove, which writes "absent").
 * Times are {@link System#nanoTime()} of the process that ran it, comparable across the processes
 * of one machine (CLOCK_MONOTONIC on Linux). A write whose outcome is not known (its process was
 * killed, or the store said {@code UNKNOWN}) ends at {@link #OPEN_END}: it may take effect at any
 * moment until the end of the run.
 *
 * @param process the process that ran it (a worker incarnation, or {@code shell})
 * @param thread the thread within the process
 * @param kind what it did
 * @param key the key
 * @param value the value written or read; null for absent
 * @param start when it was called
 * @param end when it returned, or {@link #OPEN_END}
 * @param outcome how it ended
 * @param detail why it failed, or empty
 */
record Op(
        String process,
        int thread,
        Kind kind,
        String key,
        @Nullable String value,
        long start,
        long end,
        Outcome outcome,
        String detail) {

    /** The end of a write whose outcome is unknown: concurrent with everything after its start. */
    static final long OPEN_END = Long.MAX_VALUE;

    /** What an operation did. */
    enum Kind {
        GET,
        PUT,
        REMOVE
    }

    /** How an operation ended. */
    enum Outcome {
        /** Returned normally: a read's value is what it returned; a write was acknowledged. */
        OK,
        /** Threw an exception saying nothing was changed. */
        FAILED,
        /** May or may not have taken effect. */
        UNKNOWN
    }

    boolean isWrite() {
        return kind != Kind.GET;
    }

    boolean acknowledged() {
        return outcome == Outcome.OK;
    }

    @Override
    public String toString() {
        String shownValue = value == null ? "absent" : value;
        String shownEnd = end == OPEN_END ? "open" : Long.toString(end);
        return process + "/t" + thread + " " + kind + " " + key + " " + (kind == Kind.GET ? "-> " : "") + shownValue
                + " [" + start + ", " + shownEnd + "] " + outcome + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
