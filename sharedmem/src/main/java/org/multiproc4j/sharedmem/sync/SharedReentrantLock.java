package org.multiproc4j.sharedmem.sync;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.LockDescriptor;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A reentrant mutual-exclusion lock shared by processes: Python's {@code multiprocessing.RLock} as a
 * {@link java.util.concurrent.locks.Lock}. The thread that holds it may lock it again; it is free once that
 * thread has unlocked it as many times. It is the lock of shared values and arrays created "with a lock"
 * (Python's default {@code Value(..., lock=True)}).
 *
 * <pre>{@code
 * try (SharedReentrantLock lock = SharedReentrantLock.create()) {
 *     lock.lock();
 *     try {
 *         lock.lock();          // again: no deadlock
 *         lock.unlock();
 *     } finally {
 *         lock.unlock();
 *     }
 * }
 * }</pre>
 *
 * <p>Everything said of {@link SharedLock} holds here (how waiting works and what it costs, process safety,
 * memory consistency, recovery from a dead holder), except reentrancy. The hold count lives in shared memory
 * next to the lock word and is written by the holder only.
 *
 * <p><b>Failure.</b> A lock taken over from a dead owner ({@link OwnerDiedException}) is held once by the
 * new owner, whatever the dead owner's count was.
 */
public final class SharedReentrantLock extends AbstractSharedLock {

    private SharedReentrantLock(Segment segment) {
        super(segment, true);
    }

    /**
     * Creates a new, unlocked reentrant lock in its own shared segment.
     *
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedReentrantLock create() {
        return new SharedReentrantLock(Segment.create(null, SegmentDescriptor.KIND_REENTRANT_LOCK,
                LockDescriptor.VERSION, LockDescriptor.LENGTH, null));
    }

    /**
     * Attaches a reentrant lock created by another process (or this one), by name.
     *
     * @param name the lock's name ({@link #name()}).
     * @return the lock.
     * @throws SharedMemoryException if there is no such segment or it is not a {@code SharedReentrantLock}.
     */
    public static SharedReentrantLock attach(String name) {
        return new SharedReentrantLock(Segment.attach(name, SegmentDescriptor.KIND_REENTRANT_LOCK,
                LockDescriptor.VERSION, "a SharedReentrantLock"));
    }

    /**
     * Returns how many times the calling thread holds the lock.
     *
     * @return the hold count, 0 if the calling thread does not hold it.
     */
    public int holdCount() {
        if (!isHeldByCurrentThread()) {
            return 0;
        }
        long holds = UnsafeApi.getLong(null, segment.address(LockDescriptor.HOLDS_OFFSET));
        return (int) Math.min(Integer.MAX_VALUE, holds);
    }
}
