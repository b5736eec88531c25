package org.multiproc4j.benchmarks.sidebyside;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;
import org.multiproc4j.pool.ProcessPoolExecutor;
import org.multiproc4j.pool.ResultIterator;

/**
 * The pool workloads of {@code mp_bench.py}, with its names and sizes: {@code pool_start} (and
 * {@code pool_start_quiet}, the same with an untimed pause of {@value #QUIET_PAUSE_MS} ms before each trial on both
 * sides, so that starts are far apart), {@code pool_map_tiny},
 * {@code pool_apply_async_latency}, {@code pool_imap_tiny}, {@code pool_map_cpu}, {@code executor_map_tiny}, and
 * {@code pool_wordcount} (a word count of 20 MB of text in 1 MB chunks, partial maps merged by the parent).
 *
 * <p>Pools are made of 2 workers ({@code pool_map_cpu}: 1 and 2) with the default options; those that are not
 * the object of the measure are created in {@link #prepare} and warmed up by one untimed round.
 */
public final class PoolWorkload implements Workload {
    static final int WORKERS = 2;
    static final int WORD_MB = 20;
    static final int CHUNK_BYTES = 1 << 20;
    static final int JAVA_CPU_N = 20_000_000;
    /** The untimed pause before each trial of {@code pool_start_quiet}. */
    static final long QUIET_PAUSE_MS = 1000;

    private final String name;
    private ProcessPool pool;
    private ProcessPool pool1;
    private ProcessPoolExecutor executor;

    private PoolWorkload(String name) {
        this.name = name;
    }

    /**
     * Creates every pool workload, in {@code mp_bench.py}'s order.
     *
     * @return the workloads.
     */
    public static List<Workload> all() {
        List<Workload> list = new ArrayList<>();
        for (String n : List.of("pool_start", "pool_start_quiet", "pool_map_tiny", "pool_apply_async_latency", "pool_imap_tiny",
                "pool_map_cpu", "executor_map_tiny", "pool_wordcount")) {
            list.add(new PoolWorkload(n));
        }
        return list;
    }

    static int cube(int x) {
        return x * x * x;
    }

    static long cpuTask(int n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += i * i;
        }
        return s;
    }

    static Map<String, Long> countWords(String text) {
        Map<String, Long> counts = new HashMap<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && text.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                counts.merge(text.substring(start, i), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The text: words {@code w0..w4999} drawn by a fixed linear congruential generator, as mp_side.py does. */
    static String text(int bytes) {
        StringBuilder b = new StringBuilder(bytes + 16);
        long x = 12345;
        while (b.length() < bytes) {
            x = (x * 1103515245 + 12345) & 0x7fffffffL;
            b.append('w').append(x % 5000).append(' ');
        }
        b.setLength(bytes);
        return b.toString();
    }

    static List<String> chunks(String text, int size) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = Math.min(text.length(), at + size);
            while (end < text.length() && text.charAt(end) != ' ') {
                end++;
            }
            out.add(text.substring(at, end));
            at = end;
        }
        return out;
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static int size(Settings s, int full) {
        return s.quick() ? Math.max(1, full / 10) : full;
    }

    @Override
    public String name() {
        return name;
    }

    /** The quiet start row is left to full runs: its trial is the start row's, after a pause of a second. */
    @Override
    public boolean inQuickRun() {
        return !name.endsWith("_quiet");
    }

    @Override
    public String title() {
        switch (name) {
            case "pool_start": return "a pool of 2: create → first result, and close + join";
            case "pool_start_quiet": return "pool_start with each trial after an untimed " + QUIET_PAUSE_MS
                    + " ms pause (starts far apart; Python: spawn, the same pause)";
            case "pool_map_tiny": return "map of tiny tasks (cube): default chunking, and chunk size 1";
            case "pool_apply_async_latency": return "applyAsync(...).get() and apply(...) round trips";
            case "pool_imap_tiny": return "imap / imapUnordered of tiny tasks, chunk size 1000 and 1";
            case "pool_map_cpu": return "speed-up of 2 workers over 1 on a CPU-bound task";
            case "executor_map_tiny": return "ProcessPoolExecutor: create → first result; tiny tasks";
            default: return "word count of 20 MB of text in 1 MB chunks, partial counts merged by the parent";
        }
    }

    @Override
    public String idleStrategy() {
        return "multiproc4j: the pipes' default IdlePolicy (spin 2 µs, yield 100 µs, park up to 1 ms), result "
                + "waiters spin 1 µs, yield up to 50 µs, then block; Python: blocking pipe reads and its pool's "
                + "handler threads";
    }

    @Override
    public Map<String, Object> parameters(Settings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("workers", WORKERS);
        switch (name) {
            case "pool_start_quiet":
                p.put("pause_ms", QUIET_PAUSE_MS);
                break;
            case "pool_map_tiny":
                p.put("n_default_chunksize", size(s, 1_000_000));
                p.put("n_chunksize_1", size(s, 10_000));
                break;
            case "pool_apply_async_latency":
                p.put("calls", size(s, 1000));
                break;
            case "pool_imap_tiny":
                p.put("n", size(s, 200_000));
                p.put("chunksize", 1000);
                p.put("n_chunksize_1", size(s, 10_000));
                break;
            case "pool_map_cpu":
                p.put("task", "sum of i*i for i < n; Python: n = 200000 (a generator, about 20 ms); Java: n = "
                        + JAVA_CPU_N + ", so that a task lasts milliseconds there too (200000 takes the JIT's loop "
                        + "about 0.1 ms, too short to measure a pool)");
                p.put("tasks", cpuTasks(s));
                break;
            case "executor_map_tiny":
                p.put("n", size(s, 10_000));
                p.put("java", "submit + get of each (ExecutorService has no chunked map)");
                break;
            case "pool_wordcount":
                p.put("text_MB", wordMb(s));
                p.put("chunk_bytes", CHUNK_BYTES);
                p.put("java_single", "the same count in the parent JVM, one thread");
                break;
            default:
                break;
        }
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings s) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (name) {
            case "pool_start_quiet":
                p.put("pause_s", Double.toString(QUIET_PAUSE_MS / 1000.0));
                break;
            case "pool_map_tiny":
                p.put("map_n", Integer.toString(size(s, 1_000_000)));
                p.put("map_c1_n", Integer.toString(size(s, 10_000)));
                break;
            case "pool_apply_async_latency":
                p.put("calls", Integer.toString(size(s, 1000)));
                break;
            case "pool_imap_tiny":
                p.put("n", Integer.toString(size(s, 200_000)));
                p.put("n1", Integer.toString(size(s, 10_000)));
                break;
            case "executor_map_tiny":
                p.put("n1", Integer.toString(size(s, 10_000)));
                break;
            case "pool_map_cpu":
                p.put("tasks", Integer.toString(cpuTasks(s)));
                break;
            case "pool_wordcount":
                p.put("mb", Integer.toString(wordMb(s)));
                break;
            default:
                break;
        }
        return p;
    }

    private static int cpuTasks(Settings s) {
        return s.quick() ? 4 : 32;
    }

    private static int wordMb(Settings s) {
        return s.quick() ? 2 : WORD_MB;
    }

    @Override
    public List<Comparison> comparisons() {
        switch (name) {
            case "pool_start":
                return List.of(new Comparison("create → first result (Python: spawn)", "pool start",
                                "create_to_first_result_ms", "spawn_create_to_first_result_ms"),
                        new Comparison("close + join (Python: spawn)", "pool close", "close_join_ms",
                                "spawn_close_join_ms"));
            case "pool_start_quiet":
                return List.of(new Comparison("create → first result after a pause (Python: spawn, same pause)",
                        "pool start quiet", "create_to_first_result_ms", "spawn_create_to_first_result_ms"));
            case "pool_map_tiny":
                return List.of(new Comparison("map, default chunking (tasks/s)", "map tiny",
                                "default_chunksize_tasks_per_s", "default_chunksize_tasks_per_s"),
                        new Comparison("map, chunk size 1 (tasks/s)", "map c1", "chunksize_1_tasks_per_s",
                                "chunksize_1_tasks_per_s"));
            case "pool_apply_async_latency":
                return List.of(new Comparison("applyAsync + get round trip", "applyAsync RTT",
                                "apply_async_get_rtt_us", "apply_async_get_rtt_us"),
                        new Comparison("apply round trip", "apply RTT", "apply_rtt_us", "apply_rtt_us"));
            case "pool_imap_tiny":
                return List.of(new Comparison("imap, chunk size 1000 (tasks/s)", "imap c1000",
                                "imap_chunksize_1000_tasks_per_s", "imap_chunksize_1000_tasks_per_s"),
                        new Comparison("imapUnordered, chunk size 1000 (tasks/s)", "imap_unordered c1000",
                                "imap_unordered_chunksize_1000_tasks_per_s",
                                "imap_unordered_chunksize_1000_tasks_per_s"),
                        new Comparison("imap, chunk size 1 (tasks/s)", "imap c1", "imap_chunksize_1_tasks_per_s",
                                "imap_chunksize_1_tasks_per_s"));
            case "pool_map_cpu":
                return List.of(new Comparison("speed-up, 2 workers over 1", "cpu speed-up",
                        "speedup_pool2_vs_pool1", "speedup_pool2_vs_pool1"));
            case "executor_map_tiny":
                return List.of(new Comparison("create → first result", "executor start", "create_to_first_result_ms",
                                "create_to_first_result_ms"),
                        new Comparison("one task at a time, chunk size 1 (tasks/s)", "executor c1",
                                "chunksize_1_tasks_per_s", "chunksize_1_tasks_per_s"));
            default:
                return List.of(new Comparison("word count, pool of 2 (s)", "wordcount pool", "pool2_s", "pool2_s"),
                        new Comparison("word count, single-threaded (s)", "wordcount single", "single_s", "single_s"));
        }
    }

    @Override
    public List<Target> targets() {
        String src = "issue 11";
        switch (name) {
            case "pool_start":
                return List.of(new Target("create → first result ≤ 0.5× Python's spawn pool",
                        Target.Ref.java("create_to_first_result_ms"),
                        Target.Ref.python("spawn_create_to_first_result_ms"), 0.5, src));
            case "pool_start_quiet":
                return List.of(new Target("create → first result after a pause ≤ 0.5× Python's spawn pool after the "
                        + "same pause", Target.Ref.java("create_to_first_result_ms"),
                        Target.Ref.python("spawn_create_to_first_result_ms"), 0.5, src));
            case "pool_map_tiny":
                return List.of(new Target("map of tiny tasks ≥ 5× Python's tasks/s (ratio Python / multiproc4j)",
                                Target.Ref.python("default_chunksize_tasks_per_s"),
                                Target.Ref.java("default_chunksize_tasks_per_s"), 0.2, src),
                        new Target("chunk size 1 ≥ 10× Python's tasks/s (ratio Python / multiproc4j)",
                                Target.Ref.python("chunksize_1_tasks_per_s"),
                                Target.Ref.java("chunksize_1_tasks_per_s"), 0.1, src));
            case "pool_apply_async_latency":
                return List.of(new Target("applyAsync round trip ≤ 1/10 of Python's",
                        Target.Ref.java("apply_async_get_rtt_us"), Target.Ref.python("apply_async_get_rtt_us"),
                        0.1, src));
            case "pool_map_cpu":
                return List.of(new Target("2 workers ≥ 1.8× faster than 1 (ratio pool2 time / pool1 time)",
                        Target.Ref.java("pool2_s"), Target.Ref.java("pool1_s"), 1 / 1.8, src));
            case "pool_wordcount":
                return List.of(new Target("pool of 2 ≥ 1.6× faster than single-threaded (ratio pool / single)",
                                Target.Ref.java("pool2_s"), Target.Ref.java("single_s"), 1 / 1.6, src),
                        new Target("ahead of Python's pool (ratio multiproc4j / Python)",
                                Target.Ref.java("pool2_s"), Target.Ref.python("pool2_s"), 1.0, src));
            default:
                return List.of();
        }
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        switch (name) {
            case "pool_map_cpu":
                pool1 = new ProcessPool(1);
                pool1.map(x -> x, range(2), 1);
                pool = new ProcessPool(WORKERS);
                pool.map(x -> x, range(4), 1);
                break;
            case "pool_start":
            case "pool_start_quiet":
            case "executor_map_tiny":
                break;
            default:
                pool = new ProcessPool(WORKERS);
                pool.map(x -> x, range(4), 1);
                break;
        }
        return Map.of();
    }

    @Override
    public void runJava(TrialSet set, Settings s) throws Exception {
        switch (name) {
            case "pool_start":
            case "pool_start_quiet":
                boolean quiet = name.equals("pool_start_quiet");
                set.repeat(s.warmup(), s.trials(), () -> {
                    if (quiet) {
                        Thread.sleep(QUIET_PAUSE_MS);
                    }
                    long t0 = System.nanoTime();
                    ProcessPool p = new ProcessPool(WORKERS);
                    long t1 = System.nanoTime();
                    p.apply(x -> x, 0);
                    long t2 = System.nanoTime();
                    p.close();
                    long t3 = System.nanoTime();
                    set.addMillis("create_ms", t0, t1);
                    set.addMillis("create_to_first_result_ms", t0, t2);
                    set.addMillis("close_join_ms", t2, t3);
                });
                break;
            case "pool_map_tiny": {
                List<Integer> big = range(size(s, 1_000_000));
                List<Integer> c1 = range(size(s, 10_000));
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    List<Integer> r = pool.map(PoolWorkload::cube, big);
                    long t1 = System.nanoTime();
                    check(r.size() == big.size() && r.get(r.size() - 1) == cube(big.size() - 1), "map result");
                    set.add("default_chunksize_tasks_per_s", big.size() / ((t1 - t0) / 1e9), "tasks/s", Better.HIGHER);
                    t0 = System.nanoTime();
                    r = pool.map(PoolWorkload::cube, c1, 1);
                    t1 = System.nanoTime();
                    check(r.size() == c1.size(), "map c1 result");
                    set.add("chunksize_1_tasks_per_s", c1.size() / ((t1 - t0) / 1e9), "tasks/s", Better.HIGHER);
                });
                break;
            }
            case "pool_apply_async_latency": {
                int k = size(s, 1000);
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < k; i++) {
                        pool.applyAsync(PoolWorkload::cube, i).get();
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < k; i++) {
                        pool.apply(PoolWorkload::cube, i);
                    }
                    long t2 = System.nanoTime();
                    set.add("apply_async_get_rtt_us", (t1 - t0) / 1e3 / k, "us", Better.LOWER);
                    set.add("apply_rtt_us", (t2 - t1) / 1e3 / k, "us", Better.LOWER);
                });
                break;
            }
            case "pool_imap_tiny": {
                List<Integer> in = range(size(s, 200_000));
                List<Integer> in1 = range(size(s, 10_000));
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    long sum = drain(pool.imap(PoolWorkload::cube, in, 1000));
                    long t1 = System.nanoTime();
                    set.add("imap_chunksize_1000_tasks_per_s", in.size() / ((t1 - t0) / 1e9), "tasks/s",
                            Better.HIGHER);
                    t0 = System.nanoTime();
                    long sum2 = drain(pool.imapUnordered(PoolWorkload::cube, in, 1000));
                    t1 = System.nanoTime();
                    check(sum == sum2, "imap sums");
                    set.add("imap_unordered_chunksize_1000_tasks_per_s", in.size() / ((t1 - t0) / 1e9), "tasks/s",
                            Better.HIGHER);
                    t0 = System.nanoTime();
                    drain(pool.imap(PoolWorkload::cube, in1, 1));
                    t1 = System.nanoTime();
                    set.add("imap_chunksize_1_tasks_per_s", in1.size() / ((t1 - t0) / 1e9), "tasks/s",
                            Better.HIGHER);
                });
                break;
            }
            case "pool_map_cpu": {
                List<Integer> tasks = new ArrayList<>();
                for (int i = 0; i < cpuTasks(s); i++) {
                    tasks.add(JAVA_CPU_N);
                }
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    pool1.map(PoolWorkload::cpuTask, tasks, 1);
                    long t1 = System.nanoTime();
                    pool.map(PoolWorkload::cpuTask, tasks, 1);
                    long t2 = System.nanoTime();
                    set.add("pool1_s", (t1 - t0) / 1e9, "s", Better.LOWER);
                    set.add("pool2_s", (t2 - t1) / 1e9, "s", Better.LOWER);
                    set.add("speedup_pool2_vs_pool1", (double) (t1 - t0) / (t2 - t1), "x", Better.HIGHER);
                });
                break;
            }
            case "executor_map_tiny": {
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    ProcessPoolExecutor ex = new ProcessPoolExecutor(WORKERS);
                    ex.submit((Callable<Integer> & Serializable) () -> 0).get();
                    long t1 = System.nanoTime();
                    ex.close();
                    set.addMillis("create_to_first_result_ms", t0, t1);
                });
                int n1 = size(s, 10_000);
                try (ProcessPoolExecutor ex = new ProcessPoolExecutor(WORKERS)) {
                    ex.submit((Callable<Integer> & Serializable) () -> 0).get();
                    set.repeat(s.warmup(), s.trials(), () -> {
                        long t0 = System.nanoTime();
                        List<Future<Integer>> fs = new ArrayList<>(n1);
                        for (int i = 0; i < n1; i++) {
                            int x = i;
                            fs.add(ex.submit((Callable<Integer> & Serializable) () -> cube(x)));
                        }
                        long sum = 0;
                        for (Future<Integer> f : fs) {
                            sum += f.get();
                        }
                        long t1 = System.nanoTime();
                        check(sum != 0 || n1 <= 1, "executor sum");
                        set.add("chunksize_1_tasks_per_s", n1 / ((t1 - t0) / 1e9), "tasks/s", Better.HIGHER);
                    });
                }
                break;
            }
            default: {
                String text = text(wordMb(s) << 20);
                List<String> parts = chunks(text, CHUNK_BYTES);
                set.repeat(s.warmup(), s.trials(), () -> {
                    long t0 = System.nanoTime();
                    Map<String, Long> single = countWords(text);
                    long t1 = System.nanoTime();
                    Map<String, Long> merged = new HashMap<>();
                    for (Map<String, Long> part : pool.map(PoolWorkload::countWords, parts, 1)) {
                        part.forEach((w, c) -> merged.merge(w, c, Long::sum));
                    }
                    long t2 = System.nanoTime();
                    check(merged.equals(single), "word counts agree");
                    set.add("single_s", (t1 - t0) / 1e9, "s", Better.LOWER);
                    set.add("pool2_s", (t2 - t1) / 1e9, "s", Better.LOWER);
                    set.add("speedup_pool2_vs_single", (double) (t1 - t0) / (t2 - t1), "x", Better.HIGHER);
                });
                break;
            }
        }
    }

    private static long drain(ResultIterator<Integer> it) {
        long s = 0;
        while (it.hasNext()) {
            s += it.next();
        }
        return s;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + ": wrong result");
        }
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return name.equals("pool_start") || name.equals("executor_map_tiny") ? 10 : 15;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {pool, pool1, executor}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        pool = null;
        pool1 = null;
        executor = null;
    }
}
