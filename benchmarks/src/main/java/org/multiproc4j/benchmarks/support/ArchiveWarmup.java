package org.multiproc4j.benchmarks.support;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.TaskFuture;

/**
 * Warms up child launches before they are timed. core makes a class-data archive per classpath of jars: the
 * first launch finds none and starts a training JVM beside the child, whose exit writes the archive that
 * later children map. This class launches probe children (with the options the timed children use) until
 * one reports that it mapped an archive that is not the JDK's own, or the time runs out.
 */
public final class ArchiveWarmup {
    private static final SerializableCallable<String> PROBE = ChildTasks::mappedArchives;

    /**
     * What the warm-up found.
     *
     * @param inUse    whether the last probe child mapped an archive from outside the JDK (multiproc4j's).
     * @param archives the archives the last probe child mapped.
     * @param launches how many probe children were launched.
     * @param seconds  how long the warm-up took.
     * @param problem  why the archive is not in use when known (a directory on the classpath, say), or
     *                 {@code null}.
     */
    public record Result(boolean inUse, List<String> archives, int launches, double seconds, String problem) {
    }

    private ArchiveWarmup() {
    }

    /**
     * Launches probe children until one maps multiproc4j's archive.
     *
     * @param options the options the timed children are started with (their JVM options are part of the
     *                archive's key).
     * @param timeout how long to keep trying.
     * @return what was found.
     * @throws InterruptedException if interrupted while waiting for a probe child.
     */
    public static Result run(JvmProcess.Options options, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Path jdk = Paths.get(System.getProperty("java.home")).toAbsolutePath().normalize();
        List<String> archives = List.of();
        int launches = 0;
        String problem = directoryOnClasspath();
        while (true) {
            launches++;
            String reply;
            TaskFuture<String> probe = JvmProcess.call(PROBE, options);
            try {
                reply = probe.get(Duration.ofSeconds(60));
            } catch (ExecutionException e) {
                throw new IllegalStateException("the archive probe child failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the archive probe child did not answer within 60 s", e);
            } finally {
                probe.process().close();
            }
            if (reply.startsWith("error:")) {
                return new Result(false, List.of(), launches, seconds(start), reply);
            }
            archives = reply.isEmpty() ? List.of() : List.of(reply.split("\n"));
            for (String a : archives) {
                if (!Paths.get(a).toAbsolutePath().normalize().startsWith(jdk)) {
                    return new Result(true, archives, launches, seconds(start), null);
                }
            }
            if (problem != null || System.nanoTime() > deadline) {
                return new Result(false, archives, launches, seconds(start),
                        problem != null ? problem : "no archive after " + timeout.toSeconds() + " s of warm-up");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static String directoryOnClasspath() {
        List<String> dirs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty() && !e.endsWith(".jar")) {
                dirs.add(e);
            }
        }
        return dirs.isEmpty() ? null : "the classpath has directories (" + String.join(", ", dirs)
                + "): the JVM archives classes from jars only";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
