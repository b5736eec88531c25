package org.multiproc4j.core.internal;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.multiproc4j.core.RemoteException;

/**
 * The entry point of every child JVM that multiproc4j starts.
 *
 * <p>Command line: {@code ChildMain <outcome-file> <parent-pid> <parent-start-ms> <parent-start-ticks>
 * <parent-name> <name> <daemon>}. On standard input the parent writes the task (a 4-byte big-endian
 * length, then the task as {@link TaskWire} encodes it). A {@link ParentWatchdog} ends the child if the parent dies.
 *
 * <p>The child decodes the task (attaching the handles it captured), runs it, closes what it attached,
 * writes its {@link Outcome} to the outcome file (atomically, through a temporary name) and ends: with
 * status 0 once its non-daemon threads are done, or 1 at once if the task threw. This class avoids
 * lambdas and other costly first uses: it sits on every child's start-up path.
 */
public final class ChildMain {
    /** Exit status of a child whose task threw, as in Python. */
    static final int EXIT_FAILED = 1;

    private ChildMain() {
    }

    /**
     * Runs the task the parent sends.
     *
     * @param args see the class description.
     */
    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("multiproc4j: ChildMain is started by JvmProcess, not by hand");
            System.exit(2);
        }
        Path outcomeFile = Paths.get(args[0]);
        long parentPid = Long.parseLong(args[1]);
        long parentStart = Long.parseLong(args[2]);
        String parentTicks = args[3];
        String parentName = args[4];
        String name = args[5];
        boolean daemon = Boolean.parseBoolean(args[6]);
        ChildContext.init(name, daemon, parentPid, parentStart, parentName);

        InputStream control = new FileInputStream(FileDescriptor.in);
        byte[] taskBytes;
        try {
            DataInputStream in = new DataInputStream(control);
            taskBytes = new byte[in.readInt()];
            in.readFully(taskBytes);
        } catch (IOException e) {
            // the parent died before it sent the task
            System.err.println("multiproc4j: child " + name + " got no task from its parent: " + e);
            Runtime.getRuntime().halt(ParentWatchdog.EXIT_ORPHANED);
            return;
        }
        ParentWatchdog.start(parentPid, parentStart, parentTicks);

        List<AutoCloseable> attached = new ArrayList<>();
        Outcome outcome;
        boolean isCallable = false;
        try {
            Object task = TaskWire.decodeTask(taskBytes, ClassLoader.getSystemClassLoader(), attached);
            isCallable = TaskWire.isCallable(task);
            if (task instanceof Callable) {
                outcome = Outcome.returned(((Callable<?>) task).call());
            } else {
                ((Runnable) task).run();
                outcome = Outcome.returned(null);
            }
        } catch (Throwable t) {
            if (!isCallable) {
                // as Python's Process does: the traceback goes to the child's stderr
                StringBuilder text = new StringBuilder("Process ").append(name).append(":\n");
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace, true));
                System.err.print(text.append(trace));
                System.err.flush();
            }
            outcome = Outcome.failed(RemoteException.describe(t));
        }
        for (int i = attached.size() - 1; i >= 0; i--) {
            try {
                attached.get(i).close();
            } catch (Exception e) {
                System.err.println("multiproc4j: closing " + attached.get(i) + " failed: " + e);
            }
        }
        if (!writeOutcome(outcomeFile, outcome)) {
            outcome = Outcome.failed(RemoteException.describe(lastWriteFailure));
            writeOutcome(outcomeFile, outcome);
        }
        if (outcome.failure() != null) {
            System.out.flush();
            System.exit(EXIT_FAILED);
        }
        // Returning lets the JVM end once the task's own non-daemon threads (and the waiters of its own
        // non-daemon children) are done, as a Python child does.
    }

    private static Throwable lastWriteFailure;

    private static boolean writeOutcome(Path file, Outcome outcome) {
        try {
            byte[] bytes = TaskWire.encodeOutcome(outcome);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException e) {
            lastWriteFailure = e;
            return false;
        }
    }
}
