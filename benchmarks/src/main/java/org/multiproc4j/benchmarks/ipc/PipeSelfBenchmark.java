package org.multiproc4j.benchmarks.ipc;

import java.util.concurrent.TimeUnit;

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
 * A pipe's own cost per message, without another process: one thread sends on one end of a duplex {@link Pipe} and
 * receives on the other, so nothing waits and no scheduler is involved. The score is one send and one receive of a
 * message (encode, lock, ring write, ring read, decode). {@link PipePingPongBenchmark} adds the other process and
 * the wake-ups; this one shows whether a change made the path itself slower, which a loaded machine hides there.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl benchmarks -am
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar PipeSelfBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PipeSelfBenchmark {

    /** The message: Python's {@code (123456789, 3.14159, "hello")} as an object, or 64 bytes. */
    @Param({"tuple", "bytes64"})
    public String payload;

    private Pipe pipe;
    private Connection first;
    private Connection second;
    private final byte[] bytes = new byte[64];

    /**
     * Opens the pipe.
     *
     * @throws Exception if it cannot be opened.
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        pipe = Pipe.open(new ChannelOptions());
        first = pipe.first();
        second = pipe.second();
    }

    /**
     * One message sent on one end and received on the other.
     *
     * @return what was received.
     * @throws Exception if the pipe fails.
     */
    @Benchmark
    public Object sendAndReceive() throws Exception {
        if ("tuple".equals(payload)) {
            first.send(PipePingPongBenchmark.MESSAGE);
            return second.recv();
        }
        first.sendBytes(bytes, 0, bytes.length);
        return second.recvBytes();
    }

    /**
     * Closes the pipe.
     *
     * @throws Exception if closing fails.
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        pipe.close();
    }
}
