package org.multiproc4j.core.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * Ends a child JVM when its parent is gone, so children never outlive a dead parent.
 *
 * <p>A daemon thread looks at the parent every {@link #POLL_MS} milliseconds: on Linux it reads
 * {@code /proc/<pid>/stat} through {@link ProcStat} (a zombie counts as dead, and the kernel's start time must
 * be the one the parent passed, so a reused pid is not taken for the parent); elsewhere it asks {@link ProcessHandle}
 * and compares the start instant the parent passed. (On Linux the child never touches
 * {@link ProcessHandle}, whose first use costs a few milliseconds of start-up.) The child then exits with {@link #EXIT_ORPHANED},
 * running shutdown hooks for at most {@link #HOOK_GRACE_MS} before halting.
 *
 * <p>The thread sleeps between looks rather than blocking in a read of the control pipe: a thread blocked
 * in native code at exit makes the JVM wait 300 ms before it ends (HotSpot's
 * {@code wait_for_threads_in_native_to_block}), which would triple the cost of a short child.
 */
final class ParentWatchdog implements Runnable {
    /** Exit status of a child whose parent died. */
    static final int EXIT_ORPHANED = 70;
    static final long POLL_MS = 100;
    static final long HOOK_GRACE_MS = 500;

    private final long parentPid;
    private final long parentStartMillis;
    private final String parentStartTicks;

    private ParentWatchdog(long parentPid, long parentStartMillis, String parentStartTicks) {
        this.parentPid = parentPid;
        this.parentStartMillis = parentStartMillis;
        this.parentStartTicks = parentStartTicks;
    }

    /**
     * Starts watching.
     *
     * @param parentPid         the parent's pid.
     * @param parentStartMillis the parent's start instant as {@link ProcessHandle} reports it, or -1.
     * @param parentStartTicks  the parent's start time in {@code /proc/<pid>/stat}, or {@code "-"} where
     *                          there is no {@code /proc}.
     */
    static void start(long parentPid, long parentStartMillis, String parentStartTicks) {
        ParentWatchdog dog = new ParentWatchdog(parentPid, parentStartMillis, parentStartTicks);
        Thread poll = new Thread(dog, "mp4j-parent-watchdog");
        poll.setDaemon(true);
        poll.start();
    }

    @Override
    public void run() {
        boolean useProc = !"-".equals(parentStartTicks);
        while (true) {
            boolean alive = useProc ? parentStartTicks.equals(startTicks(parentPid, false)) : parentAliveByHandle();
            if (!alive) {
                orphaned("it is no longer running");
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Reads a process's start time ({@link ProcStat#startTicks}) as the text the parent passes its child.
     *
     * @param pid      the process.
     * @param anyState whether a zombie's start time is returned too.
     * @return the start time, or {@code null} if there is no such process (or it is a zombie, unless
     *         {@code anyState}), or no {@code /proc}.
     */
    static String startTicks(long pid, boolean anyState) {
        long ticks = ProcStat.startTicks(pid, anyState);
        return ticks < 0 ? null : Long.toString(ticks);
    }

    private boolean parentAliveByHandle() {
        Optional<ProcessHandle> handle = ProcessHandle.of(parentPid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (parentStartMillis < 0) {
            return true;
        }
        Optional<Instant> start = handle.get().info().startInstant();
        return start.isEmpty() || start.get().toEpochMilli() == parentStartMillis;
    }

    private void orphaned(String why) {
        System.err.println("multiproc4j: child " + ProcessHandle.current().pid() + " ("
                + ChildContext.name() + ") exits: its parent " + parentPid + " is gone (" + why + ")");
        Thread exit = new Thread(new Exit(), "mp4j-orphan-exit");
        exit.setDaemon(true);
        exit.start();
        try {
            Thread.sleep(HOOK_GRACE_MS);
        } catch (InterruptedException e) {
            // halt at once
        }
        Runtime.getRuntime().halt(EXIT_ORPHANED);
    }

    private static final class Exit implements Runnable {
        @Override
        public void run() {
            System.exit(EXIT_ORPHANED);
        }
    }
}
