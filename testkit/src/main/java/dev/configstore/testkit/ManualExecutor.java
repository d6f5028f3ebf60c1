package dev.configstore.testkit;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An executor that runs nothing until the test says so: for asynchronous reads, a test decides
 * when a miss's read happens, and can check that a hit never used the executor at all.
 * Not thread-safe: one test thread submits and runs.
 */
public final class ManualExecutor implements Executor {

    /** An executor that fails the test if anything is given to it: for reads that must be hits. */
    public static final Executor NEVER = task -> {
        throw new AssertionError("a cache hit must not use the executor");
    };

    private final Queue<Runnable> tasks = new ArrayDeque<>();

    /** Creates an executor with nothing queued. */
    public ManualExecutor() {}

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Returns whether no task is waiting.
     *
     * @return true if nothing was given, or everything given has run
     */
    public boolean isIdle() {
        return tasks.isEmpty();
    }

    /** Runs every queued task, and those they queue, on the calling thread, in order. */
    public void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }
}
