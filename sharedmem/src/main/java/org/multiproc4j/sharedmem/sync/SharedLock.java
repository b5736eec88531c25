package org.multiproc4j.sharedmem.sync;

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
 * a waiter spins briefly, then parks with pauses growing to 1 ms, so it costs almost no CPU, and sees a
 * release within a fraction of a microsecond while it spins, within its current pause (at most about 1 ms)
 * once it has parked. The lock is not fair: a thread may barge ahead of waiters.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the lock (created it, attached it, or received it captured in a task). The lock is owned by a thread: only
 * the holding thread may {@link #unlock()} it (unlike Python's {@code Lock}, which any process may release;
 * use a {@link SharedSemaphore} of one permit for that). It is not reentrant: a thread that calls
 * {@link #lock()} while holding it gets an {@link IllegalStateException} instead of a deadlock
 * ({@link #tryLock()} returns {@code false}); use {@link SharedReentrantLock} to lock again.
 *
 * <p><b>Memory consistency effects.</b> Writes to shared memory made by a thread of one process before it
 * calls {@link #unlock()} are visible to a thread of any process once that thread returns from a later
 * successful {@link #lock()} (or {@code tryLock}) of the same lock: the release is a release-store and the
 * acquisition a compare-and-set of the lock word, as for {@link java.util.concurrent.locks.ReentrantLock}.
 *
 * <p><b>Failure.</b> If the holder's process dies (even by {@code kill -9}), the lock is not lost: a waiter
 * that has parked checks the holder's pid and start time (once when it starts parking, then every 50 ms)
 * and, finding it dead, takes the lock over and gets an {@link OwnerDiedException}, holding the lock; the
 * state it protects may be half-updated. So survivors proceed within about 0.1 s of the death. Using the
 * lock after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SharedLock extends AbstractSharedLock {

    private SharedLock(Segment segment) {
        super(segment, false);
    }

    /**
     * Creates a new, unlocked lock in its own shared segment.
     *
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedLock create() {
        return new SharedLock(Segment.create(null, SegmentDescriptor.KIND_LOCK, LockDescriptor.VERSION,
                LockDescriptor.LENGTH, null));
    }

    /**
     * Attaches a lock created by another process (or this one), by name.
     *
     * @param name the lock's name ({@link #name()}).
     * @return the lock.
     * @throws SharedMemoryException if there is no such segment or it is not a {@code SharedLock}.
     */
    public static SharedLock attach(String name) {
        return new SharedLock(Segment.attach(name, SegmentDescriptor.KIND_LOCK, LockDescriptor.VERSION, "a SharedLock"));
    }
}
