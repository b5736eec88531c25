package org.multiproc4j.core;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.multiproc4j.core.internal.ChildCommand;
import org.multiproc4j.core.internal.ChildContext;
import org.multiproc4j.core.internal.ChildRegistry;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.core.internal.Outcome;
import org.multiproc4j.core.internal.RunningChild;
import org.multiproc4j.core.internal.Spares;

/**
 * A task running in a child JVM: Java's counterpart of Python's {@code multiprocessing.Process}.
 *
 * <p>A {@code JvmProcess} is built from a {@link SerializableRunnable} (a lambda will do, with the
 * arguments it captures) and started with {@link #start()}, which launches a new JVM with this JVM's
 * java executable and classpath, sends it the task and returns at once. {@link #join()} waits for the
 * child to end, {@link #exitCode()} tells how it ended.
 * <pre>{@code
 * List<JvmProcess> children = new ArrayList<>();
 * for (int i = 0; i < 5; i++) {
 *     int x = i;
 *     children.add(new JvmProcess(() -> System.out.println(x * x * x)).start());
 * }
 * for (JvmProcess p : children) {
 *     p.join();
 * }
 * }</pre>
 * A task that computes a value uses {@link #call(SerializableCallable)}, whose {@link TaskFuture}
 * brings the value back.
 *
 * <p><b>Lifecycle.</b> A process is <em>new</em> until {@link #start()}, then <em>running</em>, then
 * <em>exited</em> once the child JVM has ended (whatever the reason) and its outcome has been collected.
 * It can be started once. {@link #close()} ends a still-running child and releases what this object
 * holds.
 *
 * <p><b>Start methods.</b> Booting a JVM takes tens of milliseconds, the bulk of a start. By default
 * ({@link StartMethod#WARM_SPARE}) a start launches, in the background, a spare JVM of the same
 * configuration that boots and waits; the next {@link #start()} hands its task to that spare, so the task's
 * first line runs milliseconds after {@code start()}. {@link StartMethod#SPAWN} launches a fresh JVM every
 * time. Choose per process with {@link Options#startMethod(StartMethod)}, or for all with
 * {@link #setDefaultStartMethod} or the system property {@value #START_METHOD_PROP}. Either way the child
 * is a child of this JVM with its own pid, options and name; only the moment its JVM booted differs.
 *
 * <p><b>Exit semantics.</b> As in Python: when this JVM's {@code main} ends, the JVM waits for its
 * non-daemon children to exit (each is watched by a non-daemon thread), then shuts down, terminating its
 * daemon children. A JVM that shuts down before its non-daemon children are done ({@code System.exit},
 * {@code SIGTERM}) terminates them too: {@code SIGTERM}, then {@code SIGKILL} after a second. Better than
 * Python: a child never outlives its parent. If this JVM dies without shutting down (even by
 * {@code kill -9}), each child notices within a fifth of a second and exits with status
 * {@value #EXIT_PARENT_GONE}, running its shutdown hooks for at most half a second.
 *
 * <p><b>What a child inherits.</b> A child runs this JVM's java executable
 * ({@link Options#javaExecutable(Path)} chooses another) with this JVM's classpath (plus
 * {@link Options#extraClasspath(Path...)}), this JVM's environment and working directory
 * ({@link Options#environment(String, String)}, {@link Options#workingDirectory(Path)} change them), the JVM
 * options that multiproc4j's modules contribute through {@link org.multiproc4j.core.spi.JvmOptionsProvider}
 * (Agrona's and Chronicle's flags, for instance), and every {@code multiproc4j.*} system property this JVM has
 * at {@link #start()}, such as {@code multiproc4j.sharedmem.dir}, so that it finds this JVM's shared objects.
 * It does not inherit this JVM's other system properties, its heap size or other JVM options: pass those with
 * {@link Options#jvmOptions(String...)} ({@code "-Dkey=value"}, {@code "-XX:+UseSerialGC"}) and
 * {@link Options#maxHeap(String)}, which win over an inherited value.
 * <pre>{@code
 * JvmProcess.Options options = new JvmProcess.Options()
 *         .maxHeap("512m")
 *         .jvmOptions("-Dapp.mode=" + System.getProperty("app.mode", "test"))
 *         .environment("APP_HOME", "/opt/app");
 * JvmProcess child = new JvmProcess(() -> System.out.println(System.getProperty("app.mode")), options);
 * child.start();
 * child.join();
 * }</pre>
 *
 * <p><b>Output.</b> By default the child's {@code System.out} and {@code System.err} are this JVM's
 * (its lines appear on the same console); {@link Options#stdout(ProcessBuilder.Redirect)} and
 * {@link Options#stderr(ProcessBuilder.Redirect)} redirect them, and with
 * {@link ProcessBuilder.Redirect#PIPE} they can be read from {@link #stdout()} and {@link #stderr()}.
 * The child's standard input is multiproc4j's control pipe, not the console.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of the JVM that
 * created the object. The object cannot be used from another process (it is not serializable).
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to {@link #start()} happen-before every
 * action of the task in the child, and every action of the child JVM happens-before {@link #join()} returns
 * (or {@link #isAlive()} returns {@code false}, or {@link #onExit()} completes) in any thread of this JVM: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> A task that cannot be serialized fails {@link #start()} with a
 * {@link SerializationException} naming the offending type, and no JVM is started. A task that throws
 * in the child ends it with exit code 1, prints the stack trace on the child's standard error (as
 * Python does) and is reported by {@link #failure()} as a {@link RemoteException}. A child killed by a
 * signal reports {@code 128 + signal} ({@link #signal()} tells which). A child whose JVM cannot boot (an
 * unknown JVM option, too small a heap) prints the JVM's error on its standard error like any
 * {@code java} command, once; {@link #start()} has returned by then, so {@link #join()} throws a
 * {@link LaunchException} carrying that text, and {@link #launchFailure()} reports it. A configuration that
 * never booted gets no warm spare, so nothing prints the error a second time. Once any method reports the
 * child ended ({@link #isAlive()} {@code false}, {@link #join(Duration)} {@code true}, {@link #onExit()}
 * done), its exit code, signal, failure and launch failure are final.
 */
public final class JvmProcess implements Waitable, AutoCloseable {

    /** Exit status of a child whose task threw, as in Python. */
    public static final int EXIT_TASK_FAILED = 1;

    /** Exit status of a child that ended because its parent process was gone. */
    public static final int EXIT_PARENT_GONE = 70;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Object task;
    private final Options options;
    private final String name;
    private final CompletableFuture<JvmProcess> exited = new CompletableFuture<>();
    private final Object lock = new Object();

    /** The child, once started; {@code null} while this process is new. */
    private volatile RunningChild child;
    private boolean closed; // guarded by lock

    /**
     * Creates a process that will run {@code task} in a child JVM, with default options.
     *
     * @param task the task; it and everything it captures must be serializable.
     * @throws NullPointerException if {@code task} is {@code null}.
     */
    public JvmProcess(SerializableRunnable task) {
        this(task, new Options());
    }

    /**
     * Creates a process that will run {@code task} in a child JVM, with the given options.
     *
     * @param task    the task; it and everything it captures must be serializable.
     * @param options how to start the child; copied, so later changes have no effect.
     * @throws NullPointerException if an argument is {@code null}.
     */
    public JvmProcess(SerializableRunnable task, Options options) {
        this((Object) Objects.requireNonNull(task, "task"), options);
    }

    private JvmProcess(Object task, Options options) {
        this.task = task;
        this.options = new Options(Objects.requireNonNull(options, "options"));
        this.name = this.options.name().orElseGet(JvmProcess::nextName);
    }

    /**
     * Starts a child JVM that computes {@code task}, with default options, and returns a future for its
     * result.
     *
     * @param task the task; it, what it captures and its result must be serializable.
     * @param <V>  the result type.
     * @return the future result; {@link TaskFuture#process()} is the running child.
     * @throws SerializationException if the task cannot be serialized; no JVM is started.
     * @throws ProcessException       if the child JVM cannot be launched.
     */
    public static <V> TaskFuture<V> call(SerializableCallable<V> task) {
        return call(task, new Options());
    }

    /**
     * Starts a child JVM that computes {@code task} and returns a future for its result.
     *
     * @param task    the task; it, what it captures and its result must be serializable.
     * @param options how to start the child.
     * @param <V>     the result type.
     * @return the future result; {@link TaskFuture#process()} is the running child.
     * @throws SerializationException if the task cannot be serialized; no JVM is started.
     * @throws ProcessException       if the child JVM cannot be launched.
     */
    public static <V> TaskFuture<V> call(SerializableCallable<V> task, Options options) {
        JvmProcess p = new JvmProcess((Object) Objects.requireNonNull(task, "task"), options);
        p.start();
        return new TaskFuture<>(p);
    }

    private static String nextName() {
        String prefix = ChildContext.isChild() ? ChildContext.name() + ":" : "JvmProcess-";
        return prefix + COUNTER.incrementAndGet();
    }

    /**
     * Launches the child JVM (or takes the warm spare of its configuration, see {@link StartMethod}) and
     * sends it the task. Returns as soon as the JVM is launched; the task runs concurrently. A JVM that is
     * launched but cannot boot (an unknown JVM option, say) is reported later, by {@link #join()} and
     * {@link #launchFailure()}.
     *
     * @return this process, for chaining.
     * @throws IllegalStateException  if this process was already started or closed.
     * @throws SerializationException if the task cannot be serialized (the message names the type);
     *                                no JVM is started and the process stays new.
     * @throws ProcessException       if the JVM cannot be launched (a missing java executable, say).
     */
    public JvmProcess start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("cannot start " + this + ": it is closed");
            }
            if (child != null) {
                throw new IllegalStateException("cannot start " + this + " twice");
            }
            StartMethod method = options.startMethod().orElse(defaultStartMethod);
            RunningChild c = RunningChild.launch(this, task, options, method == StartMethod.WARM_SPARE, exited);
            child = c;
            c.watch();
            return this;
        }
    }

    /**
     * Waits until the child JVM has exited and its outcome has been collected.
     *
     * @throws InterruptedException  if the calling thread is interrupted while waiting.
     * @throws LaunchException       if the child's JVM ended without booting (see {@link #launchFailure()}).
     * @throws IllegalStateException if this process was never started.
     */
    public void join() throws InterruptedException {
        requireStarted("join");
        awaitExited();
        throwIfLaunchFailed();
    }

    /**
     * Waits at most {@code timeout} for the child JVM to exit.
     *
     * @param timeout how long to wait; zero or negative means do not wait.
     * @return {@code true} if the child has exited, {@code false} if the time ran out first.
     * @throws InterruptedException  if the calling thread is interrupted while waiting.
     * @throws LaunchException       if the child's JVM ended without booting (see {@link #launchFailure()}).
     * @throws IllegalStateException if this process was never started.
     */
    public boolean join(Duration timeout) throws InterruptedException {
        requireStarted("join");
        if (!awaitExited(timeout)) {
            return false;
        }
        throwIfLaunchFailed();
        return true;
    }

    private void throwIfLaunchFailed() {
        LaunchException e = child.launchFailure();
        if (e != null) {
            throw e;
        }
    }

    /** Waits for the exit to be collected, without judging it. */
    void awaitExited() throws InterruptedException {
        try {
            exited.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("onExit never completes exceptionally", e);
        }
    }

    /** Waits at most {@code timeout} for the exit to be collected, without judging it. */
    boolean awaitExited(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, Deadlines.nanos(timeout)); // Duration.toNanos overflows past 292 years
        try {
            exited.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("onExit never completes exceptionally", e);
        }
    }

    /**
     * Returns a future completed with this process once its child has exited and its outcome is known.
     * Dependent actions run in the thread that collects the child's exit, so they should be short.
     *
     * @return the exit future; it never completes exceptionally (a {@link #launchFailure()} included).
     */
    public CompletableFuture<JvmProcess> onExit() {
        return exited;
    }

    /**
     * Tells whether the child JVM is running: started, and its exit not yet collected. Once this method
     * returns {@code false} for a started process, {@link #exitCode()}, {@link #signal()},
     * {@link #failure()}, {@link #launchFailure()}, {@link #onExit()} and {@link #toString()} all report the
     * exit, and never change again. (The operating system may report the process gone a fraction of a
     * millisecond earlier, while multiproc4j collects its outcome.)
     *
     * @return {@code true} while the child runs.
     */
    public boolean isAlive() {
        return child != null && !exited.isDone();
    }

    /**
     * Tells whether {@link #join()} would return (or throw) at once: the child has exited, or was never started.
     * This is how a process takes part in {@link Waitable#await(java.util.Collection, Duration)}.
     *
     * @return {@code !isAlive()}.
     */
    @Override
    public boolean isReady() {
        return !isAlive();
    }

    /**
     * Returns how the child ended: 0 for a task that returned, 1 ({@link #EXIT_TASK_FAILED}) for a task
     * that threw, 70 ({@link #EXIT_PARENT_GONE}) for a child whose parent died, the value passed to
     * {@code System.exit} by a task that called it, and {@code 128 + n} for a child killed by signal
     * {@code n} (137 after {@link #kill()}, 143 after {@link #terminate()} when the child's shutdown
     * hooks ran; this is how the JDK reports a death by signal, unlike Python's negative codes).
     *
     * @return the exit status.
     * @throws IllegalStateException if the child has not exited yet ({@link #join()} first).
     */
    public int exitCode() {
        if (!exited.isDone()) {
            throw new IllegalStateException("no exit code yet: " + this + " has not exited");
        }
        return child.exitCode();
    }

    /**
     * Tells which signal ended the child, if a signal did: the exit status was above 128 and the child
     * did not report an outcome of its own (a task that calls {@code System.exit(137)} is not mistaken
     * for a {@code SIGKILL} unless it bypassed multiproc4j's exit path).
     *
     * @return the signal number, or empty if the child exited by itself or is still running.
     */
    public OptionalInt signal() {
        if (!exited.isDone()) {
            return OptionalInt.empty();
        }
        int code = child.exitCode();
        return code <= 128 || child.outcome() != null ? OptionalInt.empty() : OptionalInt.of(code - 128);
    }

    /**
     * Returns the failure of a task that threw in the child.
     *
     * @return the child's exception, described as text; empty if the task returned, was not run, or the
     *         child has not exited yet.
     */
    public Optional<RemoteException> failure() {
        Outcome o = outcome();
        return o == null ? Optional.empty() : Optional.ofNullable(o.failure());
    }

    /** The child's outcome once its exit is collected; {@code null} before, or if it reported none. */
    Outcome outcome() {
        return exited.isDone() ? child.outcome() : null;
    }

    /**
     * Returns why the child's JVM could not boot, if it could not: it ended before it ran multiproc4j's child
     * entry point, so the task never started (an unknown JVM option, too small a heap, a classpath without
     * multiproc4j, a java executable that is not a JVM). The exception carries the JVM's own error text. A
     * child ended on purpose while it booted ({@link #kill()}, {@link #terminate()}, {@code SIGKILL},
     * {@code SIGTERM}, {@code SIGINT} or {@code SIGHUP} from anyone) is not a launch failure.
     *
     * <pre>{@code
     * JvmProcess p = new JvmProcess(() -> { }, new JvmProcess.Options().maxHeap("1m")).start();
     * try {
     *     p.join(Duration.ofSeconds(30));
     * } catch (LaunchException e) {
     *     System.out.println(e.jvmOutput());                 // "... Too small maximum heap"
     *     System.out.println(p.launchFailure().isPresent()); // true
     * }
     * }</pre>
     *
     * @return the launch failure; empty while the child runs, or if its JVM booted.
     */
    public Optional<LaunchException> launchFailure() {
        return exited.isDone() ? Optional.ofNullable(child.launchFailure()) : Optional.empty();
    }

    /**
     * Returns the child's operating-system process id.
     *
     * @return the pid.
     * @throws IllegalStateException if the process was never started.
     */
    public long pid() {
        requireStarted("pid");
        return child.process().pid();
    }

    /**
     * Returns the process's name: the one in its {@link Options}, or {@code JvmProcess-N}
     * ({@code <parent name>:N} in a child), as Python names processes.
     *
     * @return the name.
     */
    public String name() {
        return name;
    }

    /**
     * Tells whether this is a daemon child: one that is terminated, not waited for, when this JVM ends.
     *
     * @return the daemon flag.
     */
    public boolean isDaemon() {
        return options.daemon();
    }

    /**
     * Asks the child to end: sends it {@code SIGTERM}, so its shutdown hooks run. Does not wait; use
     * {@link #join(Duration)}. Does nothing if the child has exited.
     *
     * @throws IllegalStateException if the process was never started.
     */
    public void terminate() {
        requireStarted("terminate");
        child.terminate();
    }

    /**
     * Ends the child at once with {@code SIGKILL}. Does not wait; use {@link #join(Duration)}. Does
     * nothing if the child has exited.
     *
     * @throws IllegalStateException if the process was never started.
     */
    public void kill() {
        requireStarted("kill");
        child.kill();
    }

    /**
     * Returns the child's standard output, when it was redirected to {@link ProcessBuilder.Redirect#PIPE}.
     *
     * @return the stream of what the child prints.
     * @throws IllegalStateException if the process was never started or its output was not piped.
     */
    public InputStream stdout() {
        requireStarted("stdout");
        if (options.stdout() != ProcessBuilder.Redirect.PIPE) {
            throw new IllegalStateException("stdout of " + this + " is not piped: it goes to " + options.stdout());
        }
        return child.process().getInputStream();
    }

    /**
     * Returns the child's standard error, when it was redirected to {@link ProcessBuilder.Redirect#PIPE}.
     *
     * @return the stream of what the child prints on standard error.
     * @throws IllegalStateException if the process was never started or its error stream was not piped.
     */
    public InputStream stderr() {
        requireStarted("stderr");
        if (options.stderr() != ProcessBuilder.Redirect.PIPE) {
            throw new IllegalStateException("stderr of " + this + " is not piped: it goes to " + options.stderr());
        }
        return child.process().getErrorStream();
    }

    /**
     * Ends a still-running child and releases what this object holds. A running child is sent
     * {@code SIGTERM}, given {@link Options#terminateGrace(Duration)} to exit, then killed; this method
     * returns once it has exited. Closing twice, or closing a process never started, is harmless.
     */
    @Override
    public void close() {
        RunningChild c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = child;
        }
        if (c != null && !exited.isDone()) {
            stop(c, options.terminateGrace());
        }
    }

    private void stop(RunningChild c, Duration grace) {
        c.terminate();
        boolean interrupted = false;
        try {
            if (!awaitExited(grace)) {
                c.kill();
                while (!awaitExited(Duration.ofSeconds(1))) {
                    c.kill();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            c.kill();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireStarted(String what) {
        if (child == null) {
            throw new IllegalStateException("cannot " + what + " " + this + ": it was never started");
        }
    }

    /**
     * Describes the process the way Python's {@code repr} does: name, state, pid, exit code.
     *
     * @return e.g. {@code JvmProcess[name=JvmProcess-1, pid=4242, running, daemon]}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("JvmProcess[name=").append(name);
        RunningChild c = child;
        if (c == null) {
            b.append(", new");
        } else {
            b.append(", pid=").append(c.process().pid());
            if (!exited.isDone()) {
                b.append(", running");
            } else {
                b.append(", exited ").append(c.exitCode());
                OptionalInt sig = signal();
                if (c.launchFailure() != null) {
                    b.append(" (could not boot)");
                } else if (sig.isPresent()) {
                    b.append(" (signal ").append(sig.getAsInt()).append(')');
                }
            }
        }
        if (options.daemon()) {
            b.append(", daemon");
        }
        return b.append(']').toString();
    }

    // ----------------------------------------------------------------------------------------------
    // The process we are in, and its children
    // ----------------------------------------------------------------------------------------------

    /**
     * Describes the current process: its name ({@code "MainProcess"} unless multiproc4j started it),
     * pid and daemon flag.
     *
     * @return the current process.
     */
    public static ProcessInfo current() {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        return new ProcessInfo(ChildContext.name(), self.pid(), ChildContext.isDaemon(), start);
    }

    /**
     * Describes the process that started this one, if multiproc4j did.
     *
     * @return the parent, or empty in a JVM not started by multiproc4j.
     */
    public static Optional<ProcessInfo> parent() {
        if (!ChildContext.isChild()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessInfo(ChildContext.parentName(), ChildContext.parentPid(), false,
                ChildContext.parentStartMillis()));
    }

    /**
     * Returns the children this JVM started that have not exited yet, oldest first.
     *
     * @return a snapshot list of running children.
     */
    public static List<JvmProcess> activeChildren() {
        List<JvmProcess> list = new ArrayList<>();
        for (RunningChild c : ChildRegistry.running()) {
            if (c.owner().isAlive()) {
                list.add(c.owner());
            }
        }
        return list;
    }

    /**
     * Returns the number of processors this process may use: the CPUs in its affinity mask, bounded by
     * its container's CPU quota (Python's {@code os.process_cpu_count()}, not the machine's total).
     *
     * @return at least 1.
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static volatile StartMethod defaultStartMethod = initialStartMethod();

    private static StartMethod initialStartMethod() {
        String value = System.getProperty(START_METHOD_PROP, "warm-spare").trim();
        for (StartMethod m : StartMethod.values()) {
            if (m.name().replace('_', '-').equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("system property " + START_METHOD_PROP + "=" + value
                + ": expected spawn or warm-spare");
    }

    /**
     * The system property that sets the initial {@link #defaultStartMethod()}: {@code spawn} or
     * {@code warm-spare} (the default).
     */
    public static final String START_METHOD_PROP = "multiproc4j.startMethod";

    /**
     * Returns the start method of processes whose options do not choose one: the value of the system
     * property {@value #START_METHOD_PROP} when this class was loaded, or {@link StartMethod#WARM_SPARE},
     * until {@link #setDefaultStartMethod} changes it.
     *
     * @return the default start method.
     */
    public static StartMethod defaultStartMethod() {
        return defaultStartMethod;
    }

    /**
     * Sets the start method of processes whose options do not choose one (Python's
     * {@code set_start_method}). Choosing {@link StartMethod#SPAWN} also ends the idle spares. Thread-safe;
     * affects later {@link #start()} calls only.
     *
     * @param method the new default.
     * @throws NullPointerException if {@code method} is {@code null}.
     */
    public static void setDefaultStartMethod(StartMethod method) {
        defaultStartMethod = Objects.requireNonNull(method, "method");
        if (method == StartMethod.SPAWN) {
            discardSpares();
        }
    }

    /**
     * Ends the idle warm spares of this JVM (see {@link StartMethod#WARM_SPARE}) and waits up to a second for
     * them to be gone, for instance to free their memory before a long pause. Later starts with
     * {@code WARM_SPARE} start new spares. Thread-safe; never affects started processes.
     */
    public static void discardSpares() {
        Spares.discardAll();
    }

    // ----------------------------------------------------------------------------------------------
    // Options
    // ----------------------------------------------------------------------------------------------

    /**
     * How a child JVM is started. Every setting has a default a newcomer never needs to change: the
     * parent's java executable and classpath, the parent's environment and working directory, the parent's
     * {@code multiproc4j.*} system properties, output to the parent's console, not a daemon.
     *
     * <pre>{@code
     * JvmProcess.Options options = new JvmProcess.Options()
     *         .name("worker-1")
     *         .daemon(true)
     *         .maxHeap("256m")
     *         .jvmOptions("-XX:+UseSerialGC");
     * System.out.println(options.maxHeap().orElse("the JVM's default"));   // 256m
     * }</pre>
     *
     * <p>Each setting has a setter, which returns these options, and a getter of the same name (as
     * {@link ProcessBuilder} has); a setting whose default is decided when the process starts (its name, heap,
     * working directory, start method) reads as an empty {@link Optional} until it is set. A setter checks its
     * argument and throws, naming the setting and the value, before it changes anything.
     *
     * <p><b>Thread safety.</b> Not thread-safe: configure it in one thread. A {@link JvmProcess} copies its
     * options when it is created, so later changes do not affect it.
     */
    public static final class Options {
        /** Default {@link #terminateGrace()}: 2 seconds. */
        public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(2);

        private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgGtT]?");

        private String name;
        private boolean daemon;
        private final List<String> jvmOptions;
        private String maxHeap;
        private final Map<String, String> environment;
        private Path workingDirectory;
        private Path javaExecutable;
        private final List<Path> extraClasspath;
        private ProcessBuilder.Redirect stdout = ProcessBuilder.Redirect.INHERIT;
        private ProcessBuilder.Redirect stderr = ProcessBuilder.Redirect.INHERIT;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;
        private StartMethod startMethod;

        /** Creates options with every default. */
        public Options() {
            jvmOptions = new ArrayList<>();
            environment = new LinkedHashMap<>();
            extraClasspath = new ArrayList<>();
            javaExecutable = ChildCommand.currentJava();
        }

        /**
         * Copies options: the copy and {@code other} can then be changed independently.
         *
         * @param other the options to copy.
         * @throws NullPointerException if {@code other} is {@code null}.
         */
        public Options(Options other) {
            name = other.name;
            daemon = other.daemon;
            jvmOptions = new ArrayList<>(other.jvmOptions);
            maxHeap = other.maxHeap;
            environment = new LinkedHashMap<>(other.environment);
            workingDirectory = other.workingDirectory;
            javaExecutable = other.javaExecutable;
            extraClasspath = new ArrayList<>(other.extraClasspath);
            stdout = other.stdout;
            stderr = other.stderr;
            terminateGrace = other.terminateGrace;
            startMethod = other.startMethod;
        }

        /**
         * Names the process (Python's {@code name=}).
         *
         * @param name the name; {@code null} restores the default, {@code JvmProcess-N}
         *             ({@code <parent name>:N} in a child).
         * @return these options.
         */
        public Options name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Returns the name set.
         *
         * @return the name, or empty for the default ({@link JvmProcess#name()} tells the name given).
         */
        public Optional<String> name() {
            return Optional.ofNullable(name);
        }

        /**
         * Makes the child a daemon: it is terminated, not waited for, when this JVM ends.
         *
         * @param daemon the flag; default {@code false}.
         * @return these options.
         */
        public Options daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Tells whether the child is to be a daemon.
         *
         * @return the flag; default {@code false}.
         */
        public boolean daemon() {
            return daemon;
        }

        /**
         * Adds JVM options for the child, such as {@code -XX:+UseSerialGC} or {@code -Dkey=value}. The
         * options modules need (Agrona's, Chronicle's) are added by themselves, and so are this JVM's
         * {@code multiproc4j.*} system properties; none of this JVM's other options or properties are (see
         * "What a child inherits" in {@link JvmProcess}). These options come last, so they win over an
         * inherited value. An option the child's JVM does not accept makes it fail to boot: {@link #join()}
         * then throws a {@link LaunchException}.
         *
         * @param options the options, one command-line argument each; default none.
         * @return these options.
         * @throws IllegalArgumentException if an option does not start with {@code -} (then none is added).
         * @throws NullPointerException     if {@code options} or one of them is {@code null}.
         */
        public Options jvmOptions(String... options) {
            for (String o : options) {
                if (!Objects.requireNonNull(o, "jvmOptions: an option").startsWith("-")) {
                    throw new IllegalArgumentException("jvmOptions must each start with '-', got '" + o + "'");
                }
            }
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Returns the JVM options added, in order.
         *
         * @return an unmodifiable copy; default empty.
         */
        public List<String> jvmOptions() {
            return List.copyOf(jvmOptions);
        }

        /**
         * Sets the child's maximum heap ({@code -Xmx}). By default a child does not inherit this JVM's: its
         * JVM picks its own default (a quarter of the memory it sees).
         *
         * @param size a size in the JVM's notation: {@code "512m"}, {@code "2g"}, {@code "1048576"};
         *             {@code null} restores the default.
         * @return these options.
         * @throws IllegalArgumentException if the size is malformed.
         */
        public Options maxHeap(String size) {
            if (size != null && !SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("maxHeap must be a JVM size such as \"512m\" or \"2g\", got '"
                        + size + "'");
            }
            this.maxHeap = size;
            return this;
        }

        /**
         * Returns the child's maximum heap.
         *
         * @return the size, or empty for the JVM's own default.
         */
        public Optional<String> maxHeap() {
            return Optional.ofNullable(maxHeap);
        }

        /**
         * Sets, or with a {@code null} value removes, an environment variable of the child. The child
         * otherwise inherits this JVM's environment (so {@code JAVA_TOOL_OPTIONS}, for instance, applies
         * to it too).
         *
         * @param variable the variable's name.
         * @param value    its value, or {@code null} to remove it.
         * @return these options.
         * @throws NullPointerException if {@code variable} is {@code null}.
         */
        public Options environment(String variable, String value) {
            environment.put(Objects.requireNonNull(variable, "variable"), value);
            return this;
        }

        /**
         * Returns the changes to this JVM's environment that the child gets, in the order they were set.
         *
         * @return an unmodifiable copy: variable to value, a {@code null} value for a variable removed; default
         *         empty.
         */
        public Map<String, String> environment() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        }

        /**
         * Sets the child's working directory.
         *
         * @param directory the directory; {@code null} restores the default, this JVM's.
         * @return these options.
         */
        public Options workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        /**
         * Returns the child's working directory.
         *
         * @return the directory, or empty for this JVM's.
         */
        public Optional<Path> workingDirectory() {
            return Optional.ofNullable(workingDirectory);
        }

        /**
         * Chooses the java executable of the child. The options that modules contribute are chosen for that
         * executable's Java version.
         *
         * @param java the executable; default this JVM's ({@code java.home/bin/java}).
         * @return these options.
         * @throws NullPointerException if {@code java} is {@code null}.
         */
        public Options javaExecutable(Path java) {
            this.javaExecutable = Objects.requireNonNull(java, "javaExecutable");
            return this;
        }

        /**
         * Returns the java executable of the child.
         *
         * @return the executable; default this JVM's.
         */
        public Path javaExecutable() {
            return javaExecutable;
        }

        /**
         * Adds entries to the child's classpath, after this JVM's.
         *
         * @param entries jars or directories; default none.
         * @return these options.
         * @throws NullPointerException if {@code entries} or one of them is {@code null} (then none is added).
         */
        public Options extraClasspath(Path... entries) {
            for (Path e : entries) {
                Objects.requireNonNull(e, "extraClasspath: an entry");
            }
            extraClasspath.addAll(List.of(entries));
            return this;
        }

        /**
         * Returns the entries added to the child's classpath, in order.
         *
         * @return an unmodifiable copy; default empty.
         */
        public List<Path> extraClasspath() {
            return List.copyOf(extraClasspath);
        }

        /**
         * Redirects the child's standard output.
         *
         * @param redirect where the output goes; default {@link ProcessBuilder.Redirect#INHERIT} (this JVM's
         *                 console). {@link ProcessBuilder.Redirect#PIPE} makes it readable from
         *                 {@link JvmProcess#stdout()}.
         * @return these options.
         * @throws NullPointerException if {@code redirect} is {@code null}.
         */
        public Options stdout(ProcessBuilder.Redirect redirect) {
            this.stdout = Objects.requireNonNull(redirect, "stdout");
            return this;
        }

        /**
         * Returns where the child's standard output goes.
         *
         * @return the redirect; default {@link ProcessBuilder.Redirect#INHERIT}.
         */
        public ProcessBuilder.Redirect stdout() {
            return stdout;
        }

        /**
         * Redirects the child's standard error.
         *
         * @param redirect where the error output goes; default {@link ProcessBuilder.Redirect#INHERIT}.
         * @return these options.
         * @throws NullPointerException if {@code redirect} is {@code null}.
         */
        public Options stderr(ProcessBuilder.Redirect redirect) {
            this.stderr = Objects.requireNonNull(redirect, "stderr");
            return this;
        }

        /**
         * Returns where the child's standard error goes.
         *
         * @return the redirect; default {@link ProcessBuilder.Redirect#INHERIT}.
         */
        public ProcessBuilder.Redirect stderr() {
            return stderr;
        }

        /**
         * Sets how long {@link JvmProcess#close()} waits after {@code SIGTERM} before it kills a running
         * child.
         *
         * @param grace the grace period, not negative; default {@link #DEFAULT_TERMINATE_GRACE}.
         * @return these options.
         * @throws IllegalArgumentException if {@code grace} is negative.
         * @throws NullPointerException     if {@code grace} is {@code null}.
         */
        public Options terminateGrace(Duration grace) {
            if (Objects.requireNonNull(grace, "terminateGrace").isNegative()) {
                throw new IllegalArgumentException("terminateGrace must not be negative, got " + grace);
            }
            this.terminateGrace = grace;
            return this;
        }

        /**
         * Returns how long {@link JvmProcess#close()} waits after {@code SIGTERM}.
         *
         * @return the grace period; default {@link #DEFAULT_TERMINATE_GRACE}.
         */
        public Duration terminateGrace() {
            return terminateGrace;
        }

        /**
         * Chooses how the child JVM is started.
         *
         * @param method the start method; {@code null} restores the default,
         *               {@link JvmProcess#defaultStartMethod()} at the time of {@link JvmProcess#start()}.
         * @return these options.
         */
        public Options startMethod(StartMethod method) {
            this.startMethod = method;
            return this;
        }

        /**
         * Returns the start method chosen.
         *
         * @return the method, or empty for {@link JvmProcess#defaultStartMethod()} at the time of
         *         {@link JvmProcess#start()}.
         */
        public Optional<StartMethod> startMethod() {
            return Optional.ofNullable(startMethod);
        }

        /**
         * Describes every setting, {@code default} for those not set.
         *
         * @return e.g. {@code JvmProcess.Options[name=worker-1, daemon=true, jvmOptions=[], maxHeap=256m, ...]}.
         */
        @Override
        public String toString() {
            return "JvmProcess.Options[name=" + orDefault(name) + ", daemon=" + daemon + ", jvmOptions=" + jvmOptions
                    + ", maxHeap=" + orDefault(maxHeap) + ", environment=" + environment + ", workingDirectory="
                    + orDefault(workingDirectory) + ", javaExecutable=" + javaExecutable + ", extraClasspath="
                    + extraClasspath + ", stdout=" + stdout + ", stderr=" + stderr + ", terminateGrace="
                    + terminateGrace + ", startMethod=" + orDefault(startMethod) + "]";
        }

        private static String orDefault(Object setting) {
            return setting == null ? "default" : setting.toString();
        }
    }
}
