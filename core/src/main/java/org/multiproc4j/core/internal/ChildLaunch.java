package org.multiproc4j.core.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one child launch needs: its command line, the file it reports its outcome in, and the
 * class-data sharing plan to finish when it exits.
 */
public final class ChildLaunch {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final long SELF_START_MILLIS =
            ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    private static final String SELF_START_TICKS = orDash(ParentWatchdog.startTicks(SELF_PID, true));
    private static volatile Path outcomeDir;

    private final List<String> command;
    private final Path outcomeFile;
    private final ClassDataSharing.Plan cds;

    private ChildLaunch(List<String> command, Path outcomeFile, ClassDataSharing.Plan cds) {
        this.command = command;
        this.outcomeFile = outcomeFile;
        this.cds = cds;
    }

    /**
     * Prepares a launch.
     *
     * @param java        the java executable.
     * @param userOptions the user's JVM options.
     * @param taskLoader  the task's class loader.
     * @param extra       extra classpath entries.
     * @param name        the child's name.
     * @param daemon      whether the child is a daemon.
     * @return the launch.
     */
    public static ChildLaunch prepare(Path java, List<String> userOptions, ClassLoader taskLoader, List<Path> extra,
                                      String name, boolean daemon) {
        Runtime.Version version = ChildCommand.versionOf(java);
        List<String> jvmOptions = new ArrayList<>(ChildCommand.providerOptions(version));
        jvmOptions.addAll(userOptions);
        List<String> classpath = ChildCommand.classpath(taskLoader, extra);
        ClassDataSharing.Plan cds = ClassDataSharing.plan(java, version, classpath, jvmOptions);

        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // JVM log lines go to stdout by default, which is the user's console: keep warnings, but on stderr,
        // and silence class-data sharing, whose warnings about classes it skips are no business of the user's.
        cmd.add("-Xlog:disable");
        cmd.add(version.feature() >= 24 ? "-Xlog:all=warning,cds*=off,aot*=off:stderr" : "-Xlog:all=warning,cds*=off:stderr");
        cmd.addAll(cds.options);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add(ChildMain.class.getName());
        Path outcome = outcomeDir().resolve(SEQUENCE.incrementAndGet() + ".outcome");
        cmd.add(outcome.toString());
        cmd.add(Long.toString(SELF_PID));
        cmd.add(Long.toString(SELF_START_MILLIS));
        cmd.add(SELF_START_TICKS);
        cmd.add(ChildContext.name());
        cmd.add(name);
        cmd.add(Boolean.toString(daemon));
        return new ChildLaunch(Collections.unmodifiableList(cmd), outcome, cds);
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
                }
            }
        }
        return dir;
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
     * Returns where the child reports its outcome.
     *
     * @return the outcome file.
     */
    public Path outcomeFile() {
        return outcomeFile;
    }

    /** Called when the launch failed: releases what {@link #prepare} took. */
    public void abandon() {
        cds.childExited();
    }

    /** Called once the child has exited and its outcome was read. */
    public void childExited() {
        cds.childExited();
        try {
            Files.deleteIfExists(outcomeFile);
            Files.deleteIfExists(outcomeFile.resolveSibling(outcomeFile.getFileName() + ".tmp"));
        } catch (IOException e) {
            // removed at exit with the directory
        }
    }
}
