package org.multiproc4j.benchmarks.core;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
 * Encode + decode round trip of the payloads a pipe or queue carries, with raw Kryo, raw Apache Fory (both
 * registration required, references off), multiproc4j's fast codec (Kryo underneath, with its checks and the
 * primitive-array fast path) and its JDK codec.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 *
 * The first use in a fresh JVM is measured by {@link CodecColdStart}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    /** The message. */
    @Param({"record", "pojo", "integer", "string100", "list100", "map10", "doubles1000"})
    public String payload;

    /** Who encodes and decodes it. */
    @Param({"kryo", "fory", "fastCodec", "jdkCodec"})
    public String library;

    private Object value;
    private CodecPayloads.RoundTrip roundTrip;

    /** Builds the payload and the contender, and checks one round trip. */
    @Setup
    public void setUp() {
        value = CodecPayloads.payload(payload);
        roundTrip = CodecPayloads.contender(library);
        Object back = roundTrip.roundTrip(value);
        if (!Objects.deepEquals(value, back)) {
            throw new IllegalStateException(library + " changed a " + payload + ": " + back);
        }
    }

    /**
     * One encode and one decode.
     *
     * @return the decoded value.
     */
    @Benchmark
    public Object roundTrip() {
        return roundTrip.roundTrip(value);
    }
}
