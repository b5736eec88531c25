package org.multiproc4j.benchmarks.pool;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pool of 2 worker JVMs, started once per trial: {@link #mapDefaultChunks()} maps {@code cube} over
 * {@value #N} inputs with Python's default chunking, {@link #mapChunkSize1()} over {@value #N1} inputs one per
 * task, and {@link #applyAsyncRoundTrip()} is one {@code applyAsync(...).get()}. Scores are nanoseconds per task
 * (tasks per second = 10<sup>9</sup> / score); Python's pool does 5.1&ndash;5.3 M tiny tasks/s with default
 * chunking, 41&ndash;44 k/s with chunk size 1, and an {@code apply_async().get()} in 187&ndash;229 µs here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MapThroughputBenchmark {
    static final int N = 100_000;
    static final int N1 = 2_000;

    private ProcessPool pool;
    private List<Integer> inputs;
    private List<Integer> inputs1;
    private int next;

    static int cube(int x) {
        return x * x * x;
    }

    /**
     * Starts the pool and warms its workers.
     *
     * @throws Exception if the pool cannot start.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = new ProcessPool(2);
        inputs = IntStream.range(0, N).boxed().collect(Collectors.toList());
        inputs1 = IntStream.range(0, N1).boxed().collect(Collectors.toList());
        pool.map(MapThroughputBenchmark::cube, inputs);
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /**
     * Maps over {@value #N} inputs, default chunking.
     *
     * @return the results.
     * @throws Exception if a task fails.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public List<Integer> mapDefaultChunks() throws Exception {
        return pool.map(MapThroughputBenchmark::cube, inputs);
    }

    /**
     * Maps over {@value #N1} inputs, one per task.
     *
     * @return the results.
     * @throws Exception if a task fails.
     */
    @Benchmark
    @OperationsPerInvocation(N1)
    public List<Integer> mapChunkSize1() throws Exception {
        return pool.map(MapThroughputBenchmark::cube, inputs1, 1);
    }

    /**
     * One applyAsync round trip.
     *
     * @return the result.
     * @throws Exception if the task fails.
     */
    @Benchmark
    public Integer applyAsyncRoundTrip() throws Exception {
        return pool.<Integer, Integer>applyAsync(MapThroughputBenchmark::cube, next++ & 1023).get();
    }
}
