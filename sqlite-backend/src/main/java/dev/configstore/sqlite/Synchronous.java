package dev.configstore.sqlite;

/**
 * How hard SQLite works to make a commit survive a crash, as its {@code synchronous} setting.
 * Either way, the database file stays consistent.
 */
public enum Synchronous {
    /**
     * A committed change survives the process crashing or being killed; the last changes before
     * an operating-system crash or power loss may be lost. The default: commits are several times
     * faster.
     */
    NORMAL,

    /** A committed change survives a process crash, an operating-system crash and power loss. */
    FULL
}
