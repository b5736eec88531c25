package org.multiproc4j.benchmarks.sharedmem;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.SharedInt;
import org.multiproc4j.sharedmem.SharedLongArray;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The side-by-side workload {@code value_increment_locked}: two processes each add 1 to one shared
 * {@code int}, {@value #M} times per round, at the same time. The benchmark thread is one process; a child
 * JVM, started once per trial and released by a shared "go" word each round, is the other. The score is
 * nanoseconds per increment over both processes; increments per second = 10<sup>9</sup> / score.
 *
 * <ul>
 *   <li>{@code valueLock}: {@code v.lock().lock(); v.set(v.get() + 1); v.lock().unlock()}: the reentrant
 *       lock of {@link SharedInt#createWithLock(int)}, as Python's {@code with v.get_lock(): v.value += 1}
 *       (Python here: 557–579k increments/s; goal ≥ 20×).</li>
 *   <li>{@code sharedLock}: the same under a non-reentrant {@link SharedLock}.</li>
 *   <li>{@code getAndAdd}: {@code v.getAndAdd(1)}, lock-free (goal ≥ 100× Python's locked rate).</li>
 * </ul>
 *
 * <p>{@link #oneProcess()} is the same loop with no second process, for reference. Waiting: the lock's own
 * (spin, yield, park ≤ 1 ms); the child waits for "go" by spinning, then parking 20 µs. The teardown checks
 * the final count is exact.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ValueIncrementBenchmark {
    /** Increments per process per round. */
    static final int M = 200_000;
    private static final int GO = 0;
    private static final int DONE = 1;

    /** How each increment is made. */
    @Param({"valueLock", "sharedLock", "getAndAdd"})
    public String mode;

    private SharedInt value;
    private SharedLock lock;
    private SharedLongArray control;
    private JvmProcess peer;
    private long expected;

    /** Creates the shared value and starts the peer process. */
    @Setup(Level.Trial)
    public void setUp() {
        value = "valueLock".equals(mode) ? SharedInt.createWithLock(0) : SharedInt.create(0);
        lock = SharedLock.create();
        control = SharedLongArray.create(2);
        String m = mode;
        SharedInt v = value;
        SharedLock l = lock;
        SharedLongArray c = control;
        peer = new JvmProcess(() -> peerLoop(m, v, l, c)).start();
    }

    /**
     * Stops the peer and checks that no increment was lost.
     *
     * @throws InterruptedException if interrupted while joining.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        control.set(GO, -1);
        boolean ended = peer.join(Duration.ofSeconds(10));
        peer.close();
        int seen = value.get();
        value.close();
        lock.close();
        control.close();
        if (!ended || seen != (int) expected) {
            throw new IllegalStateException("value_increment: expected " + expected + ", found " + seen
                    + (ended ? "" : " (the peer did not stop)"));
        }
    }

    static void peerLoop(String mode, SharedInt v, SharedLock l, SharedLongArray c) {
        long seen = 0;
        while (true) {
            long g = awaitChange(c, GO, seen);
            if (g < 0) {
                return;
            }
            seen = g;
            increments(mode, v, l, M);
            c.set(DONE, g);
        }
    }

    static long awaitChange(SharedLongArray c, int index, long seen) {
        int spins = 0;
        long g;
        while ((g = c.get(index)) == seen) {
            if (++spins < 100_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        return g;
    }

    static void increments(String mode, SharedInt v, SharedLock l, int n) {
        switch (mode) {
            case "valueLock":
                lockedIncrements(v, v.lock(), n);
                break;
            case "sharedLock":
                lockedIncrements(v, l, n);
                break;
            default:
                for (int i = 0; i < n; i++) {
                    v.getAndAdd(1);
                }
        }
    }

    private static void lockedIncrements(SharedInt v, Lock lock, int n) {
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                v.set(v.get() + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Both processes make {@value #M} increments at once. */
    @Benchmark
    @OperationsPerInvocation(2 * M)
    public void twoProcesses() {
        long g = control.get(GO) + 1;
        control.set(GO, g);
        increments(mode, value, lock, M);
        awaitChange(control, DONE, g - 1);
        expected += 2L * M;
    }

    /** This process alone makes {@value #M} increments. */
    @Benchmark
    @OperationsPerInvocation(M)
    public void oneProcess() {
        increments(mode, value, lock, M);
        expected += M;
    }
}
