package org.multiproc4j.pool;

import java.util.OptionalInt;

import org.multiproc4j.core.ProcessException;

/**
 * A task failed because the worker JVM running it died: killed ({@code kill -9}), {@code System.exit} or
 * {@code Runtime.halt} in the task, an {@link OutOfMemoryError}, a JVM crash. It names the worker's pid, how
 * it ended and the task. Only the task the worker was running fails so; the tasks queued behind it are given
 * to other workers, the dead worker is replaced and the pool keeps serving.
 *
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(1)) {
 *     try {
 *         pool.apply(x -> { Runtime.getRuntime().halt(3); return x; }, 1);
 *     } catch (ExecutionException e) {
 *         WorkerDiedException died = (WorkerDiedException) e.getCause();
 *         System.out.println(died.exitCode());     // 3
 *     }
 *     int two = pool.apply(x -> x + 1, 1);
 *     System.out.println(two);                        // 2: a new worker serves
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> Instances are immutable.
 */
public class WorkerDiedException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /** The dead worker's pid. */
    private final long pid;
    /** Its exit status, or -1. */
    private final int exitCode;
    /** The signal that killed it, or 0. */
    private final int signal;
    /** What it was running. */
    private final String task;

    /**
     * Creates the exception.
     *
     * @param pid      the worker's pid.
     * @param exitCode its exit status ({@code 128 + signal} when killed by a signal), or -1 if unknown.
     * @param signal   the signal that killed it, or 0 if none.
     * @param task     a description of the task it was running.
     */
    public WorkerDiedException(long pid, int exitCode, int signal, String task) {
        super("worker (pid " + pid + ") died " + how(exitCode, signal) + " while running " + task);
        this.pid = pid;
        this.exitCode = exitCode;
        this.signal = signal;
        this.task = task;
    }

    private static String how(int exitCode, int signal) {
        if (signal > 0) {
            return "killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
        }
        if (exitCode == ProcessPool.EXIT_VM_ERROR) {
            return "with exit code " + exitCode + " (a VirtualMachineError such as OutOfMemoryError; see its standard error)";
        }
        return exitCode < 0 ? "(exit status unknown)" : "with exit code " + exitCode;
    }

    /**
     * Returns the dead worker's process id.
     *
     * @return the pid.
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns the worker's exit status.
     *
     * @return the status ({@code 128 + signal} when killed), or -1 if it could not be collected in time.
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Returns the signal that killed the worker.
     *
     * @return the signal, or empty if it exited by itself.
     */
    public OptionalInt signal() {
        return signal > 0 ? OptionalInt.of(signal) : OptionalInt.empty();
    }

    /**
     * Describes the task the worker was running.
     *
     * @return e.g. {@code "applyAsync task 17"} or {@code "map chunk 3 (inputs 12 to 15)"}.
     */
    public String task() {
        return task;
    }
}
