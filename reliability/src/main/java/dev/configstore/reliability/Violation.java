package dev.configstore.reliability;

import java.util.List;

/**
 * Something the history shows that the store's guarantees do not allow, with the operations that
 * show it.
 *
 * @param rule which guarantee it breaks
 * @param explanation what happened, in one sentence
 * @param ops the operations involved, the offending one first
 */
record Violation(Rule rule, String explanation, List<Op> ops) {

    /** The properties the checker decides. */
    enum Rule {
        /** A read returned a value no write ever wrote. */
        NEVER_WRITTEN,
        /** A read returned a value whose write started only after the read had returned. */
        READ_BEFORE_WRITE,
        /** A read returned the value of a write that failed. */
        FAILED_WRITE_OBSERVED,
        /** A read returned a value replaced by an acknowledged write more than the bound before it began. */
        STALE_READ,
        /** A process read a value older than one it had read before. */
        NON_MONOTONIC_READ,
        /** After every process stopped, the database held a value older than an acknowledged write. */
        ACKNOWLEDGED_WRITE_LOST
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(rule + ": " + explanation);
        for (Op op : ops) {
            text.append("\n    ").append(op);
        }
        return text.toString();
    }
}
