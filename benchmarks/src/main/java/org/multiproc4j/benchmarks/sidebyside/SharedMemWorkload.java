package org.multiproc4j.benchmarks.sidebyside;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.SharedDoubleArray;
import org.multiproc4j.sharedmem.SharedInt;
import org.multiproc4j.sharedmem.SharedLongArray;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;

/**
 * {@code value_increment_locked} and {@code array_bulk}, as {@code mp_bench.py} measures Python's {@code Value}
 * and {@code Array}.
 *
 * <p>{@code value_increment_locked}: two child JVMs each do M increments of one {@link SharedInt}, under its
 * lock ({@code lock(); set(get() + 1); unlock()}, Python: {@code with v.get_lock(): v.value += 1}) and lock-free
 * with {@code getAndAdd(1)}; the clock runs from the parent's release to the last child's end stamp; rate =
 * 2M / time; the final count is checked. {@code array_bulk}: a child writes a 10 M-element
 * {@link SharedDoubleArray} with one bulk {@code copyFrom} (timed in the child), then the parent sums it in a
 * plain loop; the sum is checked.
 *
 * <p>The children start once, in {@link #prepare}, and wait for rounds on a shared control array, polling with
 * {@code parkNanos} (50 µs for 100 ms after a round, then 1 ms); Python starts fresh spawn processes per
 * {@code Value} trial (as {@code mp_bench.py}) and keeps one writer process for {@code Array}.
 */
public final class SharedMemWorkload implements Workload {
    private static final int INCREMENTS = 100_000;
    private static final int ELEMENTS = 10_000_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int ROUND = 0;
    private static final int MODE = 1;
    private static final int DONE = 2;
    private static final int STAMPS = 3;
    private static final int LOCKED = 0;
    private static final int LOCK_FREE = 1;
    private static final int PEERS = 2;

    private final boolean value;
    private SharedLongArray control;
    private SharedInt counter;
    private SharedDoubleArray array;
    private final List<TaskFuture<Long>> children = new ArrayList<>();

    private SharedMemWorkload(boolean value) {
        this.value = value;
    }

    /**
     * Creates {@code value_increment_locked}.
     *
     * @return the workload.
     */
    public static SharedMemWorkload valueIncrement() {
        return new SharedMemWorkload(true);
    }

    /**
     * Creates {@code array_bulk}.
     *
     * @return the workload.
     */
    public static SharedMemWorkload arrayBulk() {
        return new SharedMemWorkload(false);
    }

    @Override
    public String name() {
        return value ? "value_increment_locked" : "array_bulk";
    }

    @Override
    public String title() {
        return value ? "2 processes each doing M increments of one shared int, under its lock and lock-free"
                : "a child writes a 10 M-element double array in bulk, the parent sums it";
    }

    @Override
    public String idleStrategy() {
        return "none inside the timed work (lock: default shared-lock policy); between rounds children poll with "
                + "parkNanos; Python: Event/pipe waits";
    }

    private int increments(Settings s) {
        return s.quick() ? INCREMENTS / 20 : INCREMENTS;
    }

    private int elements(Settings s) {
        return s.quick() ? ELEMENTS / 100 : ELEMENTS;
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (value) {
            p.put("increments_per_process", increments(settings));
            p.put("processes", PEERS);
            p.put("value", "SharedInt.createWithLock (Python: Value('i') with its RLock)");
            p.put("java_processes", "children started once; one trial = one round");
            p.put("python_processes", "fresh spawn processes per trial, clock from a start Event");
        } else {
            p.put("array_n", elements(settings));
            p.put("array_MB", elements(settings) * 8 / 1e6);
            p.put("write", "SharedDoubleArray.copyFrom(double[]) in a child (Python: memoryview slice assignment "
                    + "into Array('d', n, lock=False))");
            p.put("sum", "plain loop of getPlain in the parent (Python: sum(memoryview))");
        }
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings settings) {
        return value ? Map.of("increments", Integer.toString(increments(settings)))
                : Map.of("n", Integer.toString(elements(settings)));
    }

    @Override
    public List<Comparison> comparisons() {
        if (value) {
            return List.of(
                    new Comparison("increments per second, 2 processes, under the lock", "locked",
                            "2proc_locked_increments_per_s", "2proc_locked_increments_per_s"),
                    new Comparison("increments per second, 2 processes, getAndAdd (Python: under the lock)",
                            "lock-free", "2proc_getandadd_increments_per_s", "2proc_locked_increments_per_s"));
        }
        return List.of(
                new Comparison("child bulk write of the array, GB/s", "write", "child_write_GBps",
                        "child_write_GBps"),
                new Comparison("parent sum of the array, GB/s", "sum", "parent_sum_GBps", "parent_sum_GBps"));
    }

    @Override
    public List<Target> targets() {
        if (!value) {
            return List.of();
        }
        return List.of(
                new Target("locked increments ≥ 20× Python's Value under get_lock() (ratio Python / multiproc4j)",
                        Target.Ref.python("2proc_locked_increments_per_s"),
                        Target.Ref.java("2proc_locked_increments_per_s"), 1.0 / 20, "issue 4"),
                new Target("getAndAdd increments ≥ 100× Python's Value under get_lock() (ratio Python / multiproc4j)",
                        Target.Ref.python("2proc_locked_increments_per_s"),
                        Target.Ref.java("2proc_getandadd_increments_per_s"), 1.0 / 100, "issue 4"));
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        JvmProcess.Options daemon = new JvmProcess.Options().daemon(true);
        control = SharedLongArray.create(STAMPS + 2L * PEERS);
        SharedLongArray ctl = control;
        if (value) {
            counter = SharedInt.createWithLock(0);
            SharedInt c = counter;
            int m = increments(settings);
            for (int i = 0; i < PEERS; i++) {
                int slot = STAMPS + i;
                children.add(JvmProcess.call(() -> valuePeer(c, ctl, slot, m), daemon));
            }
        } else {
            array = SharedDoubleArray.create(elements(settings));
            SharedDoubleArray a = array;
            children.add(JvmProcess.call(() -> arrayPeer(a, ctl), daemon));
        }
        return Map.of();
    }

    /** Waits until the round number differs from {@code seen}; returns it (negative: quit). */
    private static long awaitRound(SharedLongArray ctl, long seen) {
        long since = System.nanoTime();
        long r;
        while ((r = ctl.get(ROUND)) == seen) {
            LockSupport.parkNanos(System.nanoTime() - since < 100_000_000L ? 50_000L : 1_000_000L);
        }
        return r;
    }

    private static long valuePeer(SharedInt counter, SharedLongArray ctl, int slot, int m) {
        SharedReentrantLock lock = counter.lock();
        long seen = 0;
        while (true) {
            long r = awaitRound(ctl, seen);
            if (r < 0) {
                return seen;
            }
            seen = r;
            if (ctl.get(MODE) == LOCKED) {
                for (int i = 0; i < m; i++) {
                    lock.lock();
                    try {
                        counter.set(counter.get() + 1);
                    } finally {
                        lock.unlock();
                    }
                }
            } else {
                for (int i = 0; i < m; i++) {
                    counter.getAndAdd(1);
                }
            }
            ctl.set(slot, System.nanoTime());
            ctl.getAndAdd(DONE, 1);
        }
    }

    private static long arrayPeer(SharedDoubleArray array, SharedLongArray ctl) {
        int n = (int) array.length();
        double[] src = new double[n];
        for (int i = 0; i < n; i++) {
            src[i] = i;
        }
        long seen = 0;
        while (true) {
            long r = awaitRound(ctl, seen);
            if (r < 0) {
                return seen;
            }
            seen = r;
            long t0 = System.nanoTime();
            array.copyFrom(src, 0, 0, n);
            long t1 = System.nanoTime();
            ctl.set(STAMPS, t0);
            ctl.set(STAMPS + 1, t1);
            ctl.getAndAdd(DONE, 1);
        }
    }

    /** Starts a round and waits, parked, until {@code peers} children report it done. */
    private void round(int peers) {
        control.set(DONE, 0);
        control.getAndAdd(ROUND, 1);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (control.get(DONE) < peers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + ": " + control.get(DONE) + " of " + peers
                        + " children finished the round within " + WAIT);
            }
            LockSupport.parkNanos(100_000L);
        }
    }

    @Override
    public void runJava(TrialSet set, Settings settings) throws Exception {
        if (value) {
            int m = increments(settings);
            long expected = (long) PEERS * m;
            for (int mode : new int[] {LOCKED, LOCK_FREE}) {
                String metric = mode == LOCKED ? "2proc_locked_increments_per_s" : "2proc_getandadd_increments_per_s";
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    counter.set(0);
                    control.set(MODE, mode);
                    long t0 = System.nanoTime();
                    round(PEERS);
                    long end = Math.max(control.get(STAMPS), control.get(STAMPS + 1));
                    int got = counter.get();
                    if (got != expected) {
                        throw new IllegalStateException(metric + ": final count " + got + ", expected " + expected);
                    }
                    set.add(metric, expected / ((end - t0) / 1e9), "incr/s", Better.HIGHER);
                });
            }
            return;
        }
        int n = elements(settings);
        double bytes = n * 8.0;
        double expected = (double) n * (n - 1) / 2;
        set.repeat(settings.warmup(), settings.trials(), () -> {
            array.fill(0);
            round(1);
            long a = control.get(STAMPS);
            long b = control.get(STAMPS + 1);
            set.add("child_write_GBps", bytes / (b - a), "GB/s", Better.HIGHER);
            long t0 = System.nanoTime();
            double sum = 0;
            for (long i = 0; i < n; i++) {
                sum += array.getPlain(i);
            }
            long t1 = System.nanoTime();
            if (sum != expected) {
                throw new IllegalStateException("array_bulk: parent sum " + sum + ", expected " + expected);
            }
            set.add("parent_sum_GBps", bytes / (t1 - t0), "GB/s", Better.HIGHER);
        });
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return settings.quick() ? 0.5 : 3;
    }

    @Override
    public void close() {
        if (control != null) {
            control.set(ROUND, -1);
        }
        for (TaskFuture<Long> f : children) {
            try {
                f.get(Duration.ofSeconds(10));
            } catch (Exception e) {
                f.process().kill();
            }
        }
        children.clear();
        for (AutoCloseable c : new AutoCloseable[] {counter, array, control}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        counter = null;
        array = null;
        control = null;
    }
}
