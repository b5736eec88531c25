package org.multiproc4j.benchmarks.ipc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.SharedQueue;
import org.multiproc4j.ipc.SimpleSharedQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code queue_throughput_1p1c}, {@code _4p1c}, {@code _2p2c} and {@code simplequeue_throughput_1p1c}: producer
 * child JVMs put 100 000 integers in all on one queue while consumer child JVMs take them (as
 * {@code mp_bench.py}'s {@code _queue_trial}). One invocation is one round: the producers are told to go, the
 * parent waits for them, puts one end-of-round marker per consumer and waits for the consumers' counts. The
 * score is items per second. Process start-up is outside the measurement (children start in the set-up).
 *
 * <p>Idle policy: the default (spin 2 µs, yield 100 µs, park up to 1 ms). 4p1c and 2p2c run 5 and 4 busy
 * processes on the machine's cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class QueueThroughputBenchmark {
    static final int ITEMS = 100_000;

    /** The workload, named as in the side-by-side runner. */
    @Param({"queue_throughput_1p1c", "queue_throughput_4p1c", "queue_throughput_2p2c", "simplequeue_throughput_1p1c"})
    public String workload;

    private AutoCloseable queue;
    private Object anyQueue;
    private final List<Pipe> pipes = new ArrayList<>();
    private final List<Connection> producers = new ArrayList<>();
    private final List<Connection> consumers = new ArrayList<>();
    private final List<TaskFuture<Long>> children = new ArrayList<>();
    private int[] shares;

    /**
     * Creates the queue and starts the children.
     *
     * @throws Exception if a child cannot start.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        int p = workload.contains("4p") ? 4 : workload.contains("2p") ? 2 : 1;
        int c = workload.contains("2c") ? 2 : 1;
        if (workload.startsWith("simple")) {
            SimpleSharedQueue<Integer> q = SimpleSharedQueue.create(new ChannelOptions());
            queue = q;
            anyQueue = q;
        } else {
            SharedQueue<Integer> q = SharedQueue.create(new ChannelOptions());
            queue = q;
            anyQueue = q;
        }
        Object q = anyQueue;
        shares = new int[p];
        for (int i = 0; i < p; i++) {
            shares[i] = ITEMS / p + (i < ITEMS % p ? 1 : 0);
            Pipe pipe = Pipe.open();
            pipes.add(pipe);
            Connection theirs = pipe.second();
            children.add(JvmProcess.call(() -> QueuePeers.producer(q, theirs),
                    new JvmProcess.Options().daemon(true).name("producer-" + i)));
            theirs.close();
            producers.add(pipe.first());
        }
        for (int i = 0; i < c; i++) {
            Pipe pipe = Pipe.open();
            pipes.add(pipe);
            Connection theirs = pipe.second();
            children.add(JvmProcess.call(() -> QueuePeers.consumer(q, theirs),
                    new JvmProcess.Options().daemon(true).name("consumer-" + i)));
            theirs.close();
            consumers.add(pipe.first());
        }
    }

    /**
     * One round of 100 000 items.
     *
     * @return items taken.
     * @throws Exception if a child fails or an item is missing.
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int round() throws Exception {
        for (Connection c : consumers) {
            c.send(0);
        }
        for (int i = 0; i < producers.size(); i++) {
            producers.get(i).send(shares[i]);
        }
        for (Connection p : producers) {
            p.recv();
        }
        for (int i = 0; i < consumers.size(); i++) {
            QueuePeers.put(anyQueue, QueuePeers.END_OF_ROUND);
        }
        int taken = 0;
        for (Connection c : consumers) {
            taken += (Integer) c.recv();
        }
        if (taken != ITEMS) {
            throw new IllegalStateException("consumers took " + taken + " of " + ITEMS + " items");
        }
        return taken;
    }

    /**
     * Closes the control pipes (the children see end of file and exit) and the queue.
     *
     * @throws Exception if a child does not exit.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        for (Pipe p : pipes) {
            p.close();
        }
        for (TaskFuture<Long> f : children) {
            f.get(Duration.ofSeconds(30));
        }
        queue.close();
    }
}
