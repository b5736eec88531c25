package org.multiproc4j.benchmarks.mpi;

import java.util.concurrent.TimeUnit;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Op;
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
 * {@code mpi_bcast} and {@code mpi_allreduce}: one collective on a {@code double[]} of {@code bytes} between this
 * JVM (rank 0, bcast's root) and a child JVM (rank 1) that joins each call, on the {@code local} backend. The
 * score is rank 0's time per call; rank 1 may still be copying out the last bcast (the side-by-side runner's
 * {@code bcast_*} and {@code allreduce_*} metrics take the slower rank's).
 *
 * <pre class="shell">{@code
 * bin/bench jmh MpiCollectiveBenchmark -p collective=allreduce -p bytes=8388608
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MpiCollectiveBenchmark {
    /** Which collective: {@code bcast} or {@code allreduce} (SUM). */
    @Param({"bcast", "allreduce"})
    public String collective;

    /** The buffer's size in bytes, a multiple of 8: one double, 1 MiB, and (allreduce) 1 M doubles. */
    @Param({"8", "1048576", "8388608"})
    public int bytes;

    private MpiPair pair;
    private Comm world;
    private Buf send;
    private Buf recv;
    private boolean bcast;

    /** Starts the job's two ranks. */
    @Setup(Level.Trial)
    public void start() {
        bcast = collective.equals("bcast");
        if (!bcast && !collective.equals("allreduce")) {
            throw new IllegalArgumentException("collective must be bcast or allreduce, got " + collective);
        }
        pair = new MpiPair(bcast ? MpiPair.Peer.BCAST : MpiPair.Peer.ALLREDUCE, bytes);
        world = pair.world();
        double[] data = new double[bytes / 8];
        java.util.Arrays.fill(data, 1.0);
        send = Buf.of(data);
        recv = Buf.of(new double[bytes / 8]);
    }

    /**
     * One collective.
     *
     * @return the buffer holding the result.
     */
    @Benchmark
    public Buf collective() {
        if (bcast) {
            world.bcast(send, 0);
            return send;
        }
        world.allreduce(send, recv, Op.SUM);
        return recv;
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
