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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code pipe_pingpong_bytes}: a round trip of a byte message of {@code size} bytes ({@code sendBytes} /
 * {@code recvBytesInto}) through a duplex {@link Pipe} to a child JVM that echoes it
 * ({@link PipePeers#echoBytes}). 1 MiB messages travel in fragments (the default ring is 1 MiB per direction,
 * its largest record 128 KiB). Idle policy: the default on both sides.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PipeBytesBenchmark {
    /** Message size in bytes. */
    @Param({"64", "65536", "1048576"})
    public int size;

    private Pipe pipe;
    private Connection mine;
    private TaskFuture<Long> peer;
    private byte[] message;
    private byte[] back;

    /**
     * Opens the pipe, starts the echoing child and waits for its first echo.
     *
     * @throws Exception if the child does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        pipe = Pipe.open(new ChannelOptions());
        mine = pipe.first();
        Connection childs = pipe.second();
        int max = size;
        peer = JvmProcess.call(() -> PipePeers.echoBytes(childs, max), new JvmProcess.Options().daemon(true).name("echo"));
        childs.close();
        message = new byte[size];
        for (int i = 0; i < size; i++) {
            message[i] = (byte) i;
        }
        back = new byte[size];
        mine.sendBytes(message);
        mine.recvBytes(Duration.ofSeconds(60));
    }

    /**
     * One round trip.
     *
     * @return the echoed length.
     * @throws Exception if the pipe fails.
     */
    @Benchmark
    public int roundTrip() throws Exception {
        mine.sendBytes(message);
        return mine.recvBytesInto(back);
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
