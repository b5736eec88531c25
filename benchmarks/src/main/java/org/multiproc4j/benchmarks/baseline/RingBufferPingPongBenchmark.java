package org.multiproc4j.benchmarks.baseline;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.benchmarks.support.ShmFile;
import org.multiproc4j.core.JvmProcess;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw reference for every cross-process channel: two JVMs ping-ponging a 16-byte message through two
 * Agrona {@link OneToOneRingBuffer}s in one memory-mapped {@code /dev/shm} file, both sides busy-spinning
 * ({@link Thread#onSpinWait()}). The score is a round trip; one way is half of it. The peer JVM
 * ({@link RingEcho}) is started in the trial's set-up with {@link JvmProcess} and told to quit in the
 * tear-down, which also deletes the file.
 *
 * <p>Idle strategy: busy spin on both sides, so this takes both cores of a 2-core machine while it runs.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class RingBufferPingPongBenchmark {
    /** Capacity of each ring. */
    static final int CAPACITY = 64 * 1024;
    /** Size of the message. */
    static final int MESSAGE_LENGTH = 16;
    private static final Duration PEER_START = Duration.ofSeconds(60);

    private ShmFile file;
    private OneToOneRingBuffer ping;
    private OneToOneRingBuffer pong;
    private JvmProcess peer;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final Counter received = new Counter();

    private static final class Counter implements MessageHandler {
        long count;

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            count++;
        }
    }

    /**
     * Creates the file, starts the peer and waits for its first echo.
     *
     * @throws Exception if the peer does not answer.
     */
    @Setup(Level.Trial)
    public void startPeer() throws Exception {
        int ring = RingEcho.ringBytes(CAPACITY);
        file = ShmFile.create("mp4j-bench-ring", 2 * ring);
        ping = new OneToOneRingBuffer(new UnsafeBuffer(file.buffer(), 0, ring));
        pong = new OneToOneRingBuffer(new UnsafeBuffer(file.buffer(), ring, ring));
        String path = file.path().toString();
        peer = new JvmProcess(() -> RingEcho.echo(path, CAPACITY), new JvmProcess.Options().daemon(true)
                .name("ring-echo").jvmOptions("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"));
        peer.start();
        message.putLong(0, 42);
        if (!ping.write(RingEcho.PING, message, 0, MESSAGE_LENGTH)) {
            throw new IllegalStateException("cannot write the first ping: ring full");
        }
        long deadline = System.nanoTime() + PEER_START.toNanos();
        while (pong.read(received) == 0) {
            if (!peer.isAlive()) {
                peer.join();
                throw new IllegalStateException("the echo peer died before its first echo: " + peer + ", "
                        + peer.failure().map(Throwable::toString).orElse("no failure reported"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the echo peer gave no echo within " + PEER_START.toSeconds() + " s: "
                        + peer);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * One round trip: ping, then spin until the pong arrives.
     *
     * @return the number of pongs received so far.
     */
    @Benchmark
    public long roundTrip16Bytes() {
        while (!ping.write(RingEcho.PING, message, 0, MESSAGE_LENGTH)) {
            Thread.onSpinWait();
        }
        while (pong.read(received) == 0) {
            Thread.onSpinWait();
        }
        return received.count;
    }

    /**
     * Tells the peer to quit, waits for it, and deletes the file.
     *
     * @throws IOException          if the file cannot be deleted.
     * @throws InterruptedException if interrupted.
     */
    @TearDown(Level.Trial)
    public void stopPeer() throws IOException, InterruptedException {
        try {
            if (peer != null) {
                ping.write(RingEcho.QUIT, message, 0, MESSAGE_LENGTH);
                if (!peer.join(Duration.ofSeconds(10))) {
                    System.err.println("the echo peer did not quit within 10 s; terminating it");
                }
                peer.close();
            }
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }
}
