package org.multiproc4j.benchmarks.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;
import org.multiproc4j.pool.ResultIterator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pool of 2 worker JVMs, started once per trial, on the paths of the side-by-side workloads
 * {@code pool_imap_tiny} and {@code pool_wordcount}: {@link #imapChunkSize1000()} and
 * {@link #imapUnorderedChunkSize1000()} iterate {@code cube} over {@value #N} inputs, {@link #imapChunkSize1()}
 * over {@value #N1} inputs one per task (scores in nanoseconds per task), and {@link #wordCount()} counts the
 * words of {@value #WORD_MB} MB of text in 1 MB chunks, merging the workers' {@code HashMap<String, Long>}s
 * (score in milliseconds per count).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ImapBenchmark {
    static final int N = 100_000;
    static final int N1 = 2_000;
    static final int WORD_MB = 4;

    private ProcessPool pool;
    private List<Integer> inputs;
    private List<Integer> inputs1;
    private List<String> text;

    static int cube(int x) {
        return x * x * x;
    }

    static Map<String, Long> countWords(String text) {
        Map<String, Long> counts = new HashMap<>();
        for (String w : text.split(" ")) {
            if (!w.isEmpty()) {
                counts.merge(w, 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * Starts the pool, makes the inputs and warms the workers.
     *
     * @throws Exception if the pool cannot start.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = new ProcessPool(2);
        inputs = IntStream.range(0, N).boxed().collect(Collectors.toList());
        inputs1 = IntStream.range(0, N1).boxed().collect(Collectors.toList());
        StringBuilder b = new StringBuilder();
        long x = 12345;
        List<String> chunks = new java.util.ArrayList<>();
        for (int mb = 0; mb < WORD_MB; mb++) {
            b.setLength(0);
            while (b.length() < (1 << 20)) {
                x = (x * 1103515245 + 12345) & 0x7fffffffL;
                b.append('w').append(x % 5000).append(' ');
            }
            chunks.add(b.toString());
        }
        text = chunks;
        drain(pool.imap(ImapBenchmark::cube, inputs, 1000));
        wordCount();
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    private static long drain(ResultIterator<Integer> it) {
        long s = 0;
        while (it.hasNext()) {
            s += it.next();
        }
        return s;
    }

    /**
     * Iterates over {@value #N} results, in order, chunk size 1000.
     *
     * @return their sum.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public long imapChunkSize1000() {
        return drain(pool.imap(ImapBenchmark::cube, inputs, 1000));
    }

    /**
     * Iterates over {@value #N} results as they come, chunk size 1000.
     *
     * @return their sum.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public long imapUnorderedChunkSize1000() {
        return drain(pool.imapUnordered(ImapBenchmark::cube, inputs, 1000));
    }

    /**
     * Iterates over {@value #N1} results, one input per task.
     *
     * @return their sum.
     */
    @Benchmark
    @OperationsPerInvocation(N1)
    public long imapChunkSize1() {
        return drain(pool.imap(ImapBenchmark::cube, inputs1, 1));
    }

    /**
     * Counts the words of the text in the workers, one 1 MB chunk per task, and merges the partial counts.
     *
     * @return the number of distinct words.
     * @throws Exception if a task fails.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int wordCount() throws Exception {
        Map<String, Long> merged = new HashMap<>();
        for (Map<String, Long> part : pool.map(ImapBenchmark::countWords, text, 1)) {
            part.forEach((w, c) -> merged.merge(w, c, Long::sum));
        }
        return merged.size();
    }
}
