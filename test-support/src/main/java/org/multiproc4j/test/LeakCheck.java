package org.multiproc4j.test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that fails any test which leaves a new child process running or a new file in
 * {@code /dev/shm} (after Chronicle Queue's {@code QueueTestCommon}). Leaked child processes are
 * also killed, so one leaky test does not spoil the next; leaked files are reported only, because on a
 * shared machine a new file may belong to another test run. A new segment named after a creator
 * ({@code mp4j-<pid>-...}) that is alive and outside this JVM's process tree is another run's, not a leak;
 * so is any other new file that a live process outside this JVM's tree has mapped (another {@code mpirun}
 * job's Open MPI {@code vader_segment.*}, for example).
 *
 * <pre>{@code
 * // compile-only: a test class, which JUnit runs
 * import org.junit.jupiter.api.Test;
 * import org.junit.jupiter.api.extension.ExtendWith;
 *
 * @ExtendWith(LeakCheck.class)
 * class JvmProcessIT {
 *     @Test
 *     void shouldStopTheChild() throws Exception {
 *         JvmProcess child = new JvmProcess(() -> Thread.sleep(60_000)).start();
 *         child.close();                 // ends it; without this line, LeakCheck fails the test
 *     }
 * }
 * }</pre>
 *
 * <p>multiproc4j's idle warm spares (JVMs started ahead of the next {@code start()}) are not leaks, and a
 * spare taken during a test counts as that test's child.
 *
 * <p>A child that is still exiting when the test ends is given {@link #GRACE} to go, and so is a segment
 * whose creator died (the survivors sweep it).
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    /** How long a test's children may take to finish exiting after the test. */
    public static final Duration GRACE = Timeouts.scaled(Duration.ofSeconds(3));
    /** How long a killed leaked child may take to be gone. */
    private static final Duration KILL_WAIT = Timeouts.scaled(Duration.ofSeconds(5));
    private static final Path SHM = Paths.get("/dev/shm");
    private static final Path PROC = Paths.get("/proc");
    private static final String IDLE_SPARES_PROP = "multiproc4j.internal.idleSparePids";
    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("mp4j-(?:[a-z]+-)*(\\d+)(?:-|$)");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    /** Creates the extension; JUnit does, for {@code @ExtendWith(LeakCheck.class)}. */
    public LeakCheck() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("pids", descendants());
        context.getStore(NS).put("shm", shmEntries());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        Set<Long> before = (Set<Long>) context.getStore(NS).get("pids");
        @SuppressWarnings("unchecked")
        Set<String> shmBefore = (Set<String>) context.getStore(NS).get("shm");
        List<String> problems = new ArrayList<>();

        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> leaked = newDescendants(before);
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            leaked = newDescendants(before);
        }
        for (ProcessHandle p : leaked) {
            problems.add("child process left running: pid " + p.pid() + " "
                    + p.info().commandLine().orElse("?"));
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle p : leaked) {
            // SIGKILL is delivered at once, but the process is gone only once it is reaped: wait for that (bounded)
            try {
                p.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                problems.add("child process " + p.pid() + " still alive " + KILL_WAIT.toSeconds()
                        + " s after it was killed");
            }
        }

        Set<String> shmAfter = newShmEntries(shmBefore);
        while (!shmAfter.isEmpty() && System.nanoTime() < deadline) {
            // a dead creator's segments are swept by the survivors within a second or so: give them the time
            Thread.sleep(50);
            shmAfter = newShmEntries(shmBefore);
        }
        for (String f : shmAfter) {
            // reported, not removed: on a shared machine it may belong to another test run
            problems.add("file left in /dev/shm: " + f);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Tells whether a segment named {@code mp4j-<pid>-...} (multiproc4j names its segments after their
     * creator: {@code mp4j-<pid>-...}, or {@code mp4j-<word>-<pid>-...}) belongs to a running process outside this JVM's tree: another test run on the same machine,
     * not a leak of this test.
     */
    static boolean ownedByAnotherLiveProcessTree(String name) {
        java.util.regex.Matcher m = OWNER.matcher(name);
        if (!m.lookingAt()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return false; // a dead creator's segment: ours to report (a killed child's leftover)
        }
        return !inThisProcessTree(owner.get());
    }

    /**
     * Tells whether a live process outside this JVM's tree has {@code /dev/shm/<name>} mapped: a segment of
     * another run on the same machine (Open MPI names its shared-memory segments {@code vader_segment.*},
     * after no pid of ours), not a leak of this test. A segment nobody maps, or one mapped only by this
     * JVM's own tree, is not excused.
     */
    static boolean mappedByAnotherLiveProcessTree(String name) {
        String path = SHM.resolve(name).toString();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self && maps(proc.resolve("maps"), path)) {
                    Optional<ProcessHandle> p = ProcessHandle.of(pid);
                    if (p.isPresent() && p.get().isAlive() && !inThisProcessTree(p.get())) {
                        return true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // no /proc to read: report the file, as before
        }
        return false;
    }

    private static boolean maps(Path maps, String path) {
        try (Stream<String> lines = Files.lines(maps)) {
            // a mapping line ends with the file's path, or with " (deleted)" after it once unlinked
            return lines.anyMatch(l -> l.endsWith(path) || l.endsWith(path + " (deleted)"));
        } catch (IOException | RuntimeException e) {
            return false; // the process ended, or its maps are not ours to read
        }
    }

    private static boolean inThisProcessTree(ProcessHandle process) {
        long self = ProcessHandle.current().pid();
        for (Optional<ProcessHandle> p = process.parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == self) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> newShmEntries(Set<String> before) {
        Set<String> now = shmEntries();
        now.removeAll(before);
        now.removeIf(name -> ownedByAnotherLiveProcessTree(name) || mappedByAnotherLiveProcessTree(name));
        return now;
    }

    private static Set<Long> descendants() {
        Set<Long> spares = idleSpares();
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> !spares.contains(pid))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static List<ProcessHandle> newDescendants(Set<Long> before) {
        Set<Long> spares = idleSpares();
        return ProcessHandle.current().descendants()
                .filter(p -> !before.contains(p.pid()) && !spares.contains(p.pid()) && p.isAlive())
                .collect(Collectors.toList());
    }

    /**
     * The idle warm spares of this JVM, which multiproc4j's core publishes in a system property (read here
     * by name: this module depends on none of ours). A spare waits for a future start, so it is no leak; once
     * a test's start takes it, it is that test's child like any other.
     */
    static Set<Long> idleSpares() {
        Set<Long> pids = new HashSet<>();
        String list = System.getProperty(IDLE_SPARES_PROP, "");
        for (String pid : list.split(",")) {
            if (!pid.isEmpty()) {
                pids.add(Long.parseLong(pid));
            }
        }
        return pids;
    }

    private static Set<String> shmEntries() {
        if (!Files.isDirectory(SHM)) {
            return new HashSet<>();
        }
        try (Stream<Path> files = Files.list(SHM)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            return new HashSet<>();
        }
    }
}
