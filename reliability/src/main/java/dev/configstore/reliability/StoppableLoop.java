package dev.configstore.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread's work in a worker process, until {@link #stop} is set; and how a worker runs its
 * loops while a run talks to it ({@code READY}, then {@code STOP} on its standard input).
 */
abstract class StoppableLoop implements Runnable {

    /** Set to end the loop after its current operation. */
    volatile boolean stop;

    /**
     * Starts a thread per loop, prints {@code READY}, and runs them until a line {@code STOP} (or
     * the end of standard input); then stops them and waits until each has ended.
     *
     * @param process the process's name, for the threads' names
     * @param loops the loops
     */
    static void runUntilStop(String process, List<? extends StoppableLoop> loops)
            throws IOException, InterruptedException {
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            running.add(new Thread(loops.get(i), process + "-" + i));
        }
        System.out.println("READY");
        System.out.flush();
        running.forEach(Thread::start);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.equals("STOP"); line = input.readLine()) {
            // Only STOP means anything.
        }
        for (StoppableLoop loop : loops) {
            loop.stop = true;
        }
        for (Thread thread : running) {
            thread.join();
        }
    }

    /** Says that the worker has closed its store and is about to exit. */
    static void stopped() {
        System.out.println("STOPPED");
        System.out.flush();
    }
}
