package org.multiproc4j.benchmarks.sharedmem;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.ResourceTracker;
import org.multiproc4j.sharedmem.SharedByteArray;
import org.multiproc4j.sharedmem.SharedDoubleArray;
import org.multiproc4j.sharedmem.SharedLongArray;
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
 * The side-by-side workload {@code array_bulk}, in milliseconds per operation (bandwidth = bytes / time):
 *
 * <ul>
 *   <li>{@link #childWriteBulk()}: a child JVM writes {@value #N} doubles (80 MB) into a
 *       {@link SharedDoubleArray} with one {@code copyFrom}, as Python's child does through a
 *       {@code memoryview} (1.8 GB/s here); the time is the parent's, from "go" to "done" (signalling costs
 *       microseconds). {@link #childWriteLoop()}: the same, element by element with {@code setPlain}.</li>
 *   <li>{@link #parentSumLoop()}, {@link #parentSumCopy()}, {@link #parentSumStream()}: the parent sums the
 *       array (Python: 0.6–0.7 GB/s).</li>
 *   <li>{@link #copyIn()} / {@link #copyOut()}: {@value #SHM_BYTES} bytes from a {@code byte[]} into a
 *       {@link SharedByteArray} and back, next to the floor {@link #floorCopyIn()} / {@link #floorCopyOut()}:
 *       the same copies into a plain mapped {@code /dev/shm} file through Agrona's {@code UnsafeBuffer}, in
 *       the same run (goal ≥ 90 % of the floor). Pages are touched in set-up: warm copies.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class ArrayBulkBenchmark {
    /** Elements of the double array. */
    static final int N = 10_000_000;
    /** Bytes of the raw bulk copy. */
    static final int SHM_BYTES = 80_000_000;
    private static final int GO = 0;
    private static final int DONE = 1;
    private static final int MODE = 2;

    private SharedDoubleArray array;
    private SharedLongArray control;
    private JvmProcess writer;
    private double[] chunk;

    private SharedByteArray block;
    private byte[] bytes;
    private byte[] back;
    private Path floorFile;
    private MappedByteBuffer floorMap;
    private UnsafeBuffer floor;

    /**
     * Creates the shared array and the blocks, touches their pages, starts the writer child.
     *
     * @throws IOException if the floor's file cannot be mapped.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        array = SharedDoubleArray.create(N);
        array.fill(0.0);
        control = SharedLongArray.create(3);
        chunk = new double[65_536];
        SharedDoubleArray a = array;
        SharedLongArray c = control;
        writer = new JvmProcess(() -> writerLoop(a, c), new JvmProcess.Options().maxHeap("1g")).start();

        bytes = new byte[SHM_BYTES];
        ThreadLocalRandom.current().nextBytes(bytes);
        back = new byte[SHM_BYTES];
        block = SharedByteArray.create(SHM_BYTES);
        block.copyFrom(bytes, 0, 0, SHM_BYTES);
        floorFile = ResourceTracker.directory().resolve("mp4j-bench-floor-" + ProcessHandle.current().pid());
        try (RandomAccessFile raf = new RandomAccessFile(floorFile.toFile(), "rw")) {
            raf.setLength(SHM_BYTES);
            floorMap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, SHM_BYTES);
        }
        floor = new UnsafeBuffer(floorMap);
        floor.putBytes(0, bytes);
    }

    /**
     * Stops the writer and removes everything.
     *
     * @throws Exception if the writer does not stop or a file cannot be removed.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        control.set(GO, -1);
        boolean ended = writer.join(Duration.ofSeconds(10));
        writer.close();
        array.close();
        control.close();
        block.close();
        BufferUtil.free(floorMap);
        Files.deleteIfExists(floorFile);
        if (!ended) {
            throw new IllegalStateException("array_bulk: the writer did not stop");
        }
    }

    static void writerLoop(SharedDoubleArray array, SharedLongArray control) {
        double[] source = new double[N];
        for (int i = 0; i < N; i++) {
            source[i] = i;
        }
        long seen = 0;
        while (true) {
            long g = ValueIncrementBenchmark.awaitChange(control, GO, seen);
            if (g < 0) {
                return;
            }
            seen = g;
            if (control.get(MODE) == 1) {
                array.copyFrom(source, 0, 0, N);
            } else {
                for (int i = 0; i < N; i++) {
                    array.setPlain(i, i);
                }
            }
            control.set(DONE, g);
        }
    }

    private void childWrite(int mode) {
        control.set(MODE, mode);
        long g = control.get(GO) + 1;
        control.set(GO, g);
        ValueIncrementBenchmark.awaitChange(control, DONE, g - 1);
    }

    /** A child writes the whole array with one bulk copy. */
    @Benchmark
    public void childWriteBulk() {
        childWrite(1);
    }

    /** A child writes the whole array element by element. */
    @Benchmark
    public void childWriteLoop() {
        childWrite(2);
    }

    /**
     * The parent sums the array element by element (plain reads).
     *
     * @return the sum.
     */
    @Benchmark
    public double parentSumLoop() {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += array.getPlain(i);
        }
        return s;
    }

    /**
     * The parent sums the array through bulk copies of 64 Ki elements.
     *
     * @return the sum.
     */
    @Benchmark
    public double parentSumCopy() {
        double s = 0;
        double[] c = chunk;
        for (long i = 0; i < N; i += c.length) {
            int n = (int) Math.min(c.length, N - i);
            array.copyTo(i, c, 0, n);
            for (int k = 0; k < n; k++) {
                s += c[k];
            }
        }
        return s;
    }

    /**
     * The parent sums the array with {@code stream().sum()} (compensated summation).
     *
     * @return the sum.
     */
    @Benchmark
    public double parentSumStream() {
        return array.stream().sum();
    }

    /** 80 MB from a {@code byte[]} into a shared array. */
    @Benchmark
    public void copyIn() {
        block.copyFrom(bytes, 0, 0, SHM_BYTES);
    }

    /** 80 MB from a shared array into a {@code byte[]}. */
    @Benchmark
    public void copyOut() {
        block.copyTo(0, back, 0, SHM_BYTES);
    }

    /** The floor: 80 MB from a {@code byte[]} into a plain mapped {@code /dev/shm} file. */
    @Benchmark
    public void floorCopyIn() {
        floor.putBytes(0, bytes);
    }

    /** The floor: 80 MB from a plain mapped {@code /dev/shm} file into a {@code byte[]}. */
    @Benchmark
    public void floorCopyOut() {
        floor.getBytes(0, back);
    }
}
