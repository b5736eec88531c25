package org.multiproc4j.benchmarks.pool;

import java.util.concurrent.TimeUnit;

import org.multiproc4j.pool.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The side-by-side workload {@code pool_start}: create a pool of 2 worker JVMs, wait for the first
 * {@code apply} result, then {@code close()} (which waits for the workers to exit). With the default start
 * method, workers are the warm spares {@code JvmProcess} keeps booted (see {@code StartMethod.WARM_SPARE});
 * no worker outlives its pool. Single-shot: each operation is one pool's whole life, in milliseconds. Python's
 * spawn pool takes 60&ndash;66 ms from create to first result here.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PoolStartBenchmark {

    /**
     * Creates a pool of 2, waits for a first result and closes the pool.
     *
     * @return the result.
     * @throws Exception if the task fails.
     */
    @Benchmark
    public Integer createFirstResultClose() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            return pool.apply(x -> x + 1, 41);
        }
    }
}
