package org.multiproc4j.benchmarks.ipc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.JoinableSharedQueue;
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
 * {@code joinablequeue_roundtrip}: {@code put(i); join()} with one worker child doing {@code take(); taskDone()}
 * ({@link QueuePeers#joinableWorker}); and the batch form, 20 000 puts then one {@code join()} (items per
 * second). Idle policy: the default.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class JoinableQueueRoundTripBenchmark {
    static final int BATCH = 20_000;

    private JoinableSharedQueue<Integer> queue;
    private TaskFuture<Long> worker;
    private int i;

    /**
     * Creates the queue and starts the worker.
     *
     * @throws Exception if the worker does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        queue = JoinableSharedQueue.create();
        JoinableSharedQueue<Integer> q = queue;
        worker = JvmProcess.call(() -> QueuePeers.joinableWorker(q), new JvmProcess.Options().daemon(true).name("worker"));
        queue.put(0);
        if (!queue.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the worker did not start");
        }
    }

    /**
     * {@code put} then {@code join}.
     *
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void putJoin() throws InterruptedException {
        queue.put(i++ & 0xFFFF);
        queue.join();
    }

    /**
     * 20 000 puts, then one join.
     *
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void batchPutThenJoin() throws InterruptedException {
        for (int k = 0; k < BATCH; k++) {
            queue.put(k);
        }
        queue.join();
    }

    /**
     * Stops the worker and closes the queue.
     *
     * @throws Exception if the worker does not exit.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        queue.put(-1);
        worker.get(Duration.ofSeconds(30));
        queue.close();
    }
}
