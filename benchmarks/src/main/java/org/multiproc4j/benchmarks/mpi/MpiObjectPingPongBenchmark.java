package org.multiproc4j.benchmarks.mpi;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.mpi.Comm;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code mpi_object_pingpong}: a round trip of the tutorial's small dict (a map of lists, encoded with the project's
 * codecs) between this JVM (rank 0) and a child JVM (rank 1) that sends it back, on the {@code local} backend; one
 * way is half the score.
 *
 * <pre class="shell">{@code
 * bin/bench jmh MpiObjectPingPongBenchmark
 * }</pre>
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MpiObjectPingPongBenchmark {
    private MpiPair pair;
    private Comm world;
    private Map<String, Object> small;

    /** Starts the job's two ranks. */
    @Setup(Level.Trial)
    public void start() {
        pair = new MpiPair(MpiPair.Peer.ECHO_OBJECT, 0);
        world = pair.world();
        small = MpiBench.smallMap();
    }

    /**
     * One round trip.
     *
     * @return the map sent back.
     */
    @Benchmark
    public Object roundTrip() {
        world.send(small, 1, 0);
        return world.recv(1, 0);
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
