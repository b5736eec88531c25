package org.multiproc4j.benchmarks.ipc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.sharedmem.IdlePolicy;
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
 * {@code pipe_pingpong_small}: a round trip of a small object through a duplex {@link Pipe} to a child JVM that
 * echoes it ({@link PipePeers#echoObjects}); one way is half the score. The object is Python's
 * {@code (123456789, 3.14159, "hello")}, an {@code Object[]} here (the codec's fast path).
 *
 * <p>{@code idle} is the pipe's {@link IdlePolicy} on both sides: {@code default} (spin 2 µs, yield 100 µs, park
 * up to 1 ms) or {@code busySpin} (the same as the raw-Agrona floor,
 * {@code baseline.RingBufferPingPongBenchmark}).
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PipePingPongBenchmark {
    static final Object[] MESSAGE = {123456789, 3.14159, "hello"};

    /** The idle policy of both ends. */
    @Param({"default", "busySpin"})
    public String idle;

    private Pipe pipe;
    private Connection mine;
    private TaskFuture<Long> peer;

    static IdlePolicy policy(String name) {
        return "busySpin".equals(name) ? IdlePolicy.busySpin() : IdlePolicy.defaultPolicy();
    }

    /**
     * Opens the pipe, starts the echoing child and waits for its first echo.
     *
     * @throws Exception if the child does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        pipe = Pipe.open(new ChannelOptions().idle(policy(idle)));
        mine = pipe.first();
        Connection childs = pipe.second();
        peer = JvmProcess.call(() -> PipePeers.echoObjects(childs), new JvmProcess.Options().daemon(true).name("echo"));
        childs.close();
        mine.send(MESSAGE);
        mine.recv(Duration.ofSeconds(60));
    }

    /**
     * One round trip.
     *
     * @return the echoed object.
     * @throws Exception if the pipe fails.
     */
    @Benchmark
    public Object roundTrip() throws Exception {
        mine.send(MESSAGE);
        return mine.recv();
    }

    /**
     * Closes the pipe; the child sees end of file and exits.
     *
     * @throws Exception if the child does not exit.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pipe.close();
        System.out.println("echo peer answered " + peer.get(Duration.ofSeconds(30)) + " messages; idle " + policy(idle));
    }
}
