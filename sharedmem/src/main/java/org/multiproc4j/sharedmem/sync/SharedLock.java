package org.multiproc4j.sharedmem.sync;

import java.util.Objects;

import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.LockDescriptor;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A mutual-exclusion lock shared by processes: Python's {@code multiprocessing.Lock} as a
 * {@link java.util.concurrent.locks.Lock}, that survives the death of its holder.
 *
 * <pre>{@code
 * try (SharedLock lock = SharedLock.create(); SharedLong total = SharedLong.create(0)) {
 *     JvmProcess child = new JvmProcess(() -> {
 *         lock.lock();
 *         try {
 *             total.set(total.get() + 1);   // a compound update, one process at a time
 *         } finally {
 *             lock.unlock();
 *         }
 *     }).start();
 *     lock.lock();
 *     try {
 *         total.set(total.get() + 1);
 *     } finally {
 *         lock.unlock();
 *     }
 *     child.join();
 *     System.out.println(total.get());      // 2
 * }
 * }</pre>
 *
 * <p>The lock is one word in a shared segment. Taking a free lock is a compare-and-set (some nanoseconds);
 * a waiter waits as its {@link IdlePolicy} says (by default it spins about 2 µs, yields up to 100 µs, then
 * parks with pauses growing to 1 ms), so it costs almost no CPU, and sees a release within a fraction of a
 * microsecond while it spins, within its current pause once it has parked. The lock is not fair: a thread may
 * barge ahead of waiters.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the lock (created it, attached it, or received it captured in a task). The lock is owned by a thread: only
 * the holding thread may {@link #unlock()} it (unlike Python's {@code Lock}, which any process may release;
 * use a {@link SharedSemaphore} of one permit for that). It is not reentrant: a thread that calls
 * {@link #lock()} while holding it gets an {@link IllegalStateException} instead of a deadlock
 * ({@link #tryLock()} returns {@code false}); use {@link SharedReentrantLock} to lock again.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to {@link #unlock()} happen-before actions
 * subsequent to a later successful {@link #lock()} (or {@code tryLock}) of the same lock in any thread of any
 * process, as for {@link java.util.concurrent.locks.ReentrantLock} (the release is a release store and the
 * acquisition a compare-and-set of the lock word): see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure: a holder that dies.</b> If the holder's process dies (even by {@code kill -9}), the lock is
 * not lost: a waiter checks the holder's pid and start time every 10 ms of its wait and, finding it dead, takes
 * the lock over, so survivors proceed within about 10 ms of the death. The acquiring method then returns
 * normally, holding the lock, exactly as for a free lock (so the usual {@code lock(); try { ... } finally
 * { unlock(); }} releases it), and {@link #ownerDied()} tells the new holder, until it unlocks, that the state
 * the lock protects may be half-updated:
 *
 * <pre>{@code
 * try (SharedLock lock = SharedLock.create(); SharedLong balance = SharedLong.create(100)) {
 *     new JvmProcess(() -> {
 *         lock.lock();
 *         balance.set(-1);                        // half an update...
 *         Runtime.getRuntime().halt(1);           // ...and the holder dies
 *     }).start().join();
 *     lock.lock();
 *     try {
 *         if (lock.ownerDied()) {
 *             balance.set(100);                   // the previous holder died mid-update: repair the state
 *         }
 *         balance.set(balance.get() - 10);        // update it
 *     } finally {
 *         lock.unlock();
 *     }
 *     System.out.println(balance.get());          // 90
 * }
 * }</pre>
 *
 * <p>This is the robust mutex of POSIX ({@code EOWNERDEAD}) without its exception path. Python's
 * {@code multiprocessing.Lock} has none: a process killed while holding it deadlocks every other process. Using
 * the lock after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SharedLock extends AbstractSharedLock {

    private SharedLock(Segment segment, IdlePolicy idle) {
        super(segment, false, idle);
    }

    /**
     * Creates a new, unlocked lock in its own shared segment, whose waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedLock create() {
        return create(IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a new, unlocked lock in its own shared segment, whose waiters idle as {@code idle} says (in every
     * process the lock's handle reaches; one attached by name uses the default).
     *
     * @param idle how waiting threads idle.
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws NullPointerException  if {@code idle} is {@code null}.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedLock create(IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        return new SharedLock(Segment.create(null, SegmentDescriptor.KIND_LOCK, LockDescriptor.VERSION,
                LockDescriptor.LENGTH, null), idle);
    }

    /**
     * Attaches a lock created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param name the lock's name ({@link #name()}).
     * @return the lock.
     * @throws SharedMemoryException if there is no such segment or it is not a {@code SharedLock}.
     */
    public static SharedLock attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedLock attach(String name, IdlePolicy idle) {
        return new SharedLock(Segment.attach(name, SegmentDescriptor.KIND_LOCK, LockDescriptor.VERSION, "a SharedLock"),
                idle);
    }
}
