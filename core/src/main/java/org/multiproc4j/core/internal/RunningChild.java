package org.multiproc4j.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.LaunchException;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;

/**
 * The child JVM of one started {@link JvmProcess}: how it was launched (a fresh JVM, or a warm spare handed
 * its task), the thread that sees it end and collects its outcome, and the signals this JVM sent it.
 * {@code JvmProcess} is the API over it; this class is what happens underneath.
 *
 * <p>A child is made in two steps, so that its {@code JvmProcess} can record it before anyone else can see
 * it: {@link #launch} starts the JVM and hands it its task; {@link #watch()} lists it in
 * {@link ChildRegistry}, starts the next warm spare and starts the waiter thread. The waiter is a daemon
 * thread exactly when the child is a daemon, so that this JVM, at the end of its {@code main}, waits for its
 * non-daemon children (Python's exit semantics); the daemon ones are ended by {@link ChildRegistry}'s shutdown
 * hook.
 *
 * <p>The exit state ({@link #exitCode()}, {@link #outcome()}, {@link #launchFailure()}) is written by the
 * waiter before it completes the process's exit future, and may be read only once that future is done.
 */
public final class RunningChild {
    /** How long the second launch that learns why a child could not boot may take. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final JvmProcess owner;
    private final Object task;
    private final JvmProcess.Options options;
    private final List<String> jvmOptions;
    private final CompletableFuture<JvmProcess> exited;
    private final ChildLaunch launch;
    private final Spares.Key spareKey;
    private final ProcessBuilder builder;
    private Process process;
    private OutputStream control;
    /** Set once this JVM has sent the child a signal (terminate, kill, close, shutdown). */
    private volatile boolean signalled;
    // written by the waiter thread before it completes 'exited', read after 'exited' is seen done
    private int exitCode = -1;
    private Outcome outcome;
    private LaunchException launchFailure;

    private RunningChild(JvmProcess owner, Object task, JvmProcess.Options options, List<String> jvmOptions,
                         CompletableFuture<JvmProcess> exited, ChildLaunch launch, Spares.Key spareKey) {
        this.owner = owner;
        this.task = task;
        this.options = options;
        this.jvmOptions = jvmOptions;
        this.exited = exited;
        this.launch = launch;
        this.spareKey = spareKey;
        this.builder = processBuilder(launch, options);
    }

    /**
     * Launches the child JVM of {@code owner} (or takes the warm spare of its configuration) and sends it the
     * task. Nothing is left behind if this throws.
     *
     * @param owner   the process being started; its name names the child.
     * @param task    the task, a serializable runnable or callable.
     * @param options the process's options (its own copy).
     * @param warm    whether the start method is {@link org.multiproc4j.core.StartMethod#WARM_SPARE}.
     * @param exited  the future to complete with {@code owner} once the child's exit is collected.
     * @return the running child, not yet watched: call {@link #watch()} next.
     * @throws SerializationException if the task cannot be serialized; no JVM is started.
     * @throws ProcessException       if the JVM cannot be launched.
     */
    public static RunningChild launch(JvmProcess owner, Object task, JvmProcess.Options options, boolean warm,
                                      CompletableFuture<JvmProcess> exited) {
        StartTrace.mark("parent: start()");
        List<Shareable> shared = new ArrayList<>();
        byte[] bytes;
        RunningChild child;
        try {
            bytes = TaskWire.encodeTask(task, shared);
            List<String> jvmOptions = jvmOptions(options);
            ChildLaunch launch = ChildLaunch.prepare(options.javaExecutable(), jvmOptions,
                    task.getClass().getClassLoader(), options.extraClasspath());
            ChildRegistry.installShutdownHook();
            Spares.Key key = warm && spareable(options) ? new Spares.Key(launch.spareKey(), options.environment(),
                    options.workingDirectory().orElse(null), options.stdout(), options.stderr()) : null;
            child = new RunningChild(owner, task, options, jvmOptions, exited, launch, key);
            child.process = key != null ? Spares.take(key, launch.command()) : null;
        } catch (RuntimeException | Error e) {
            handOver(shared, null);
            throw e;
        }
        child.start(bytes, shared);
        return child;
    }

    private void start(byte[] bytes, List<Shareable> shared) {
        if (StartTrace.on()) {
            StartTrace.mark(process != null ? "parent: took spare " + process.pid() : "parent: no spare, launches");
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
                throw new ProcessException("cannot launch a child JVM for " + owner.name() + " with "
                        + launch.command().get(0) + ": " + e.getMessage(), e);
            }
            handOver(shared, process.toHandle());
            assign(bytes); // if the child died before reading its task, its exit code tells why
        }
    }

    /**
     * Lists the child among this JVM's running children, starts the next warm spare of its configuration, and
     * starts the thread that collects its exit.
     */
    public void watch() {
        ChildRegistry.add(this);
        if (spareKey != null && !launch.archiveInTraining()) {
            Spares.replenish(spareKey, launch.command(), builder, launch, role(task));
        }
        Thread waiter = new Thread(this::collectExit, "mp4j-waiter-" + owner.name());
        waiter.setDaemon(options.daemon());
        waiter.start();
    }

    /**
     * The role a spare of this configuration is told to rehearse: the task's class, unless it is a lambda's (a
     * hidden class, whose name means nothing in another JVM).
     */
    static String role(Object task) {
        Class<?> c = task.getClass();
        return c.isHidden() || c.isSynthetic() || c.isAnonymousClass() ? null : c.getName();
    }

    /** The JVM options of the child's command line: the heap size first, then the user's. */
    private static List<String> jvmOptions(JvmProcess.Options options) {
        List<String> user = options.jvmOptions();
        return options.maxHeap().map(size -> Stream.concat(Stream.of("-Xmx" + size), user.stream()).toList())
                .orElse(user);
    }

    /** A spare started ahead of need must not show: so no redirect that creates or truncates a file. */
    private static boolean spareable(JvmProcess.Options options) {
        return spareable(options.stdout()) && spareable(options.stderr());
    }

    private static boolean spareable(ProcessBuilder.Redirect r) {
        return r == ProcessBuilder.Redirect.INHERIT || r == ProcessBuilder.Redirect.PIPE
                || r == ProcessBuilder.Redirect.DISCARD;
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
            launch.sendAssignment(control, owner.name(), options.daemon(), bytes);
            if (StartTrace.on()) {
                StartTrace.mark("parent: assignment sent to " + process.pid());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ProcessBuilder processBuilder(ChildLaunch launch, JvmProcess.Options options) {
        ProcessBuilder pb = new ProcessBuilder(launch.command());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(options.stdout());
        pb.redirectError(options.stderr());
        options.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
        Map<String, String> changes = options.environment();
        if (!changes.isEmpty()) {
            Map<String, String> env = pb.environment();
            for (Map.Entry<String, String> e : changes.entrySet()) {
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
     * from one whose task ended its JVM, and only then publishes all of it at once by completing the exit
     * future, which every observer ({@code isAlive}, {@code exitCode}, {@code join}) goes by.
     */
    private void collectExit() {
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
                    "the result of " + owner.name() + " cannot be read in the parent: " + e, e)));
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
        exitCode = code;
        outcome = read;
        launchFailure = failed;
        ChildRegistry.remove(this);
        exited.complete(owner);
    }

    /** SIGHUP, SIGINT, SIGKILL, SIGTERM: someone ended the child on purpose, it did not fail to boot. */
    private static boolean endedByRequest(int code) {
        return code == 128 + 1 || code == 128 + 2 || code == 128 + 9 || code == 128 + 15;
    }

    /** The child's JVM ended before it booted: launch it once more, output captured, to learn why. */
    private LaunchException diagnoseLaunchFailure(int code) {
        ChildLaunch.Probe probe = launch.probe(processBuilder(launch, options), PROBE_TIMEOUT);
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
        return new LaunchException(owner.name() + " could not boot its JVM (exit code " + code + ") with "
                + launch.command().get(0) + " and JVM options " + jvmOptions + why, text, code);
    }

    /**
     * Returns the {@code JvmProcess} this child belongs to.
     *
     * @return the owner.
     */
    public JvmProcess owner() {
        return owner;
    }

    /**
     * Returns the child's operating-system process.
     *
     * @return the process.
     */
    public Process process() {
        return process;
    }

    /** Sends the child {@code SIGTERM}; does nothing once it has exited. */
    public void terminate() {
        signalled = true;
        process.destroy();
    }

    /** Sends the child {@code SIGKILL}; does nothing once it has exited. */
    public void kill() {
        signalled = true;
        process.destroyForcibly();
    }

    /**
     * Returns the child's exit status; valid once the exit future is done.
     *
     * @return the exit status.
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Returns what the child reported; valid once the exit future is done.
     *
     * @return the outcome, or {@code null} if the child reported none.
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Returns why the child's JVM could not boot; valid once the exit future is done.
     *
     * @return the launch failure, or {@code null} if the JVM booted (or was ended on purpose).
     */
    public LaunchException launchFailure() {
        return launchFailure;
    }
}
