package org.multiproc4j.benchmarks.ipc;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.ipc.internal.AgronaWire;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a pipe or queue spends on a message's bytes, without the other process: encode a value into the
 * sender's buffer, copy it into direct memory (as into a ring), and decode it from there in place. The part of
 * {@code pipe_pingpong_small}'s one-way time that is the wire format's, so that a change to
 * {@code core.internal.Wire} or {@code ipc.internal.AgronaWire} is measured alone.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl benchmarks -am
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar WireBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class WireBenchmark {

    /** The message: Python's {@code (123456789, 3.14159, "hello")}, a {@code String}, or 1,000 doubles. */
    @Param({"tuple", "string", "doubles1000"})
    public String payload;

    private Object value;
    private final AgronaWire wire = AgronaWire.instance();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(128);
    private final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));

    /** Builds the payload and checks one round trip. */
    @Setup
    public void setUp() {
        switch (payload) {
            case "tuple":
                value = new Object[] {123456789, 3.14159, "hello"};
                break;
            case "string":
                value = "the quick brown fox jumps over the lazy dog";
                break;
            default:
                double[] d = new double[1000];
                java.util.Arrays.setAll(d, i -> i * 0.5);
                value = d;
                break;
        }
        if (!Objects.deepEquals(value, roundTrip())) {
            throw new IllegalStateException("the wire changed a " + payload);
        }
    }

    /**
     * One encode, one copy into direct memory, one decode from there.
     *
     * @return the decoded value.
     */
    @Benchmark
    public Object roundTrip() {
        int length = wire.encode(value, out);
        ring.putBytes(64, out, 0, length);
        return wire.decode(ring, 64, length);
    }
}
