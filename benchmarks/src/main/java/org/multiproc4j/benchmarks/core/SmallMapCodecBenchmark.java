package org.multiproc4j.benchmarks.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fast codec on the object the MPI object rows send (the tutorial's small dict as a map of immutable lists,
 * the compact form): encode to an array, decode from one, as {@code Comm}'s object forms do for each message.
 * Two of these (an encode and a decode) are on the path of every one-way object message.
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar SmallMapCodecBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmallMapCodecBenchmark {

    private Codec codec;
    private Map<String, Object> value;
    private byte[] bytes;

    /** Builds the map and checks one round trip. */
    @Setup
    public void setUp() {
        codec = Codecs.fast();
        value = new LinkedHashMap<>();
        value.put("key1", List.of(7, 2.72, List.of(2.0, 3.0)));
        value.put("key2", List.of("abc", "xyz"));
        bytes = codec.encode(value);
        if (!Objects.equals(value, codec.decode(bytes))) {
            throw new IllegalStateException("the fast codec changed the map: " + codec.decode(bytes));
        }
    }

    /**
     * Encodes the map into a new array.
     *
     * @return the bytes.
     */
    @Benchmark
    public byte[] encode() {
        return codec.encode(value);
    }

    /**
     * Decodes the map.
     *
     * @return the map.
     */
    @Benchmark
    public Object decode() {
        return codec.decode(bytes);
    }
}
