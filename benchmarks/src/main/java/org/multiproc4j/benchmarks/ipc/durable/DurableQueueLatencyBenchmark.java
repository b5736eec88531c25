package org.multiproc4j.benchmarks.ipc.durable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.benchmarks.ipc.SocketEcho;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.durable.DurableQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append → take latency of a {@link DurableQueue} across two JVMs: this JVM appends to one queue, a child JVM
 * ({@link DurableQueuePeers#echo}) takes it and appends it to a second queue, and this JVM takes it back. The
 * score is a round trip (two appends, two takes, two encodings and decodings); one way is half of it.
 * {@code SampleTime} gives the p50/p99.
 *
 * <p>Idle strategy: the queue's default backoff on both sides (100 spins, 20 yields, then parks doubling from
 * 1 µs up to {@code maxPauseMicros}).
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true"})
@State(Scope.Benchmark)
public class DurableQueueLatencyBenchmark {
    /** The longest pause of a waiting consumer, in microseconds (the default is 1000). */
    @Param({"1000"})
    public int maxPauseMicros;

    /** The codec of messages: {@code jdk} (the default) or {@code fast}. */
    @Param({"jdk", "fast"})
    public String codec;

    private Path dir;
    private DurableQueue<Object> ping;
    private DurableQueue<Object> pong;
    private JvmProcess echo;
    private final Long message = 123456789L;

    /**
     * Opens the queues and starts the echo.
     *
     * @throws Exception if the echo does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("mp4j-bench-dq");
        DurableQueue.Options options = new DurableQueue.Options().maxPause(Duration.ofNanos(maxPauseMicros * 1000L))
                .codec(SocketEcho.codec(codec));
        ping = DurableQueue.open(dir.resolve("ping"), options);
        pong = DurableQueue.open(dir.resolve("pong"), options);
        DurableQueue<Object> in = ping;
        DurableQueue<Object> out = pong;
        echo = JvmProcess.call(() -> {
            DurableQueuePeers.echo(in, out);
            return null;
        }, new JvmProcess.Options().daemon(true).name("durable-echo")).process();
        ping.append(message);
        if (pong.poll(Duration.ofSeconds(60)) == null) {
            throw new IllegalStateException("the echo JVM did not answer within 60 s: " + echo);
        }
    }

    /**
     * One round trip.
     *
     * @return the echo.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    public Object roundTrip() throws InterruptedException {
        ping.append(message);
        return pong.take();
    }

    /**
     * Stops the echo and deletes the queues.
     *
     * @throws Exception on failure.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            ping.append(DurableQueuePeers.STOP);
            if (!echo.join(Duration.ofSeconds(10))) {
                System.err.println("the echo JVM did not stop within 10 s");
            }
        } finally {
            echo.close();
            ping.close();
            pong.close();
            DurableQueuePeers.delete(dir);
        }
    }
}
