package org.multiproc4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Ends a child JVM when its parent is gone, so children never outlive a dead parent.
 *
 * <p>Two signals, either enough: end-of-file on the control pipe (the parent holds its write end open
 * for the child's whole life, and the kernel closes it when the parent dies, even under
 * {@code kill -9}), and a poll of the parent's pid whose start time must still match (against pid
 * reuse). The child then exits with {@link #EXIT_ORPHANED}, running shutdown hooks for at most
 * {@link #HOOK_GRACE_MS} before halting.
 */
final class ParentWatchdog implements Runnable {
    /** Exit status of a child whose parent died. */
    static final int EXIT_ORPHANED = 70;
    static final long POLL_MS = 200;
    static final long HOOK_GRACE_MS = 1000;

    private final InputStream control;
    private final long parentPid;
    private final long parentStartMillis;
    private final boolean polling;

    private ParentWatchdog(InputStream control, long parentPid, long parentStartMillis, boolean polling) {
        this.control = control;
        this.parentPid = parentPid;
        this.parentStartMillis = parentStartMillis;
        this.polling = polling;
    }

    static void start(InputStream control, long parentPid, long parentStartMillis) {
        Thread eof = new Thread(new ParentWatchdog(control, parentPid, parentStartMillis, false), "mp4j-parent-eof");
        eof.setDaemon(true);
        eof.start();
        Thread poll = new Thread(new ParentWatchdog(control, parentPid, parentStartMillis, true), "mp4j-parent-poll");
        poll.setDaemon(true);
        poll.start();
    }

    @Override
    public void run() {
        if (polling) {
            poll();
        } else {
            awaitEof();
        }
    }

    private void awaitEof() {
        byte[] sink = new byte[64];
        try {
            while (control.read(sink) >= 0) {
                // the parent sends nothing after the task; anything else is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file
        }
        orphaned("its control pipe was closed");
    }

    private void poll() {
        while (true) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (!parentAlive()) {
                orphaned("it is no longer running");
                return;
            }
        }
    }

    private boolean parentAlive() {
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
