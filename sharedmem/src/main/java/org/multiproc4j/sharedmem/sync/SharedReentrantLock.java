package org.multiproc4j.sharedmem.sync;

import java.util.Objects;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.IdlePolicy;
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
 * <p><b>Memory consistency effects.</b> As for {@link SharedLock}: actions prior to the unlock that frees the
 * lock happen-before actions subsequent to a later successful lock of it, in any process (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>Failure.</b> A lock taken over from a dead owner is held once by the new owner, whatever the dead
 * owner's count was, and {@link #ownerDied()} says so until that hold (with any taken on top of it) is
 * released.
 */
public final class SharedReentrantLock extends AbstractSharedLock {

    private SharedReentrantLock(Segment segment, IdlePolicy idle) {
        super(segment, true, idle);
    }

    /**
     * Creates a new, unlocked reentrant lock in its own shared segment, whose waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedReentrantLock create() {
        return create(IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a new, unlocked reentrant lock in its own shared segment, whose waiters idle as {@code idle} says
     * (in every process the lock's handle reaches; one attached by name uses the default).
     *
     * @param idle how waiting threads idle.
     * @return the lock; this process is its creator, and its {@link #close()} removes it.
     * @throws NullPointerException  if {@code idle} is {@code null}.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedReentrantLock create(IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        return new SharedReentrantLock(Segment.create(null, SegmentDescriptor.KIND_REENTRANT_LOCK,
                LockDescriptor.VERSION, LockDescriptor.LENGTH, null), idle);
    }

    /**
     * Attaches a reentrant lock created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param name the lock's name ({@link #name()}).
     * @return the lock.
     * @throws SharedMemoryException if there is no such segment or it is not a {@code SharedReentrantLock}.
     */
    public static SharedReentrantLock attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedReentrantLock attach(String name, IdlePolicy idle) {
        return new SharedReentrantLock(Segment.attach(name, SegmentDescriptor.KIND_REENTRANT_LOCK,
                LockDescriptor.VERSION, "a SharedReentrantLock"), idle);
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
