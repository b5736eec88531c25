package org.multiproc4j.benchmarks.ipc.durable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.durable.DurableQueue;
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
 * Throughput of a {@link DurableQueue}: {@code transfer1p1c} moves a batch of {@code Long}s from a producer in a
 * child JVM ({@link DurableQueuePeers#produce}) to this JVM's {@code take} (the pipeline's rate: the slower of
 * append and take, with both running at once); {@code appendOnly} is this JVM appending alone (each append is
 * durable when it returns). Messages are {@code Long}s, encoded by the default JDK codec (about 80 bytes).
 *
 * <p>Idle strategy: the default backoff (up to 1 ms parks) on the waiting side.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true"})
@State(Scope.Benchmark)
public class DurableQueueThroughputBenchmark {
    /** Messages per invocation of {@code transfer1p1c}. */
    public static final int BATCH = 10_000;

    private Path dir;
    private DurableQueue<Long> control;
    private DurableQueue<Long> data;
    private DurableQueue<Long> local;
    private JvmProcess producer;
    private long next;

    /**
     * Opens the queues and starts the producer.
     *
     * @throws Exception if the producer does not start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("mp4j-bench-dq");
        control = DurableQueue.open(dir.resolve("control"));
        data = DurableQueue.open(dir.resolve("data"));
        local = DurableQueue.open(dir.resolve("local"));
        DurableQueue<Long> c = control;
        DurableQueue<Long> d = data;
        producer = JvmProcess.call(() -> {
            DurableQueuePeers.produce(c, d);
            return null;
        }, new JvmProcess.Options().daemon(true).name("durable-producer")).process();
        control.append(1L);
        if (data.poll(Duration.ofSeconds(60)) == null) {
            throw new IllegalStateException("the producer JVM did not start within 60 s: " + producer);
        }
    }

    /**
     * Moves {@link #BATCH} messages from the child's appends to this JVM's takes.
     *
     * @return the last message.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long transfer1p1c() throws InterruptedException {
        control.append((long) BATCH);
        long last = 0;
        for (int i = 0; i < BATCH; i++) {
            last = data.take();
        }
        return last;
    }

    /**
     * Appends one message, in this JVM.
     *
     * @return its index.
     */
    @Benchmark
    public long appendOnly() {
        return local.append(next++);
    }

    /**
     * Stops the producer and deletes the queues.
     *
     * @throws Exception on failure.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            control.append(-1L);
            if (!producer.join(Duration.ofSeconds(10))) {
                System.err.println("the producer JVM did not stop within 10 s");
            }
        } finally {
            producer.close();
            control.close();
            data.close();
            local.close();
            DurableQueuePeers.delete(dir);
        }
    }
}
