package dev.configstore.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Where one benchmark thread is in its key sequence, and a counter for the values it writes.
 *
 * <p>Threads start far apart in the sequence: two threads walking the same keys in step would
 * find the entries each other just loaded, and a "miss" would often be a hit or a shared load.
 */
@State(Scope.Thread)
public class KeyCursor {

    /** How far apart, in positions, the threads of one benchmark start. */
    private static final int SPREAD = 1 << 16;

    int position;
    long written;

    /**
     * Places this thread in its own part of the sequence.
     *
     * @param thread which thread this is, of how many
     */
    @Setup(Level.Trial)
    public void place(ThreadParams thread) {
        position = thread.getThreadIndex() * (SPREAD / thread.getThreadCount());
    }

    /** Returns the next of {@code count} keys, in order, wrapping around. */
    int next(int count) {
        return Math.floorMod(position++, count);
    }
}
