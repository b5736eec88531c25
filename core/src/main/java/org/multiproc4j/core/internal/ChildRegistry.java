package org.multiproc4j.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The children this JVM started that have not exited yet, and what becomes of them when this JVM shuts down.
 *
 * <p>Exit semantics, as in Python: when this JVM's {@code main} ends, the JVM waits for its non-daemon
 * children, because each is watched by a non-daemon thread ({@link RunningChild#watch()}), then shuts down;
 * its shutdown hook ({@link #installShutdownHook()}, installed before the first child is launched) sends every
 * child still listed here {@code SIGTERM}, then {@code SIGKILL} to those not gone within a second. So daemon
 * children are terminated, and so are non-daemon ones when the JVM shuts down without waiting for them
 * ({@code System.exit}, {@code SIGTERM}). A JVM that dies without shutting down leaves the rest to each child's
 * {@link ParentWatchdog}.
 */
public final class ChildRegistry {
    private static final Map<Long, RunningChild> ACTIVE = new ConcurrentHashMap<>();
    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled;

    private ChildRegistry() {
    }

    /**
     * Lists a child that has just been launched.
     *
     * @param child the child.
     */
    static void add(RunningChild child) {
        ACTIVE.put(child.process().pid(), child);
    }

    /**
     * Removes a child whose exit has been collected.
     *
     * @param child the child.
     */
    static void remove(RunningChild child) {
        ACTIVE.remove(child.process().pid(), child);
    }

    /**
     * Returns the children listed, oldest pid first: those launched and whose exit has not been collected.
     *
     * @return a snapshot list.
     */
    public static List<RunningChild> running() {
        List<RunningChild> list = new ArrayList<>(ACTIVE.values());
        list.sort(Comparator.comparingLong(c -> c.process().pid()));
        return list;
    }

    /** Installs, once, the shutdown hook that ends the children still running when this JVM shuts down. */
    static void installShutdownHook() {
        synchronized (HOOK_LOCK) {
            if (hookInstalled) {
                return;
            }
            hookInstalled = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ChildRegistry::shutdownChildren, "mp4j-shutdown"));
    }

    /**
     * Runs when this JVM shuts down: daemon children (and, when the JVM is exiting without waiting for
     * them, non-daemon ones) are terminated, then killed if they do not exit within a second.
     */
    private static void shutdownChildren() {
        List<RunningChild> running = new ArrayList<>(ACTIVE.values());
        for (RunningChild c : running) {
            c.terminate();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (RunningChild c : running) {
            Process p = c.process();
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
