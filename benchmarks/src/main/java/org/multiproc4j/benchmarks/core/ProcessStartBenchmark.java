package org.multiproc4j.benchmarks.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.benchmarks.support.ArchiveWarmup;
import org.multiproc4j.benchmarks.support.ChildTasks;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableRunnable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Child JVM start-up with {@link JvmProcess}, one launch per measured operation ({@link Mode#SingleShotTime}):
 * <ul>
 *   <li>{@code startToFirstLine}: {@code start()} until the parent reads the first line the task prints (the
 *       child is joined outside the measurement);</li>
 *   <li>{@code startToJoinNoop}: {@code start()} until {@code join()} returns, for a no-op task.</li>
 * </ul>
 * The children run from the JMH fork's classpath, {@code benchmarks.jar}, so core's class-data archive applies;
 * the trial's set-up launches children until they map it (and prints whether they do). Compare with
 * {@code baseline.BareJvmLaunchBenchmark}. Idle strategy: none (the parent blocks in a pipe read or waitpid).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ProcessStartBenchmark {
    private static final SerializableRunnable FIRST_LINE = ChildTasks::printStamp;
    private static final SerializableRunnable NOOP = ChildTasks::noop;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private JvmProcess started;

    /**
     * Launches children until they map core's class-data archive, and says whether they do.
     *
     * @throws InterruptedException if interrupted.
     */
    @Setup(Level.Trial)
    public void warmUp() throws InterruptedException {
        ArchiveWarmup.Result r = ArchiveWarmup.run(new JvmProcess.Options(), Duration.ofSeconds(90));
        System.out.println("# class-data archive in use by children: " + r.inUse() + " " + r.archives()
                + (r.problem() != null ? " (" + r.problem() + ")" : "") + " after " + r.launches() + " launches");
    }

    /**
     * Starts a child whose task prints a line, and reads that line.
     *
     * @return the line.
     * @throws Exception if the child cannot be started or prints nothing.
     */
    @Benchmark
    public String startToFirstLine() throws Exception {
        JvmProcess p = new JvmProcess(FIRST_LINE, new JvmProcess.Options().stdout(ProcessBuilder.Redirect.PIPE));
        started = p;
        p.start();
        String line = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.US_ASCII)).readLine();
        if (line == null) {
            throw new IllegalStateException(p + " printed nothing");
        }
        return line;
    }

    /**
     * Starts a child with a no-op task and joins it.
     *
     * @return the exit code (0).
     * @throws Exception if the child cannot be started.
     */
    @Benchmark
    public int startToJoinNoop() throws Exception {
        JvmProcess p = new JvmProcess(NOOP);
        started = p;
        p.start();
        p.join();
        return p.exitCode();
    }

    /**
     * Joins and closes the child of the last operation, outside the measurement.
     *
     * @throws InterruptedException if interrupted.
     */
    @TearDown(Level.Invocation)
    public void reap() throws InterruptedException {
        JvmProcess p = started;
        started = null;
        if (p != null) {
            try {
                if (!p.join(TIMEOUT)) {
                    throw new IllegalStateException(p + " did not end within " + TIMEOUT.toSeconds() + " s");
                }
                if (p.exitCode() != 0) {
                    throw new IllegalStateException(p + " ended with exit code " + p.exitCode());
                }
            } finally {
                p.close();
            }
        }
    }
}
