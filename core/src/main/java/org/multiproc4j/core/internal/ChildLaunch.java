package org.multiproc4j.core.internal;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one child launch needs: its command line and the file it reports its outcome in; and, the
 * first time a classpath is used, the training JVM that writes its class-data archive.
 */
public final class ChildLaunch {
    /** The name under which a training JVM gets its no-op task (so that it runs the modules' warm-ups). */
    static final String TRAINING_NAME = "multiproc4j-cds-training";
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final long SELF_START_MILLIS =
            ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    private static final String SELF_START_TICKS = orDash(ParentWatchdog.startTicks(SELF_PID, true));
    private static volatile Path outcomeDir;
    private static final long TRAINING_TIMEOUT_S = 120;
    private static final int PROBE_OUTPUT_MAX = 16 * 1024;
    private static final Set<Process> TRAINERS = ConcurrentHashMap.newKeySet();
    private static boolean trainerHook;

    private final List<String> command;
    private final List<String> spareKey;
    private final boolean training;
    private final Path outcomeFile;
    private volatile boolean ended;

    private ChildLaunch(List<String> command, List<String> spareKey, boolean training, Path outcomeFile) {
        this.command = command;
        this.spareKey = spareKey;
        this.training = training;
        this.outcomeFile = outcomeFile;
    }

    /**
     * Prepares a launch.
     *
     * @param java        the java executable.
     * @param userOptions the user's JVM options.
     * @param taskLoader  the task's class loader.
     * @param extra       extra classpath entries.
     * @return the launch.
     */
    public static ChildLaunch prepare(Path java, List<String> userOptions, ClassLoader taskLoader, List<Path> extra) {
        Runtime.Version version = ChildCommand.versionOf(java);
        List<String> providerOptions = ChildCommand.providerOptions(version);
        // the parent's multiproc4j.* settings first, so that a provider's or the user's own value wins
        List<String> jvmOptions = new ArrayList<>(ChildCommand.inheritedProperties());
        jvmOptions.addAll(providerOptions);
        jvmOptions.addAll(userOptions);
        List<String> classpath = ChildCommand.classpath(taskLoader, extra);
        // class data does not depend on system properties: an inherited setting must not cost a new archive
        List<String> archiveOptions = new ArrayList<>(providerOptions);
        archiveOptions.addAll(userOptions);
        ClassDataSharing.Plan cds = ClassDataSharing.plan(java, version, classpath, archiveOptions);
        Path outcome = outcomeDir().resolve(SEQUENCE.incrementAndGet() + ".outcome");
        List<String> cmd = command(java, version, cds.options, jvmOptions, classpath);
        if (cds.dumpOption != null) {
            Path trainingOutcome = outcomeDir().resolve(SEQUENCE.incrementAndGet() + ".training");
            train(command(java, version, List.of(cds.dumpOption), jvmOptions, classpath), cds, trainingOutcome);
        }
        List<String> key = command(java, version, List.of(), jvmOptions, classpath);
        addStamps(key, classpath);
        return new ChildLaunch(Collections.unmodifiableList(cmd), Collections.unmodifiableList(key),
                cds.dumpOption != null || cds.training, outcome);
    }

    /**
     * Adds each classpath file's size and modification time to a spare's key: a spare opened the jars of its
     * day, and must not run a task after one of them was rebuilt.
     */
    private static void addStamps(List<String> key, List<String> classpath) {
        for (String entry : classpath) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(Path.of(entry),
                        java.nio.file.attribute.BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    key.add(a.size() + "@" + a.lastModifiedTime().toMillis());
                }
            } catch (IOException | RuntimeException e) {
                key.add("?"); // missing: the JVM skips it, and so may the spare
            }
        }
    }

    private static List<String> command(Path java, Runtime.Version version, List<String> cdsOptions,
                                        List<String> jvmOptions, List<String> classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // JVM log lines go to stdout by default, which is the user's console: keep warnings, but on stderr,
        // and silence class-data sharing, whose warnings about classes it skips are no business of the user's.
        cmd.add("-Xlog:disable");
        cmd.add(version.feature() >= 24 ? "-Xlog:all=warning,cds*=off,aot*=off:stderr" : "-Xlog:all=warning,cds*=off:stderr");
        cmd.addAll(cdsOptions);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add(ChildMain.class.getName());
        cmd.add(Long.toString(SELF_PID));
        cmd.add(Long.toString(SELF_START_MILLIS));
        cmd.add(SELF_START_TICKS);
        cmd.add(ChildContext.name());
        return cmd;
    }

    /**
     * Sends a child its assignment on its standard input, in the form {@link ChildMain} reads: the magic
     * number and the length of what follows (big-endian {@code int}s), then one {@link Wire} tuple of the
     * outcome file, the name, the daemon flag and the task's bytes.
     *
     * @param control     the child's standard input.
     * @param outcomeFile where the child reports its outcome.
     * @param name        the child's name.
     * @param daemon      whether the child is a daemon.
     * @param task        the task as {@link TaskWire} encodes it.
     * @throws IOException if the child is gone.
     */
    static void sendAssignment(OutputStream control, Path outcomeFile, String name, boolean daemon, byte[] task)
            throws IOException {
        Object[] assignment = {outcomeFile.toString(), name, daemon, task};
        int n = Wire.encodedLength(assignment);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(8 + n);
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(ChildMain.ASSIGNMENT_MAGIC);
        out.writeInt(n);
        byte[] message = new byte[n];
        Wire.write(assignment, message, 0);
        out.write(message);
        out.flush();
        bytes.writeTo(control);
        control.flush();
    }

    /**
     * Sends this launch's child its assignment.
     *
     * @param control the child's standard input.
     * @param name    the child's name.
     * @param daemon  whether the child is a daemon.
     * @param task    the task as {@link TaskWire} encodes it.
     * @throws IOException if the child is gone.
     */
    public void sendAssignment(OutputStream control, String name, boolean daemon, byte[] task) throws IOException {
        sendAssignment(control, outcomeFile, name, daemon, task);
    }

    /**
     * Starts a JVM that runs a no-op task through the child's whole path and writes the class-data archive
     * at exit. Its output is discarded (the JVM prints about the archive on stdout); it is not a
     * {@code JvmProcess}, and it is killed if this JVM exits first.
     */
    private static void train(List<String> command, ClassDataSharing.Plan cds, Path outcome) {
        Process trainer;
        try {
            trainer = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            cds.trainingEnded(false);
            return;
        }
        TRAINERS.add(trainer);
        installTrainerHook();
        try (OutputStream in = trainer.getOutputStream()) {
            sendAssignment(in, outcome, TRAINING_NAME, true, TaskWire.trainingTask());
        } catch (IOException e) {
            // the trainer died: its exit code says so
        }
        Thread waiter = new Thread(() -> {
            boolean ok = false;
            try {
                ok = trainer.waitFor(TRAINING_TIMEOUT_S, TimeUnit.SECONDS) && trainer.exitValue() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (trainer.isAlive()) {
                trainer.destroyForcibly();
            }
            TRAINERS.remove(trainer);
            cds.trainingEnded(ok);
            try {
                Files.deleteIfExists(outcome);
            } catch (IOException e) {
                // removed at exit with the directory
            }
        }, "mp4j-cds-training");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static void installTrainerHook() {
        synchronized (TRAINERS) {
            if (trainerHook) {
                return;
            }
            trainerHook = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : TRAINERS) {
                p.destroyForcibly();
            }
        }, "mp4j-cds-training-cleanup"));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static Path outcomeDir() {
        Path dir = outcomeDir;
        if (dir == null) {
            synchronized (ChildLaunch.class) {
                dir = outcomeDir;
                if (dir == null) {
                    try {
                        dir = Files.createTempDirectory("multiproc4j-" + ProcessHandle.current().pid() + "-");
                    } catch (IOException e) {
                        throw new org.multiproc4j.core.ProcessException(
                                "cannot create a temporary directory for child outcomes in "
                                        + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
                    }
                    Path created = dir;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created), "mp4j-outcome-cleanup"));
                    outcomeDir = dir;
                    Thread sweeper = new Thread(() -> sweepStale(created.getParent()), "mp4j-outcome-sweep");
                    sweeper.setDaemon(true);
                    sweeper.start();
                }
            }
        }
        return dir;
    }

    /**
     * Removes the outcome directories of JVMs that died without cleaning up ({@code kill -9}): their names
     * carry the pid, and a pid that is no longer running owns nothing.
     */
    static void sweepStale(Path tmp) {
        try (var dirs = Files.newDirectoryStream(tmp, "multiproc4j-*-*")) {
            for (Path d : dirs) {
                String[] parts = d.getFileName().toString().split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != SELF_PID && Files.isDirectory(d) && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    deleteTree(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // best effort at exit
                }
            });
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort at exit
        }
    }

    /**
     * Returns the command line.
     *
     * @return the command, java executable first.
     */
    public List<String> command() {
        return command;
    }

    /**
     * Returns what identifies the JVMs this launch could use as a spare: its command line without the
     * class-data options, which change once an archive is trained, and the size and time of every classpath
     * file.
     *
     * @return the key, java executable first.
     */
    public List<String> spareKey() {
        return spareKey;
    }

    /**
     * Tells whether a class-data archive for this classpath is being trained: a spare started now would
     * start without it and be stale as soon as it exists.
     *
     * @return {@code true} while training.
     */
    public boolean archiveInTraining() {
        return training;
    }

    /**
     * Returns where the child reports its outcome.
     *
     * @return the outcome file.
     */
    public Path outcomeFile() {
        return outcomeFile;
    }

    /**
     * Tells whether the child has booted into {@link ChildMain} and read its assignment: it then creates its
     * outcome file under a temporary name (see {@link ChildMain#pendingOutcome}), and renames it once its task
     * has ended. Valid until {@link #childExited()}.
     *
     * @return {@code true} once the child has booted.
     */
    public boolean bootMarked() {
        // the temporary name first: the child may rename it between the two looks, never the other way
        return Files.exists(ChildMain.pendingOutcome(outcomeFile)) || Files.exists(outcomeFile);
    }

    /**
     * Tells whether the child has exited and its files are gone ({@link #childExited()} or
     * {@link #abandon()} was called).
     *
     * @return {@code true} once ended.
     */
    public boolean ended() {
        return ended;
    }

    /**
     * Launches the child's command once more, with its output captured, to learn why a JVM that never booted
     * failed: the same java executable, options and classpath, but {@link ChildMain} told to return at once
     * ({@link ChildMain#PROBE}). A JVM option it does not know, too small a heap or a missing class fails the
     * same way again, deterministically.
     *
     * @param builder a process builder set up as the child's (environment, working directory); its command and
     *                redirects are replaced.
     * @param timeout how long the second launch may take before it is killed.
     * @return the second launch's exit status and output.
     */
    public Probe probe(ProcessBuilder builder, Duration timeout) {
        List<String> cmd = new ArrayList<>(command.subList(0, command.size() - ChildMain.ARGS));
        cmd.add(ChildMain.PROBE);
        Path output = outcomeFile.resolveSibling(outcomeFile.getFileName() + ".probe");
        builder.command(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        try {
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                return new Probe(-1, "cannot run " + cmd.get(0) + ": " + e.getMessage(), false);
            }
            p.getOutputStream().close();
            boolean ended = false;
            boolean interrupted = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended) {
                try {
                    ended = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (!ended) {
                        p.destroyForcibly();
                        p.waitFor();
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish: a waiter must not leave the probe behind
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new Probe(ended ? p.exitValue() : -1, readStart(output), !ended);
        } catch (IOException e) {
            return new Probe(-1, "cannot read what " + cmd.get(0) + " printed: " + e.getMessage(), false);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // removed at exit with the directory
            }
        }
    }

    /** The first {@value #PROBE_OUTPUT_MAX} bytes of a file, as text without trailing blank lines. */
    private static String readStart(Path file) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(PROBE_OUTPUT_MAX);
        }
        return new String(bytes, java.nio.charset.Charset.defaultCharset()).stripTrailing();
    }

    /**
     * What a second launch of a child that never booted said.
     *
     * @param exitCode its exit status, -1 if it could not be run or did not end in time.
     * @param output   what it printed on standard output and error.
     * @param timedOut whether it had to be killed.
     */
    public record Probe(int exitCode, String output, boolean timedOut) {
    }

    /** Called when the launch failed: releases what {@link #prepare} took. */
    public void abandon() {
        childExited();
    }

    /** Called once the child has exited and its outcome was read. */
    public void childExited() {
        ended = true;
        try {
            Files.deleteIfExists(outcomeFile);
            Files.deleteIfExists(ChildMain.pendingOutcome(outcomeFile));
        } catch (IOException e) {
            // removed at exit with the directory
        }
    }
}
