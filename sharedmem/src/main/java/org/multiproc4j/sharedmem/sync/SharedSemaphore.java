package org.multiproc4j.sharedmem.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.HolderTable;
import org.multiproc4j.sharedmem.internal.HolderTableDescriptor;
import org.multiproc4j.sharedmem.internal.LockWord;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.sharedmem.internal.SemaphoreDescriptor;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}, with the methods of
 * {@link java.util.concurrent.Semaphore}. It holds a number of permits; {@link #acquire()} takes one,
 * waiting until one is available, and {@link #release()} gives one back. Any thread of any process may
 * release, also permits it did not acquire.
 *
 * <pre>{@code
 * try (SharedSemaphore slots = SharedSemaphore.create(2)) {      // at most two processes at once
 *     List<JvmProcess> users = new ArrayList<>();
 *     for (int i = 0; i < 5; i++) {
 *         users.add(new JvmProcess(() -> {
 *             slots.acquire();
 *             try {
 *                 Thread.sleep(100);                             // use the scarce resource
 *             } finally {
 *                 slots.release();
 *             }
 *         }).start());
 *     }
 *     for (JvmProcess u : users) {
 *         u.join();
 *     }
 * }
 * }</pre>
 *
 * <p>Waiting follows the semaphore's {@link IdlePolicy}, as for {@link SharedLock} (by default it spins
 * briefly, then parks with pauses that grow to 1 ms); a waiter that has parked sees a release within its
 * current pause. The semaphore is not fair.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the semaphore.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to a {@code release} happen-before actions
 * subsequent to a successful {@code acquire} that takes the permit, in any thread of any process (both are
 * atomic operations on the shared permit count): see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> Each process's net holding (permits acquired less permits released) is recorded in the
 * semaphore. When a process dies without closing the semaphore ({@code kill -9}, a crash), a waiter gives its
 * net holding back within 10 ms of waiting (it looks for dead holders every 10 ms), so survivors proceed (a bounded semaphore never
 * rises above its bound this way). A process that closes the semaphore, as a child does when its task ends,
 * has its holding counted as consumed: a permit acquired as a signal and never released is not given back.
 * Up to 128 processes can hold permits at once (slots of dead processes are reused).
 */
public class SharedSemaphore extends SyncObject {
    private final HolderTable holders;
    private final boolean bounded;
    private final long bound;
    private volatile long nextTryCheck;

    SharedSemaphore(Segment segment, IdlePolicy idle) {
        super(segment, idle);
        this.bounded = UnsafeApi.getInt(null, segment.headerAddress(SemaphoreDescriptor.BOUNDED_OFFSET)) != 0;
        this.bound = bounded ? UnsafeApi.getLong(null, segment.headerAddress(SemaphoreDescriptor.BOUND_OFFSET)) : Long.MAX_VALUE;
        int slots = UnsafeApi.getInt(null, segment.headerAddress(SemaphoreDescriptor.SLOTS_OFFSET));
        this.holders = new HolderTable(segment, SemaphoreDescriptor.TABLE_OFFSET, slots,
                getClass().getSimpleName() + " " + segment.name());
    }

    /**
     * Creates a semaphore with the given number of permits (Python's {@code Semaphore(value)}), whose waiters
     * idle as {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param permits the initial permits, not negative.
     * @return the semaphore; this process is its creator.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedSemaphore create(int permits) {
        return create(permits, IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a semaphore with the given number of permits, whose waiters idle as {@code idle} says (in every
     * process the semaphore's handle reaches; one attached by name uses the default).
     *
     * @param permits the initial permits, not negative.
     * @param idle    how waiting threads idle.
     * @return the semaphore; this process is its creator.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws NullPointerException     if {@code idle} is {@code null}.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedSemaphore create(int permits, IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        return new SharedSemaphore(newSegment(permits, false), idle);
    }

    static Segment newSegment(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore permits must not be negative: permits=" + permits);
        }
        int slots = HolderTableDescriptor.DEFAULT_SLOTS;
        return Segment.create(null, SegmentDescriptor.KIND_SEMAPHORE, SemaphoreDescriptor.VERSION,
                SemaphoreDescriptor.length(slots), s -> {
                    UnsafeApi.putInt(null, s.headerAddress(SemaphoreDescriptor.BOUNDED_OFFSET), bounded ? 1 : 0);
                    UnsafeApi.putInt(null, s.headerAddress(SemaphoreDescriptor.SLOTS_OFFSET), slots);
                    UnsafeApi.putLong(null, s.headerAddress(SemaphoreDescriptor.BOUND_OFFSET), permits);
                    UnsafeApi.putLong(null, s.headerAddress(SemaphoreDescriptor.INITIAL_OFFSET), permits);
                    UnsafeApi.putLong(null, s.address(SemaphoreDescriptor.PERMITS_OFFSET), permits);
                });
    }

    /**
     * Attaches a semaphore created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says. A bounded semaphore is returned as a
     * {@link SharedBoundedSemaphore}.
     *
     * @param name the semaphore's name ({@link #name()}).
     * @return the semaphore.
     * @throws SharedMemoryException if there is no such segment or it is not a semaphore.
     */
    public static SharedSemaphore attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedSemaphore attach(String name, IdlePolicy idle) {
        Segment s = Segment.attach(name, SegmentDescriptor.KIND_SEMAPHORE, SemaphoreDescriptor.VERSION, "a SharedSemaphore");
        boolean isBounded = UnsafeApi.getInt(null, s.headerAddress(SemaphoreDescriptor.BOUNDED_OFFSET)) != 0;
        return isBounded ? new SharedBoundedSemaphore(s, idle) : new SharedSemaphore(s, idle);
    }

    // ------------------------------------------------------------------------------------------ acquire

    /**
     * Takes a permit, waiting until one is available.
     *
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws IllegalStateException if the semaphore is closed (also by another thread while this one waits).
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Takes {@code n} permits at once, waiting until that many are available.
     *
     * @param n how many, not negative.
     * @throws InterruptedException     if the thread is interrupted before or while waiting.
     * @throws IllegalArgumentException if {@code n} is negative.
     * @throws IllegalStateException    if the semaphore is closed (also by another thread while this one
     *                                  waits).
     */
    public void acquire(int n) throws InterruptedException {
        checkCount(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryTake(permits(), n)) {
            acquireSlow(n, Deadlines.NEVER);
        }
    }

    /**
     * Takes a permit if one is available now.
     *
     * @return {@code true} if it took one.
     * @throws IllegalStateException if the semaphore is closed.
     */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code n} permits if that many are available now. Permits held by dead processes count as
     * available, but to keep failing calls cheap they are looked for at most every
     * {@value LockWord#LIVENESS_CHECK_NANOS} ns per object.
     *
     * @param n how many, not negative.
     * @return {@code true} if it took them.
     * @throws IllegalArgumentException if {@code n} is negative.
     * @throws IllegalStateException    if the semaphore is closed.
     */
    public boolean tryAcquire(int n) {
        checkCount(n);
        long p = permits();
        if (tryTake(p, n)) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextTryCheck >= 0) {
            nextTryCheck = now + LockWord.LIVENESS_CHECK_NANOS;
            if (recoverDead() > 0) {
                return tryTake(p, n);
            }
        }
        return false;
    }

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait.
     * @return {@code true} if it took one, {@code false} if the time elapsed.
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws IllegalStateException if the semaphore is closed (also by another thread while this one waits).
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Takes {@code n} permits, waiting at most {@code timeout} for that many.
     *
     * @param n       how many, not negative.
     * @param timeout the longest wait.
     * @return {@code true} if it took them, {@code false} if the time elapsed.
     * @throws InterruptedException     if the thread is interrupted before or while waiting.
     * @throws IllegalArgumentException if {@code n} is negative.
     * @throws IllegalStateException    if the semaphore is closed (also by another thread while this one
     *                                  waits).
     */
    public boolean tryAcquire(int n, Duration timeout) throws InterruptedException {
        return tryAcquireUntil(n, Deadlines.of(timeout));
    }

    /**
     * Takes a permit, waiting at most the given time.
     *
     * @param timeout the longest wait.
     * @param unit    the unit of {@code timeout}.
     * @return {@code true} if it took one, {@code false} if the time elapsed.
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws IllegalStateException if the semaphore is closed (also by another thread while this one waits).
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquireUntil(1, Deadlines.of(timeout, unit));
    }

    /**
     * Takes {@code n} permits, waiting at most the given time for that many.
     *
     * @param n       how many, not negative.
     * @param timeout the longest wait.
     * @param unit    the unit of {@code timeout}.
     * @return {@code true} if it took them, {@code false} if the time elapsed.
     * @throws InterruptedException     if the thread is interrupted before or while waiting.
     * @throws IllegalArgumentException if {@code n} is negative.
     * @throws IllegalStateException    if the semaphore is closed (also by another thread while this one
     *                                  waits).
     */
    public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquireUntil(n, Deadlines.of(timeout, unit));
    }

    private boolean tryAcquireUntil(int n, long deadline) throws InterruptedException {
        checkCount(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryTake(permits(), n)) {
            return true;
        }
        return acquireSlow(n, deadline);
    }

    private boolean tryTake(long p, int n) {
        while (true) {
            long available = UnsafeApi.getLongVolatile(null, p);
            if (available < n) {
                return false;
            }
            if (UnsafeApi.compareAndSetLong(null, p, available, available - n)) {
                if (n > 0) {
                    holders.add(n);
                }
                return true;
            }
        }
    }

    private boolean acquireSlow(int n, long deadline) throws InterruptedException {
        long p = permits();
        IdleStrategy strategy = idle.newIdleStrategy();
        long nextCheck = System.nanoTime() + LockWord.LIVENESS_CHECK_NANOS;
        while (true) {
            if (segment.isClosed()) {
                throw closedWhileWaiting();
            }
            if (tryTake(p, n)) {
                return true;
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + LockWord.LIVENESS_CHECK_NANOS;
                if (recoverDead() > 0) {
                    continue;
                }
            }
            if (deadline != Deadlines.NEVER && now - deadline >= 0) {
                return false;
            }
            strategy.idle();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Gives back what dead processes held; returns how many permits it gave back. */
    private long recoverDead() {
        long p = permits();
        long[] given = new long[1];
        holders.recoverDead((token, count, generation) -> {
            if (count <= 0) {
                return;
            }
            while (true) {
                long available = UnsafeApi.getLongVolatile(null, p);
                long back = Math.min(count, bound - available);
                if (back <= 0) {
                    return;
                }
                if (UnsafeApi.compareAndSetLong(null, p, available, available + back)) {
                    UnsafeApi.getAndAddLong(null, segment.address(SemaphoreDescriptor.RECOVERED_OFFSET), back);
                    given[0] += back;
                    return;
                }
            }
        });
        return given[0];
    }

    // ------------------------------------------------------------------------------------------ release

    /**
     * Gives a permit back, waking a waiter of any process.
     *
     * @throws IllegalStateException if the semaphore is closed, or it is bounded and the release would take
     *                               it above its initial permits.
     */
    public void release() {
        release(1);
    }

    /**
     * Gives {@code n} permits back.
     *
     * @param n how many, not negative.
     * @throws IllegalArgumentException if {@code n} is negative.
     * @throws IllegalStateException    if the semaphore is closed, or it is bounded and the release would take
     *                                  it above its initial permits.
     */
    public void release(int n) {
        checkCount(n);
        long p = permits();
        if (n == 0) {
            return;
        }
        holders.add(-n);
        while (true) {
            long available = UnsafeApi.getLongVolatile(null, p);
            if (available + n > bound) {
                holders.add(n);
                throw new IllegalStateException(getClass().getSimpleName() + " " + segment.name()
                        + " released too many times: permits would be " + (available + n) + ", bound is " + bound);
            }
            if (UnsafeApi.compareAndSetLong(null, p, available, available + n)) {
                return;
            }
        }
    }

    /**
     * Returns the number of permits available now.
     *
     * @return the permits.
     * @throws IllegalStateException if the semaphore is closed.
     */
    public int availablePermits() {
        return (int) Math.min(Integer.MAX_VALUE, UnsafeApi.getLongVolatile(null, permits()));
    }

    /**
     * Takes every permit available now.
     *
     * @return how many it took.
     * @throws IllegalStateException if the semaphore is closed.
     */
    public int drainPermits() {
        long p = permits();
        while (true) {
            long available = UnsafeApi.getLongVolatile(null, p);
            if (available <= 0) {
                return 0;
            }
            int n = (int) Math.min(Integer.MAX_VALUE, available);
            if (UnsafeApi.compareAndSetLong(null, p, available, available - n)) {
                holders.add(n);
                return n;
            }
        }
    }

    long recoveredPermits() {
        return UnsafeApi.getLongVolatile(null, segment.address(SemaphoreDescriptor.RECOVERED_OFFSET));
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permit count must not be negative: n=" + n);
        }
    }

    /**
     * Closes the semaphore in this process; the close that leaves no live process using it also removes its name (see the
     * lifetime rule in the {@linkplain org.multiproc4j.sharedmem package summary}). The permits this process
     * holds at that moment
     * (acquired and not released) count as consumed: they are not given back. Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> Threads of this process waiting in an {@code acquire} when the semaphore
     * is closed wake within their current pause (at most the idle policy's longest park, 1 ms by default) and throw {@link IllegalStateException};
     * every later call throws it at once. A call racing with the close may still complete (an acquire that
     * does counts as consumed): the memory stays mapped until this object is unreachable, so no call ever
     * touches unmapped memory.
     */
    @Override
    public void close() {
        super.close();
    }

    @Override
    void closing() {
        holders.close();
    }

    /** The address of the permit count (the state's first word). */
    private long permits() {
        return base() + SemaphoreDescriptor.PERMITS_OFFSET;
    }

    /**
     * Describes the semaphore.
     *
     * @return e.g. {@code SharedSemaphore[mp4j-4242-1f3a-4, permits=2]}.
     */
    @Override
    public String toString() {
        long p = base;
        return getClass().getSimpleName() + "[" + segment.name() + ", "
                + (p == 0 ? "closed" : "permits=" + UnsafeApi.getLongVolatile(null, p + SemaphoreDescriptor.PERMITS_OFFSET)) + (bounded ? ", bound=" + bound : "") + "]";
    }
}
