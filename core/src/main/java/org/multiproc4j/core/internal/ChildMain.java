package org.multiproc4j.core.internal;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
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
import org.multiproc4j.core.SerializableRunnable;

/**
 * The entry point of every child JVM that multiproc4j starts.
 *
 * <p>Command line: {@code ChildMain <parent-pid> <parent-start-ms> <parent-start-ticks> <parent-name>}: only
 * what every child of one parent shares, so that a JVM can be started before it has a task (a warm spare,
 * see {@link Spares}). Its assignment comes on standard input: {@link #ASSIGNMENT_MAGIC}, a length, then one
 * {@link Wire} tuple of the outcome file, the child's name and daemon flag, and the task's bytes as
 * {@link TaskWire} encodes them (see
 * {@link ChildLaunch#sendAssignment(java.io.OutputStream, String, boolean, byte[])}). A spare may first get a
 * hint, {@link #HINT_MAGIC}, a length and the name of the class of task it will likely receive, which it
 * rehearses while it waits (see {@link org.multiproc4j.core.spi.ChildWarmUp#rehearse(String)}). With the
 * single argument {@value #PROBE} it returns at once (see {@link ChildLaunch#probe}). A
 * {@link ParentWatchdog} ends the child if the parent dies, and end of input before an assignment (the
 * parent is gone, or discarded this spare) ends it at once.
 *
 * <p>While it waits, the child runs a no-op task through the path every task takes (decoding, the
 * reflective call), so that a real task finds those classes loaded and linked.
 *
 * <p>Once it has its assignment the child creates its outcome file under a temporary name, which tells the
 * parent it booted. It decodes the task (attaching the handles it captured), runs it, closes what it attached,
 * writes its {@link Outcome} into that file, renames it to the outcome file, and ends: with
 * status 0 once its non-daemon threads are done, or 1 at once if the task threw. This class avoids
 * lambdas and other costly first uses: it sits on every child's start-up path.
 */
public final class ChildMain {
    /** Whether this JVM trains a class-data archive (its task is the no-op, sent under the training name). */
    private static boolean training;
    /** Whether this JVM has its task (a spare stops preparing then). */
    private static volatile boolean assigned;
    /**
     * When a spare prepares: {@code idle} (the default: from a quarter of a second after it booted, a step at a
     * time, each when a core is free, so that a spare does not slow the children started around it),
     * {@code always} (at once), or {@code never}.
     */
    static final String PREPARE_PROP = "multiproc4j.spare.prepare";
    /** How long a spare that has booted waits before it prepares (unless told to prepare {@code always}). */
    private static final long SETTLE_MS = 250;
    /** How often a spare looks for a free core. */
    private static final long IDLE_POLL_MS = 10;
    /** Exit status of a child whose task threw, as in Python. */
    static final int EXIT_FAILED = 1;
    /** The first four bytes of an assignment: {@code "mp4j"}. */
    static final int ASSIGNMENT_MAGIC = 0x6d70346a;
    /**
     * The first four bytes of a hint, {@code "mp4h"}: a length and the UTF-8 binary name of the class of task
     * the parent expects to send this spare (see {@link Spares}); it comes before the assignment, if at all.
     */
    static final int HINT_MAGIC = 0x6d703468;
    /** The longest hint read. */
    static final int MAX_HINT = 1024;
    /** The class of task the parent expects (from its hint), or {@code null}. */
    private static volatile String expected;
    /** How many arguments follow the class name on a child's command line. */
    static final int ARGS = 4;
    /**
     * The one argument that makes this class return at once: a second launch of a child that never booted,
     * to learn what its JVM says (see {@link ChildLaunch#probe}).
     */
    static final String PROBE = "--probe";

    private ChildMain() {
    }

    /**
     * Runs the task the parent sends.
     *
     * @param args see the class description.
     */
    public static void main(String[] args) {
        if (args.length == 1 && PROBE.equals(args[0])) {
            return; // the JVM booted and found this class: that is all a probe asks
        }
        if (args.length != ARGS) {
            System.err.println("multiproc4j: ChildMain is started by JvmProcess, not by hand");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        long parentStart = Long.parseLong(args[1]);
        String parentTicks = args[2];
        String parentName = args[3];
        StartTrace.mark("child: main");
        ParentWatchdog.start(parentPid, parentStart, parentTicks);
        InputStream control = new FileInputStream(FileDescriptor.in);
        DataInputStream in = new DataInputStream(control);
        int magic = 0;
        boolean magicRead = false; // the first four bytes of the assignment are read
        try {
            // a spare's hint comes first, sent as it was launched: read it before deciding to warm up
            while (!magicRead && assignmentWaiting(control)) {
                magic = in.readInt();
                if (magic == HINT_MAGIC) {
                    readHint(in);
                } else {
                    magicRead = true;
                }
            }
        } catch (IOException e) {
            // a spare that was never used: its parent discarded it or is gone
            Runtime.getRuntime().halt(ParentWatchdog.EXIT_ORPHANED);
            return;
        }
        if (!magicRead) {
            warmUp(control); // a spare: it has the time
            StartTrace.mark("child: spare booted, waits for its assignment");
        }

        Path outcomeFile;
        String name;
        boolean daemon;
        byte[] taskBytes;
        try {
            try {
                while (!magicRead) {
                    magic = in.readInt();
                    if (magic == HINT_MAGIC) {
                        readHint(in);
                    } else {
                        magicRead = true;
                    }
                }
            } catch (java.io.EOFException e) {
                // a spare that was never used: its parent discarded it or is gone
                Runtime.getRuntime().halt(ParentWatchdog.EXIT_ORPHANED);
                return;
            }
            if (magic != ASSIGNMENT_MAGIC) {
                throw new IOException("not an assignment from multiproc4j (bad magic " + Integer.toHexString(magic) + ")");
            }
            int length = in.readInt();
            if (length < 1 || length > Wire.MAX_LENGTH) {
                throw new IOException("an assignment of " + length + " bytes");
            }
            byte[] message = new byte[length];
            in.readFully(message);
            assigned = true;
            StartTrace.mark("child: assignment read");
            Object read = Wire.read(message, 0, length);
            Object[] fields = read instanceof Object[] ? (Object[]) read : new Object[0];
            if (fields.length != 4 || !(fields[0] instanceof String) || !(fields[1] instanceof String)
                    || !(fields[2] instanceof Boolean) || !(fields[3] instanceof byte[])) {
                throw new IOException("an assignment is a tuple (outcome file, name, daemon, task)");
            }
            outcomeFile = Paths.get((String) fields[0]);
            name = (String) fields[1];
            training = ChildLaunch.TRAINING_NAME.equals(name);
            daemon = (Boolean) fields[2];
            taskBytes = (byte[]) fields[3];
        } catch (IOException | RuntimeException e) {
            // the parent died while it sent the task
            System.err.println("multiproc4j: a child of " + parentName + " got no task from its parent: " + e);
            Runtime.getRuntime().halt(ParentWatchdog.EXIT_ORPHANED);
            return;
        }
        // The outcome file, under its temporary name, exists from now on: it tells the parent that this JVM
        // booted, whatever becomes of the task (System.exit, halt, a kill).
        try {
            outcomeOut = new FileOutputStream(pendingOutcome(outcomeFile).toFile());
        } catch (IOException e) {
            // written (or found missing) at the end
        }
        ChildContext.init(name, daemon, parentPid, parentStart, parentName);

        List<AutoCloseable> attached = new ArrayList<>();
        Outcome outcome;
        boolean isCallable = false;
        try {
            Object task = TaskWire.decodeTask(taskBytes, ClassLoader.getSystemClassLoader(), attached);
            isCallable = TaskWire.isCallable(task);
            StartTrace.mark("child: task decoded");
            if (task instanceof SerializableRunnable) {
                ((SerializableRunnable) task).run();
                outcome = Outcome.returned(null);
            } else {
                outcome = Outcome.returned(((Callable<?>) task).call());
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
    /** The outcome file under its temporary name, open since the assignment came; {@code null} once used. */
    private static FileOutputStream outcomeOut;

    /**
     * Returns the temporary name of an outcome file: the child creates it as soon as it has its assignment,
     * writes its outcome into it when the task ends, and renames it to {@code outcomeFile}.
     *
     * @param outcomeFile the outcome file.
     * @return its temporary name.
     */
    static Path pendingOutcome(Path outcomeFile) {
        // String.concat, not '+': javac compiles '+' to an invokedynamic whose first use costs a child milliseconds
        return outcomeFile.resolveSibling(outcomeFile.getFileName().toString().concat(".tmp"));
    }

    /** Reads a hint's length and text (after its magic number) and keeps it for the preparing thread. */
    private static void readHint(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_HINT) {
            throw new IOException("a hint of " + length + " bytes");
        }
        byte[] text = new byte[length];
        in.readFully(text);
        expected = new String(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean assignmentWaiting(InputStream control) {
        try {
            return control.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * In a JVM that trains a class-data archive, runs the modules' {@link org.multiproc4j.core.spi.ChildWarmUp}
     * providers (from the no-op task), so that the archive holds the classes they load; elsewhere does nothing.
     */
    static void warmUpModules() {
        if (!training) {
            return;
        }
        try {
            for (org.multiproc4j.core.spi.ChildWarmUp w : java.util.ServiceLoader.load(
                    org.multiproc4j.core.spi.ChildWarmUp.class, ClassLoader.getSystemClassLoader())) {
                try {
                    w.warmUp();
                } catch (Exception | LinkageError e) {
                    // only a warm-up: the real task will meet the same problem and report it
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            // a broken provider file: the children will load what they need themselves
        }
    }

    /**
     * Makes this JVM behave as a training JVM, or not (for tests).
     *
     * @param on whether it trains.
     */
    static void training(boolean on) {
        training = on;
    }

    /**
     * In a spare: takes a no-op task down the path a real one takes, so its classes are loaded and linked; then,
     * on a thread of its own that stops when the task comes (see {@link #PREPARE_PROP}), a value down the JDK
     * serialization path a task with captured values takes (the serial filter's set-up, reflection on
     * serializable classes: some 20 ms in a fresh JVM) and the modules'
     * {@link org.multiproc4j.core.spi.ChildWarmUp#prepare()} steps.
     */
    private static void warmUp(InputStream control) {
        noOp();
        String when = System.getProperty(PREPARE_PROP, "idle");
        if (assignmentWaiting(control) || "never".equals(when)) {
            return;
        }
        boolean always = "always".equals(when);
        Thread t = new Thread(() -> prepare(always), "multiproc4j-spare-prepare");
        t.setDaemon(true);
        t.start();
    }

    private static void prepare(boolean always) {
        if (!always) {
            // starts that come one after the other take their spares about now: leave them the machine
            try {
                Thread.sleep(SETTLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (!awaitFreeCore(always)) {
            return;
        }
        StartTrace.mark("spare: prepares");
        try {
            ArrayList<Object> value = new ArrayList<>(List.of(1, 2L, "x"));
            TaskCodec.decode(TaskCodec.encode((Callable<Object> & java.io.Serializable)
                    () -> value, "warm-up"), ClassLoader.getSystemClassLoader(), null);
        } catch (Exception | LinkageError e) {
            // only a warm-up: the real task will meet the same problem and report it
        }
        StartTrace.mark("spare: JDK serialization prepared");
        if (!forEachProvider(always, "spare: prepared by ", org.multiproc4j.core.spi.ChildWarmUp::prepare)) {
            return;
        }
        StartTrace.mark("spare: prepared");
        String role = expected;
        if (role != null) {
            rehearse(role, always);
        }
    }

    /**
     * Lets every provider rehearse a task of the class the parent expects (see
     * {@link org.multiproc4j.core.spi.ChildWarmUp#rehearse(String)}), each when a core is free, until the task
     * comes.
     */
    private static void rehearse(String role, boolean always) {
        if (forEachProvider(always, "spare: rehearsed by ", w -> w.rehearse(role)) && StartTrace.on()) {
            StartTrace.mark("spare: rehearsed ".concat(role));
        }
    }

    /** One step of a spare's warm-up with one provider. */
    private interface ProviderStep {
        void run(org.multiproc4j.core.spi.ChildWarmUp provider) throws Exception;
    }

    /**
     * Runs {@code step} with every {@link org.multiproc4j.core.spi.ChildWarmUp} provider in turn, each when a core
     * is free; a provider's failure is ignored (only a warm-up: the real task meets the same problem and reports
     * it), and so is a broken provider file (the task loads what it needs itself).
     *
     * @param traced the start-trace text, followed by the provider's class name, after each step.
     * @return {@code false} if the task came first.
     */
    private static boolean forEachProvider(boolean always, String traced, ProviderStep step) {
        try {
            for (org.multiproc4j.core.spi.ChildWarmUp w : java.util.ServiceLoader.load(
                    org.multiproc4j.core.spi.ChildWarmUp.class, ClassLoader.getSystemClassLoader())) {
                if (!awaitFreeCore(always)) {
                    return false;
                }
                try {
                    step.run(w);
                } catch (Exception | LinkageError e) {
                    // only a warm-up
                }
                if (StartTrace.on()) {
                    StartTrace.mark(traced.concat(w.getClass().getName()));
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            // a broken provider file
        }
        return true;
    }

    /**
     * Waits until a core is free (fewer runnable threads on the machine than cores, besides this one, as
     * {@code /proc/loadavg} counts them), unless told to go on {@code always}.
     *
     * @return whether to go on: {@code false} once the task came.
     */
    private static boolean awaitFreeCore(boolean always) {
        int cores = Runtime.getRuntime().availableProcessors();
        while (!assigned) {
            if (always || runnableThreads() - 1 < cores) {
                return true;
            }
            try {
                Thread.sleep(IDLE_POLL_MS);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /** The machine's runnable threads now (the fourth field of {@code /proc/loadavg}), or 0 where unknown. */
    static int runnableThreads() {
        try {
            String s = new String(Files.readAllBytes(Paths.get("/proc/loadavg")), java.nio.charset.StandardCharsets.US_ASCII);
            String[] f = s.trim().split(" ");
            return Integer.parseInt(f[3].substring(0, f[3].indexOf('/')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void noOp() {
        try {
            Object task = TaskWire.decodeTask(TaskWire.trainingTask(), ClassLoader.getSystemClassLoader(),
                    new ArrayList<AutoCloseable>());
            ((Callable<?>) task).call();
            TaskWire.encodeOutcome(Outcome.returned(null));
            // open every jar on the classpath now, not when the task's first class is looked up
            java.util.Enumeration<java.net.URL> jars = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
            while (jars.hasMoreElements()) {
                jars.nextElement();
            }
        } catch (Exception | LinkageError e) {
            // only a warm-up: the real task will meet the same problem and report it
        }
    }

    private static boolean writeOutcome(Path file, Outcome outcome) {
        try {
            byte[] bytes = TaskWire.encodeOutcome(outcome);
            Path tmp = pendingOutcome(file);
            FileOutputStream open = outcomeOut;
            outcomeOut = null;
            if (open != null) {
                try (FileOutputStream out = open) {
                    out.write(bytes);
                }
            } else {
                Files.write(tmp, bytes);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException e) {
            lastWriteFailure = e;
            return false;
        }
    }
}
