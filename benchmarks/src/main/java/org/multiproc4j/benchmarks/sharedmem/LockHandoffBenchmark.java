package org.multiproc4j.benchmarks.sharedmem;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.SharedLongArray;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;
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
 * Lock hand-off between two processes, and the uncontended cost of a lock.
 *
 * <ul>
 *   <li>{@link #uncontended(Local)}: {@code lock(); unlock()} with nobody else using the lock, for a
 *       {@link SharedLock} and a {@link SharedReentrantLock}.</li>
 *   <li>{@link #roundTrip(Peer)}: the benchmark thread holds the lock while a child JVM waits in
 *       {@code lock()}; the thread unlocks, the child takes the lock, counts and unlocks, the thread takes it
 *       back: two hand-offs per operation. With {@code waiterIdleMicros = 0} the child is still spinning when
 *       the lock is released (a hot hand-off); with 2000 the thread holds the lock 2 ms first (busy), so the
 *       child has parked, and {@code score - 2000 µs} is the time a parked waiter takes to notice (bounded by
 *       its park period, at most 1 ms).</li>
 * </ul>
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LockHandoffBenchmark {
    private static final int SEQ = 0;
    private static final int ACK = 1;
    private static final int STOP = 2;

    /** A lock nobody else uses. */
    @State(Scope.Thread)
    public static class Local {
        /** Which lock. */
        @Param({"lock", "reentrantLock"})
        public String kind;

        java.util.concurrent.locks.Lock lock;

        /** Creates the lock. */
        @Setup(Level.Trial)
        public void setUp() {
            lock = "lock".equals(kind) ? SharedLock.create() : SharedReentrantLock.create();
        }

        /**
         * Removes it.
         *
         * @throws Exception if it cannot be closed.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ((AutoCloseable) lock).close();
        }
    }

    /** A lock shared with a child JVM that takes it whenever it is released. */
    @State(Scope.Benchmark)
    public static class Peer {
        /** How long the benchmark thread holds the lock before releasing it, in microseconds. */
        @Param({"0", "2000"})
        public long waiterIdleMicros;

        SharedLock lock;
        SharedLongArray control;
        JvmProcess child;

        /** Creates the lock and starts the child. */
        @Setup(Level.Trial)
        public void setUp() {
            lock = SharedLock.create();
            control = SharedLongArray.create(3);
            SharedLock l = lock;
            SharedLongArray c = control;
            child = new JvmProcess(() -> childLoop(l, c)).start();
        }

        /**
         * Stops the child.
         *
         * @throws InterruptedException if interrupted while joining.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            control.set(STOP, 1);
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
            boolean ended = child.join(Duration.ofSeconds(10));
            child.close();
            lock.close();
            control.close();
            if (!ended) {
                throw new IllegalStateException("lock hand-off: the child did not stop");
            }
        }
    }

    static void childLoop(SharedLock lock, SharedLongArray control) {
        while (true) {
            lock.lock();
            if (control.get(STOP) != 0) {
                lock.unlock();
                return;
            }
            long s = control.get(SEQ) + 1;
            control.set(SEQ, s);
            lock.unlock();
            ValueIncrementBenchmark.awaitChange(control, ACK, s - 1);
        }
    }

    /**
     * Uncontended {@code lock(); unlock()}.
     *
     * @param local the lock.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void uncontended(Local local) {
        local.lock.lock();
        local.lock.unlock();
    }

    /**
     * Hands the lock to the child and takes it back.
     *
     * @param p the peer.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void roundTrip(Peer p) {
        SharedLock lock = p.lock;
        if (!lock.isHeldByCurrentThread()) {
            lock.lock();
        }
        long s = p.control.get(SEQ);
        if (p.waiterIdleMicros > 0) {
            long until = System.nanoTime() + p.waiterIdleMicros * 1000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        lock.unlock();
        while (p.control.get(SEQ) == s) {
            Thread.onSpinWait();
        }
        lock.lock();
        p.control.set(ACK, s + 1);
    }
}
