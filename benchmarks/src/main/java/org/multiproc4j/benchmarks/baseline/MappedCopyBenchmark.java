package org.multiproc4j.benchmarks.baseline;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.benchmarks.support.ShmFile;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Memory bandwidth, in one process: copying a heap {@code byte[]} into a memory-mapped {@code /dev/shm} buffer
 * (through Agrona's {@link UnsafeBuffer}) and back, next to a heap-to-heap {@link System#arraycopy}. The
 * {@code bytes} counter is the bandwidth in bytes per second; the pages are touched once in set-up, so the
 * figure is a warm copy, not page faults.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MappedCopyBenchmark {
    /** Bytes per copy: within L1/L2, beyond the caches. */
    @Param({"4096", "1048576", "67108864"})
    public int size;

    private byte[] source;
    private byte[] heap;
    private ShmFile file;
    private UnsafeBuffer mapped;

    /** Bytes copied, reported per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        /** Bytes copied in this iteration. */
        public long bytes;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    /**
     * Creates the buffers and touches every page of the mapping.
     *
     * @throws IOException if the file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        source = new byte[size];
        ThreadLocalRandom.current().nextBytes(source);
        heap = new byte[size];
        file = ShmFile.create("mp4j-bench-copy", size);
        mapped = new UnsafeBuffer(file.buffer());
        mapped.putBytes(0, source);
    }

    /**
     * Deletes the file.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
    }

    /**
     * Heap to heap.
     *
     * @param b the byte counter.
     */
    @Benchmark
    public void heapToHeap(Bytes b) {
        System.arraycopy(source, 0, heap, 0, size);
        b.bytes += size;
    }

    /**
     * Heap to the mapped file.
     *
     * @param b the byte counter.
     */
    @Benchmark
    public void heapToMapped(Bytes b) {
        mapped.putBytes(0, source);
        b.bytes += size;
    }

    /**
     * The mapped file to heap.
     *
     * @param b the byte counter.
     */
    @Benchmark
    public void mappedToHeap(Bytes b) {
        mapped.getBytes(0, heap);
        b.bytes += size;
    }
}
