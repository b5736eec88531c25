package org.multiproc4j.benchmarks.mpi;

import java.util.concurrent.TimeUnit;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
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
 * {@code mpi_pingpong}: a round trip of a {@code byte[]} buffer message between this JVM (rank 0) and a child JVM
 * (rank 1) that sends it back, on the {@code local} backend; one way is half the score (the side-by-side runner's
 * {@code pingpong_oneway_*} metrics, which use {@code double[]}).
 *
 * <pre class="shell">{@code
 * bin/bench jmh MpiPingPongBenchmark -p bytes=8
 * }</pre>
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MpiPingPongBenchmark {
    /** The message's size. */
    @Param({"8", "4096", "1048576"})
    public int bytes;

    private MpiPair pair;
    private Comm world;
    private Buf buf;

    /** Starts the job's two ranks. */
    @Setup(Level.Trial)
    public void start() {
        pair = new MpiPair(MpiPair.Peer.ECHO_BUFFER, bytes);
        world = pair.world();
        buf = Buf.of(new byte[bytes]);
    }

    /**
     * One round trip.
     *
     * @return the buffer.
     */
    @Benchmark
    public Buf roundTrip() {
        world.send(buf, 1, 0);
        world.recv(buf, 1, 0);
        return buf;
    }

    /**
     * Stops the peer and ends the job.
     *
     * @throws Exception if the peer failed.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pair.close();
    }
}
