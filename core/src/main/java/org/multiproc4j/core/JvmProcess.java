package org.multiproc4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.multiproc4j.core.internal.ChildCommand;
import org.multiproc4j.core.internal.ChildContext;
import org.multiproc4j.core.internal.ChildLaunch;
import org.multiproc4j.core.internal.Outcome;
import org.multiproc4j.core.internal.Spares;
import org.multiproc4j.core.internal.TaskWire;

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
 * time. Choose per process with {@link Options#startMethod}, or for all with
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
 * <p><b>What a child inherits.</b> A child runs this JVM's java executable ({@link Options#javaExecutable}
 * chooses another) with this JVM's classpath (plus {@link Options#extraClasspath}), this JVM's environment
 * and working directory ({@link Options#environment}, {@link Options#workingDirectory} change them), the
 * JVM options that multiproc4j's modules contribute through
 * {@link org.multiproc4j.core.spi.JvmOptionsProvider} (Agrona's and Chronicle's flags, for instance), and
 * every {@code multiproc4j.*} system property this JVM has at {@link #start()}, such as
 * {@code multiproc4j.sharedmem.dir}, so that it finds this JVM's shared objects. It does not inherit this
 * JVM's other system properties, its heap size or other JVM options: pass those with
 * {@link Options#jvmOptions} ({@code "-Dkey=value"}, {@code "-XX:+UseSerialGC"}) and
 * {@link Options#maxHeap}, which win over an inherited value.
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
 * <p><b>Memory consistency effects.</b> Everything the child's task did happens-before
 * {@link #join()} returns, as far as the child's outcome (exit code, result, failure) is concerned.
 * Effects on shared memory follow the rules of the shared object used.
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
public final class JvmProcess implements AutoCloseable {

    /** Exit status of a child whose task threw, as in Python. */
    public static final int EXIT_TASK_FAILED = 1;

    /** Exit status of a child that ended because its parent process was gone. */
    public static final int EXIT_PARENT_GONE = 70;

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<Long, JvmProcess> ACTIVE = new ConcurrentHashMap<>();
    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled;

    private enum State { NEW, RUNNING, EXITED }

    private final Object task;
    private final Options options;
    private final String name;
    private final CompletableFuture<JvmProcess> exited = new CompletableFuture<>();
    private final Object lock = new Object();

    private volatile State state = State.NEW;
    private volatile boolean closed;
    /** Set once this JVM has sent the child a signal (terminate, kill, close, shutdown). */
    private volatile boolean signalled;
    private Process process;
    private ChildLaunch launch;
    private Spares.Key spareKey;
    private OutputStream control;
    // written by the waiter thread before it completes 'exited', read after 'exited' is seen done
    private int exitCode = -1;
    private Outcome outcome;
    private LaunchException launchFailure;

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
        this.name = this.options.name != null ? this.options.name : nextName();
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
            if (state != State.NEW) {
                throw new IllegalStateException("cannot start " + this + " twice");
            }
            List<Shareable> shared = new ArrayList<>();
            byte[] bytes;
            boolean warm;
            Spares.Key key;
            ProcessBuilder builder;
            try {
                bytes = TaskWire.encodeTask(task, shared);
                ClassLoader loader = task.getClass().getClassLoader();
                launch = ChildLaunch.prepare(options.javaExecutable, options.allJvmOptions(), loader,
                        options.extraClasspath);
                installShutdownHook();
                warm = options.startMethod() == StartMethod.WARM_SPARE && options.spareable();
                key = warm ? new Spares.Key(launch.spareKey(), options.environment,
                        options.workingDirectory, options.stdout, options.stderr) : null;
                spareKey = key;
                builder = processBuilder();
                process = warm ? Spares.take(key, launch.command()) : null;
            } catch (RuntimeException | Error e) {
                handOver(shared, null);
                throw e;
            }
            if (process != null) {
                handOver(shared, process.toHandle());
                if (!assign(bytes)) {
                    // the spare died (killed by someone) before it got its task: start afresh
                    process.destroyForcibly();
                    process = null;
                }
            }
            if (process == null) {
                try {
                    process = builder.start();
                } catch (IOException e) {
                    launch.abandon();
                    handOver(shared, null);
                    throw new ProcessException("cannot launch a child JVM for " + name + " with "
                            + launch.command().get(0) + ": " + e.getMessage(), e);
                }
                handOver(shared, process.toHandle());
                assign(bytes); // if the child died before reading its task, its exit code tells why
            }
            state = State.RUNNING;
            ACTIVE.put(process.pid(), this);
            if (warm && !launch.archiveInTraining()) {
                Spares.replenish(key, launch.command(), builder, launch);
            }
            Thread waiter = new Thread(this::watch, "mp4j-waiter-" + name);
            waiter.setDaemon(options.daemon);
            waiter.start();
            return this;
        }
    }

    /** Tells each shared object captured by the task which process will attach it (see {@link Shareable}). */
    private static void handOver(List<Shareable> shared, ProcessHandle recipient) {
        for (Shareable s : shared) {
            s.handedOver(recipient);
        }
    }

    /** Sends the child its task on its control pipe; {@code false} if it is gone. */
    private boolean assign(byte[] bytes) {
        control = process.getOutputStream();
        try {
            launch.sendAssignment(control, name, options.daemon, bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ProcessBuilder processBuilder() {
        ProcessBuilder pb = new ProcessBuilder(launch.command());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(options.stdout);
        pb.redirectError(options.stderr);
        if (options.workingDirectory != null) {
            pb.directory(options.workingDirectory.toFile());
        }
        if (!options.environment.isEmpty()) {
            Map<String, String> env = pb.environment();
            for (Map.Entry<String, String> e : options.environment.entrySet()) {
                if (e.getValue() == null) {
                    env.remove(e.getKey());
                } else {
                    env.put(e.getKey(), e.getValue());
                }
            }
        }
        return pb;
    }

    /**
     * The body of the waiter thread: sees the child end, collects its outcome, tells a child that never booted
     * from one whose task ended its JVM, and only then publishes all of it at once by completing
     * {@link #exited}, which every observer ({@link #isAlive()}, {@link #exitCode()}, {@link #join()}) goes by.
     */
    private void watch() {
        int code;
        while (true) {
            try {
                code = process.waitFor();
                break;
            } catch (InterruptedException e) {
                // keep waiting: this thread's job is to see the child end
            }
        }
        Outcome read = null;
        boolean booted = true;
        try {
            byte[] bytes = Files.readAllBytes(launch.outcomeFile());
            read = TaskWire.decodeOutcome(bytes, task.getClass().getClassLoader());
        } catch (NoSuchFileException e) {
            // the child ended without reporting (killed, halted, System.exit in the task), or never booted
            booted = launch.bootMarked();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            read = Outcome.failed(RemoteException.describe(new SerializationException(
                    "the result of " + name + " cannot be read in the parent: " + e, e)));
        }
        if (spareKey != null) {
            Spares.childEnded(spareKey, booted);
        }
        LaunchException failed = null;
        if (!booted && !signalled && !endedByRequest(code)) {
            failed = diagnoseLaunchFailure(code);
        }
        launch.childExited();
        try {
            control.close();
        } catch (IOException e) {
            // nothing to do
        }
        synchronized (lock) {
            exitCode = code;
            outcome = read;
            launchFailure = failed;
            state = State.EXITED;
            ACTIVE.remove(process.pid(), this);
        }
        exited.complete(this);
    }

    /** SIGHUP, SIGINT, SIGKILL, SIGTERM: someone ended the child on purpose, it did not fail to boot. */
    private static boolean endedByRequest(int code) {
        return code == 128 + 1 || code == 128 + 2 || code == 128 + 9 || code == 128 + 15;
    }

    /** How long the second launch that learns why a child could not boot may take. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** The child's JVM ended before it booted: launch it once more, output captured, to learn why. */
    private LaunchException diagnoseLaunchFailure(int code) {
        ChildLaunch.Probe probe = launch.probe(processBuilder(), PROBE_TIMEOUT);
        String text;
        String why;
        if (probe.timedOut()) {
            text = probe.output();
            why = "; a second launch of the same command did not end within " + PROBE_TIMEOUT.toSeconds() + " s"
                    + (text.isEmpty() ? "" : " and printed:\n" + text);
        } else if (probe.exitCode() == 0) {
            text = "";
            why = "; a second launch of the same command booted, so the cause did not last (memory, a killed JVM?)";
        } else {
            text = probe.output();
            why = text.isEmpty() ? "; the JVM printed nothing" : ":\n" + text;
        }
        return new LaunchException(name + " could not boot its JVM (exit code " + code + ") with "
                + launch.command().get(0) + " and JVM options " + options.allJvmOptions() + why, text, code);
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
        LaunchException e = launchFailure;
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
        long nanos = Math.max(0, timeout.toNanos());
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
        return state != State.NEW && !exited.isDone();
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
        return exitCode;
    }

    /**
     * Tells which signal ended the child, if a signal did: the exit status was above 128 and the child
     * did not report an outcome of its own (a task that calls {@code System.exit(137)} is not mistaken
     * for a {@code SIGKILL} unless it bypassed multiproc4j's exit path).
     *
     * @return the signal number, or empty if the child exited by itself or is still running.
     */
    public OptionalInt signal() {
        if (!exited.isDone() || exitCode <= 128 || outcome != null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(exitCode - 128);
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
        return exited.isDone() ? outcome : null;
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
        return exited.isDone() ? Optional.ofNullable(launchFailure) : Optional.empty();
    }

    /**
     * Returns the child's operating-system process id.
     *
     * @return the pid.
     * @throws IllegalStateException if the process was never started.
     */
    public long pid() {
        requireStarted("pid");
        return process.pid();
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
        return options.daemon;
    }

    /**
     * Asks the child to end: sends it {@code SIGTERM}, so its shutdown hooks run. Does not wait; use
     * {@link #join(Duration)}. Does nothing if the child has exited.
     *
     * @throws IllegalStateException if the process was never started.
     */
    public void terminate() {
        requireStarted("terminate");
        signalled = true;
        process.destroy();
    }

    /**
     * Ends the child at once with {@code SIGKILL}. Does not wait; use {@link #join(Duration)}. Does
     * nothing if the child has exited.
     *
     * @throws IllegalStateException if the process was never started.
     */
    public void kill() {
        requireStarted("kill");
        signalled = true;
        process.destroyForcibly();
    }

    /**
     * Returns the child's standard output, when it was redirected to {@link ProcessBuilder.Redirect#PIPE}.
     *
     * @return the stream of what the child prints.
     * @throws IllegalStateException if the process was never started or its output was not piped.
     */
    public InputStream stdout() {
        requireStarted("stdout");
        if (options.stdout != ProcessBuilder.Redirect.PIPE) {
            throw new IllegalStateException("stdout of " + this + " is not piped: it goes to " + options.stdout);
        }
        return process.getInputStream();
    }

    /**
     * Returns the child's standard error, when it was redirected to {@link ProcessBuilder.Redirect#PIPE}.
     *
     * @return the stream of what the child prints on standard error.
     * @throws IllegalStateException if the process was never started or its error stream was not piped.
     */
    public InputStream stderr() {
        requireStarted("stderr");
        if (options.stderr != ProcessBuilder.Redirect.PIPE) {
            throw new IllegalStateException("stderr of " + this + " is not piped: it goes to " + options.stderr);
        }
        return process.getErrorStream();
    }

    /**
     * Ends a still-running child and releases what this object holds. A running child is sent
     * {@code SIGTERM}, given {@link Options#terminateGrace(Duration)} to exit, then killed; this method
     * returns once it has exited. Closing twice, or closing a process never started, is harmless.
     */
    @Override
    public void close() {
        State s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = state;
        }
        if (s == State.RUNNING) {
            stop(options.terminateGrace);
        }
    }

    private void stop(Duration grace) {
        signalled = true;
        process.destroy();
        boolean interrupted = false;
        try {
            if (!awaitExited(grace)) {
                process.destroyForcibly();
                while (!awaitExited(Duration.ofSeconds(1))) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireStarted(String what) {
        if (state == State.NEW) {
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
        if (state == State.NEW) {
            b.append(", new");
        } else {
            b.append(", pid=").append(process.pid());
            if (!exited.isDone()) {
                b.append(", running");
            } else {
                b.append(", exited ").append(exitCode);
                OptionalInt sig = signal();
                if (launchFailure != null) {
                    b.append(" (could not boot)");
                } else if (sig.isPresent()) {
                    b.append(" (signal ").append(sig.getAsInt()).append(')');
                }
            }
        }
        if (options.daemon) {
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
        for (JvmProcess p : ACTIVE.values()) {
            if (p.isAlive()) {
                list.add(p);
            }
        }
        list.sort(Comparator.comparingLong(p -> p.process.pid()));
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

    private static void installShutdownHook() {
        synchronized (HOOK_LOCK) {
            if (hookInstalled) {
                return;
            }
            hookInstalled = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(JvmProcess::shutdownChildren, "mp4j-shutdown"));
    }

    /**
     * Runs when this JVM shuts down: daemon children (and, when the JVM is exiting without waiting for
     * them, non-daemon ones) are terminated, then killed if they do not exit within a second.
     */
    private static void shutdownChildren() {
        List<JvmProcess> running = new ArrayList<>(ACTIVE.values());
        for (JvmProcess p : running) {
            p.signalled = true;
            p.process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (JvmProcess p : running) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.process.destroyForcibly();
            }
        }
    }

    /**
     * How {@link #start()} gets a child JVM, after Python's start methods. A JVM takes tens of milliseconds to
     * boot, far more than the rest of a start, so the default keeps one booted JVM ready.
     *
     * <p><b>Thread safety.</b> Immutable.
     */
    public enum StartMethod {
        /**
         * Launch a fresh JVM at every {@link #start()} (Python's {@code spawn}): nothing runs ahead of need,
         * and each start pays a JVM boot.
         */
        SPAWN,
        /**
         * Serve {@link #start()} from a warm spare, a JVM of the same configuration started ahead of need,
         * booted and waiting for its task, and start the next spare in the background (the role Python's
         * {@code forkserver} plays). The task then runs a few milliseconds after {@code start()}. The
         * first start of a configuration launches a fresh JVM, as {@link #SPAWN} does, and the configuration's
         * first spare is launched as soon as that JVM has booted (a configuration that cannot boot gets none).
         * The cost is one idle JVM per recently used configuration (at most two configurations keep one):
         * spares are not listed
         * by {@link #activeChildren()}, and they end when this JVM exits, when it dies, or on
         * {@link #discardSpares()}. A child whose output goes to a file
         * ({@link ProcessBuilder.Redirect#to}) is always launched fresh, so that nothing is created before
         * {@code start()}.
         */
        WARM_SPARE
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
     * }</pre>
     *
     * <p><b>Thread safety.</b> Not thread-safe: build it in one thread. A {@link JvmProcess} copies its
     * options when it is created.
     */
    public static final class Options {
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
        private Duration terminateGrace = Duration.ofSeconds(2);
        private StartMethod startMethod;

        /** Creates options with every default. */
        public Options() {
            jvmOptions = new ArrayList<>();
            environment = new LinkedHashMap<>();
            extraClasspath = new ArrayList<>();
            javaExecutable = ChildCommand.currentJava();
        }

        Options(Options o) {
            name = o.name;
            daemon = o.daemon;
            jvmOptions = new ArrayList<>(o.jvmOptions);
            maxHeap = o.maxHeap;
            environment = new LinkedHashMap<>(o.environment);
            workingDirectory = o.workingDirectory;
            javaExecutable = o.javaExecutable;
            extraClasspath = new ArrayList<>(o.extraClasspath);
            stdout = o.stdout;
            stderr = o.stderr;
            terminateGrace = o.terminateGrace;
            startMethod = o.startMethod;
        }

        /**
         * Names the process (Python's {@code name=}).
         *
         * @param name the name; {@code null} restores the default {@code JvmProcess-N}.
         * @return these options.
         */
        public Options name(String name) {
            this.name = name;
            return this;
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
         * Adds JVM options for the child, such as {@code -XX:+UseSerialGC} or {@code -Dkey=value}. The
         * options modules need (Agrona's, Chronicle's) are added by themselves, and so are this JVM's
         * {@code multiproc4j.*} system properties; none of this JVM's other options or properties are (see
         * "What a child inherits" in {@link JvmProcess}). These options come last, so they win over an
         * inherited value. An option the child's JVM does not accept makes it fail to boot: {@link #join()}
         * then throws a {@link LaunchException}.
         *
         * @param options the options, one command-line argument each.
         * @return these options.
         * @throws IllegalArgumentException if an option does not start with {@code -}.
         */
        public Options jvmOptions(String... options) {
            for (String o : options) {
                if (o == null || !o.startsWith("-")) {
                    throw new IllegalArgumentException("not a JVM option: " + o);
                }
                jvmOptions.add(o);
            }
            return this;
        }

        /**
         * Sets the child's maximum heap ({@code -Xmx}). By default a child does not inherit this JVM's: its
         * JVM picks its own default (a quarter of the memory it sees).
         *
         * @param size a size in the JVM's notation: {@code "512m"}, {@code "2g"}, {@code "1048576"}.
         * @return these options.
         * @throws IllegalArgumentException if the size is malformed.
         */
        public Options maxHeap(String size) {
            if (size == null || !SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("maxHeap: not a JVM size: '" + size + "' (try \"512m\" or \"2g\")");
            }
            this.maxHeap = size;
            return this;
        }

        /**
         * Sets, or with a {@code null} value removes, an environment variable of the child. The child
         * otherwise inherits this JVM's environment (so {@code JAVA_TOOL_OPTIONS}, for instance, applies
         * to it too).
         *
         * @param variable the variable's name.
         * @param value    its value, or {@code null} to remove it.
         * @return these options.
         */
        public Options environment(String variable, String value) {
            environment.put(Objects.requireNonNull(variable, "variable"), value);
            return this;
        }

        /**
         * Sets the child's working directory; default: this JVM's.
         *
         * @param directory the directory.
         * @return these options.
         */
        public Options workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        /**
         * Chooses the java executable of the child; default: this JVM's ({@code java.home/bin/java}).
         * The options that modules contribute are chosen for that executable's Java version.
         *
         * @param java the executable.
         * @return these options.
         */
        public Options javaExecutable(Path java) {
            this.javaExecutable = Objects.requireNonNull(java, "java");
            return this;
        }

        /**
         * Adds entries to the child's classpath, after this JVM's.
         *
         * @param entries jars or directories.
         * @return these options.
         */
        public Options extraClasspath(Path... entries) {
            for (Path e : entries) {
                extraClasspath.add(Objects.requireNonNull(e, "entry"));
            }
            return this;
        }

        /**
         * Redirects the child's standard output; default {@link ProcessBuilder.Redirect#INHERIT} (this
         * JVM's console).
         *
         * @param redirect where the output goes; {@link ProcessBuilder.Redirect#PIPE} makes it readable
         *                 from {@link JvmProcess#stdout()}.
         * @return these options.
         */
        public Options stdout(ProcessBuilder.Redirect redirect) {
            this.stdout = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /**
         * Redirects the child's standard error; default {@link ProcessBuilder.Redirect#INHERIT}.
         *
         * @param redirect where the error output goes.
         * @return these options.
         */
        public Options stderr(ProcessBuilder.Redirect redirect) {
            this.stderr = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /**
         * Sets how long {@link JvmProcess#close()} waits after {@code SIGTERM} before it kills a running
         * child; default 2 seconds.
         *
         * @param grace the grace period, not negative.
         * @return these options.
         */
        public Options terminateGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("terminateGrace: negative: " + grace);
            }
            this.terminateGrace = grace;
            return this;
        }

        /**
         * Chooses how the child JVM is started; default {@link JvmProcess#defaultStartMethod()}.
         *
         * @param method the start method; {@code null} restores the default.
         * @return these options.
         */
        public Options startMethod(StartMethod method) {
            this.startMethod = method;
            return this;
        }

        StartMethod startMethod() {
            return startMethod != null ? startMethod : defaultStartMethod;
        }

        /** A spare started ahead of need must not show: so no redirect that creates or truncates a file. */
        boolean spareable() {
            return spareable(stdout) && spareable(stderr);
        }

        private static boolean spareable(ProcessBuilder.Redirect r) {
            return r == ProcessBuilder.Redirect.INHERIT || r == ProcessBuilder.Redirect.PIPE
                    || r == ProcessBuilder.Redirect.DISCARD;
        }

        List<String> allJvmOptions() {
            if (maxHeap == null) {
                return jvmOptions;
            }
            return Stream.concat(Stream.of("-Xmx" + maxHeap), jvmOptions.stream()).toList();
        }
    }
}
