package org.multiproc4j.benchmarks.ipc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
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
 * The streaming half of {@code pipe_pingpong_bytes}: 256 one-way messages of 1 MiB through a {@link Pipe} to a
 * child that only receives ({@link PipePeers#sink}), then an empty message answered with the byte count (as
 * Python's {@code _stream_sink}). The score is messages per second: times 1.048576 it is MB/s.
 *
 * <p>{@code receiver}: {@code array} receives each message into a new array ({@code recvBytes}, like Python's
 * {@code recv_bytes}); {@code into} into one reused array ({@code recvBytesInto}). {@code capacity} is the ring
 * per direction (1 MiB is the default; 8 MiB lets the sender run a whole message ahead). Idle policy: default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PipeStreamBenchmark {
    static final int SIZE = 1 << 20;
    static final int MESSAGES = 256;

    /** How the child receives. */
    @Param({"array", "into"})
    public String receiver;

    /** Ring capacity per direction. */
    @Param({"1048576", "8388608"})
    public int capacity;

    private Pipe pipe;
    private Connection mine;
    private TaskFuture<Long> peer;
    private final byte[] message = new byte[SIZE];

    /**
     * Opens the pipe and starts the receiving child.
     *
     * @throws Exception if the child does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        pipe = Pipe.open(new ChannelOptions().capacity(capacity));
        mine = pipe.first();
        Connection childs = pipe.second();
        boolean into = "into".equals(receiver);
        peer = JvmProcess.call(() -> PipePeers.sink(childs, into, SIZE), new JvmProcess.Options().daemon(true).name("sink"));
        childs.close();
        for (int i = 0; i < SIZE; i++) {
            message[i] = (byte) (i * 7);
        }
        mine.sendBytes(new byte[0]);
        mine.recv(Duration.ofSeconds(60));
    }

    /**
     * Sends 256 messages of 1 MiB and waits for the child's count.
     *
     * @return the child's count.
     * @throws Exception if the pipe fails or the count is wrong.
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long stream() throws Exception {
        for (int i = 0; i < MESSAGES; i++) {
            mine.sendBytes(message);
        }
        mine.sendBytes(new byte[0]);
        long got = (Long) mine.recv();
        if (got != (long) SIZE * MESSAGES) {
            throw new IllegalStateException("the sink counted " + got + " bytes");
        }
        return got;
    }

    /**
     * Closes the pipe; the child sees end of file and exits.
     *
     * @throws Exception if the child does not exit.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pipe.close();
        peer.get(Duration.ofSeconds(30));
    }
}
