package org.multiproc4j.sharedmem.sync;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

import org.agrona.UnsafeApi;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.LockDescriptor;
import org.multiproc4j.sharedmem.internal.LockWord;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.Segment;

/**
 * What {@link SharedLock} and {@link SharedReentrantLock} share: the {@link LockWord} of {@link LockDescriptor},
 * acquiring, waiting, dead-owner takeover and ownership checks.
 */
abstract class AbstractSharedLock extends SyncObject implements Lock {
    private final boolean reentrant;
    private final BooleanSupplier closed;
    private volatile long nextTryLockCheck;

    AbstractSharedLock(Segment segment, boolean reentrant, IdlePolicy idle) {
        super(segment, idle);
        this.reentrant = reentrant;
        this.closed = segment::isClosed;
    }

    // ------------------------------------------------------------------------------------------ Lock

    /**
     * Acquires the lock, waiting as long as it takes, and returns holding it, also when the lock was taken over
     * from an owner that died holding it ({@link #ownerDied()} then tells so until the lock is released).
     * Interrupts are remembered and re-asserted on return.
     *
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits), or
     *                               (for a {@link SharedLock}) the calling thread holds it already, which
     *                               would deadlock.
     */
    @Override
    public void lock() {
        long w = base();
        if (reentrant && reenter(w)) {
            return;
        }
        if (LockWord.tryLock(w)) {
            acquired(w);
            return;
        }
        try {
            acquireSlow(w, Deadlines.NEVER, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    /**
     * Acquires the lock unless the calling thread is interrupted, also from an owner that died holding it
     * ({@link #ownerDied()}).
     *
     * @throws InterruptedException  if the thread is interrupted before or while waiting; the lock is not held.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits), or
     *                               (for a {@link SharedLock}) the calling thread holds it already.
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long w = base();
        if (reentrant && reenter(w)) {
            return;
        }
        if (LockWord.tryLock(w)) {
            acquired(w);
            return;
        }
        acquireSlow(w, Deadlines.NEVER, true);
    }

    /**
     * Acquires the lock if it is free now. A lock whose owner is dead counts as free (it is taken over, and
     * {@link #ownerDied()} tells so), but to keep failing calls cheap the owner is checked at most every
     * {@value LockWord#LIVENESS_CHECK_NANOS} ns per lock object.
     *
     * @return {@code true} if the lock was acquired (or, for a reentrant lock, is held by this thread).
     * @throws IllegalStateException if the lock is closed.
     */
    @Override
    public boolean tryLock() {
        long w = base();
        if (reentrant && reenter(w)) {
            return true;
        }
        long owner = LockWord.owner(w);
        if (owner == 0 && LockWord.tryLock(w)) {
            acquired(w);
            return true;
        }
        if (owner != 0 && owner != ProcessIdentity.SELF_TOKEN) {
            long now = System.nanoTime();
            if (now - nextTryLockCheck >= 0) {
                nextTryLockCheck = now + LockWord.LIVENESS_CHECK_NANOS;
                long dead = LockWord.takeOverFromDead(w);
                if (dead != 0) {
                    UnsafeApi.putLong(null, w + LockDescriptor.TAKEN_FROM_OFFSET, dead);
                    tookOver(w);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Acquires the lock if it becomes free within the timeout, also from an owner that died holding it
     * ({@link #ownerDied()}).
     *
     * @param time how long to wait at most.
     * @param unit the unit of {@code time}.
     * @return {@code true} if the lock was acquired, {@code false} if the time elapsed first (at once if the
     *         calling thread holds a non-reentrant lock already).
     * @throws InterruptedException  if the thread is interrupted before or while waiting; the lock is not held.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits).
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLockUntil(Deadlines.of(time, unit));
    }

    /**
     * Acquires the lock if it becomes free within the timeout: {@link #tryLock(long, TimeUnit)} with a
     * {@link Duration}.
     *
     * @param timeout how long to wait at most.
     * @return {@code true} if the lock was acquired, {@code false} if the time elapsed first.
     * @throws InterruptedException  if the thread is interrupted before or while waiting; the lock is not held.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits).
     * @throws NullPointerException  if {@code timeout} is {@code null}.
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLockUntil(Deadlines.of(timeout));
    }

    private boolean tryLockUntil(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long w = base();
        if (reentrant && reenter(w)) {
            return true;
        }
        if (LockWord.tryLock(w)) {
            acquired(w);
            return true;
        }
        return acquireSlow(w, deadline, true);
    }

    /**
     * Releases the lock (for a reentrant lock: one hold of it); the last hold's release also ends what
     * {@link #ownerDied()} reports. A thread waiting in another process sees the release when its current spin or
     * park ends (up to the idle policy's longest park, 1 ms by default, if it has waited long).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the lock is closed.
     */
    @Override
    public void unlock() {
        long w = base();
        requireHeld(w, "unlock");
        if (reentrant) {
            long holds = UnsafeApi.getLong(null, w + LockDescriptor.HOLDS_OFFSET) - 1;
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, Math.max(holds, 0));
            if (holds > 0) {
                return;
            }
        }
        release(w);
    }

    /**
     * Returns a new condition bound to this lock, in its own shared segment: a
     * {@link java.util.concurrent.locks.Condition} that works across processes, waiting with this lock's idle
     * policy.
     *
     * @return the condition; close it when done (the last user's close removes it).
     */
    @Override
    public SharedCondition newCondition() {
        return SharedCondition.bind(this);
    }

    // ------------------------------------------------------------------------------------------ queries

    /**
     * Tells whether the calling thread holds the lock because it took it over from a process that died holding
     * it: the state the lock protects may be half-updated, so check it, and repair it if needed, before relying
     * on it. The answer stays {@code true} while this thread holds the lock (every hold of a reentrant lock) and
     * turns {@code false} when it releases it: a holder that does not look leaves whatever the dead owner left.
     *
     * @return {@code true} if this thread holds the lock and took it from a dead owner; {@code false} if it took
     *         a free lock, or does not hold the lock.
     * @throws IllegalStateException if the lock is closed.
     */
    public boolean ownerDied() {
        long w = base();
        return isHeldByCurrentThread(w) && UnsafeApi.getLong(null, w + LockDescriptor.TAKEN_FROM_OFFSET) != 0;
    }

    /**
     * Tells whether any thread of any process holds the lock now (a dead owner counts until someone takes
     * the lock over).
     *
     * @return {@code true} if locked.
     * @throws IllegalStateException if the lock is closed.
     */
    public boolean isLocked() {
        return LockWord.owner(base()) != 0;
    }

    /**
     * Tells whether the calling thread holds the lock.
     *
     * @return {@code true} if it does.
     * @throws IllegalStateException if the lock is closed.
     */
    public boolean isHeldByCurrentThread() {
        return isHeldByCurrentThread(base());
    }

    private static boolean isHeldByCurrentThread(long w) {
        return LockWord.owner(w) == ProcessIdentity.SELF_TOKEN
                && UnsafeApi.getLong(null, w + LockDescriptor.THREAD_OFFSET) == ProcessIdentity.threadTag();
    }

    /**
     * Returns the pid of the process that holds the lock now.
     *
     * @return the owner's pid, or empty if the lock is free.
     * @throws IllegalStateException if the lock is closed.
     */
    public OptionalLong ownerPid() {
        long owner = LockWord.owner(base());
        return owner == 0 ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.pid(owner));
    }

    long recoveries() {
        return UnsafeApi.getLongVolatile(null, base() + LockDescriptor.RECOVERIES_OFFSET);
    }

    // ------------------------------------------------------------------------------------------ machinery

    private boolean reenter(long w) {
        if (isHeldByCurrentThread(w)) {
            long holds = UnsafeApi.getLong(null, w + LockDescriptor.HOLDS_OFFSET);
            if (holds == Long.MAX_VALUE) {
                throw new Error("maximum lock count exceeded");
            }
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, holds + 1);
            return true;
        }
        return false;
    }

    private void acquired(long w) {
        UnsafeApi.putLong(null, w + LockDescriptor.THREAD_OFFSET, ProcessIdentity.threadTag());
        if (reentrant) {
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, 1);
        }
    }

    /** Records a takeover ("taken from" was written with the word): the new holder may have to repair. */
    private void tookOver(long w) {
        acquired(w);
        UnsafeApi.getAndAddLong(null, w + LockDescriptor.RECOVERIES_OFFSET, 1);
    }

    private void release(long w) {
        UnsafeApi.putLong(null, w + LockDescriptor.TAKEN_FROM_OFFSET, 0);
        UnsafeApi.putLong(null, w + LockDescriptor.THREAD_OFFSET, 0);
        LockWord.unlock(w + LockDescriptor.OWNER_OFFSET);
    }

    /**
     * Waits for the lock; the fast attempts were made.
     *
     * @return {@code false} if the deadline passed (or, with a deadline, the calling thread holds this
     *         non-reentrant lock already).
     */
    private boolean acquireSlow(long w, long deadline, boolean interruptible) throws InterruptedException {
        if (!reentrant && isHeldByCurrentThread(w)) {
            if (deadline == Deadlines.NEVER) {
                throw new IllegalStateException(this + " is already held by this thread and is not reentrant: "
                        + "lock() would wait forever (use SharedReentrantLock to lock it again)");
            }
            return false;
        }
        LockWord.Acquired got = LockWord.lock(w, idle.newIdleStrategy(), deadline, closed, interruptible,
                w + LockDescriptor.TAKEN_FROM_OFFSET);
        switch (got) {
            case ACQUIRED:
                acquired(w);
                return true;
            case FROM_DEAD_OWNER:
                tookOver(w);
                return true;
            case TIMED_OUT:
                return false;
            default:
                throw closedWhileWaiting();
        }
    }

    private void requireHeld(long w, String what) {
        if (!isHeldByCurrentThread(w)) {
            long owner = LockWord.owner(w);
            throw new IllegalMonitorStateException(what + " of " + this + " by a thread that does not hold it ("
                    + (owner == 0 ? "it is not locked" : "it is held by " + (owner == ProcessIdentity.SELF_TOKEN
                    ? "another thread of this process" : ProcessIdentity.describe(owner))) + ")");
        }
    }

    /** For conditions: checks the caller holds the lock. */
    void requireHeld(String what) {
        requireHeld(base(), what);
    }

    /** For conditions: releases every hold and returns how many there were. */
    long fullyRelease() {
        long w = base();
        requireHeld(w, "await");
        long holds = reentrant ? UnsafeApi.getLong(null, w + LockDescriptor.HOLDS_OFFSET) : 1;
        if (reentrant) {
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, 0);
        }
        release(w);
        return holds;
    }

    /**
     * For conditions: takes the lock back, uninterruptibly, with the holds it had; a takeover from a dead owner
     * shows in {@link #ownerDied()}.
     */
    void reacquire(long holds) {
        long w = base();
        if (LockWord.tryLock(w)) {
            acquired(w);
        } else {
            try {
                acquireSlow(w, Deadlines.NEVER, false);
            } catch (InterruptedException e) {
                throw new AssertionError("an uninterruptible wait was interrupted", e);
            }
        }
        if (reentrant) {
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, holds);
        }
    }

    boolean isReentrant() {
        return reentrant;
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Closes the lock in this process; the close that leaves no live process using the lock also removes its
     * name (see the lifetime rule in the
     * {@linkplain org.multiproc4j.sharedmem package summary}). Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> Threads of this process that wait for the lock when it is closed wake
     * within their current pause (at most the idle policy's longest park, 1 ms by default) and throw
     * {@link IllegalStateException}; every later call throws it at once. A call racing with the close (one that
     * found the lock open just before) may still complete: the memory stays mapped until this object is
     * unreachable, so no call ever touches unmapped memory. Closing does not unlock: a thread of this process
     * that holds the lock keeps it (for other processes) and can no longer unlock it, so close a lock only when
     * no thread of this process holds it.
     */
    @Override
    public void close() {
        super.close();
    }

    /**
     * Describes the lock and its state.
     *
     * @return e.g. {@code SharedLock[mp4j-4242-1f3a-2, locked by pid 4243]}.
     */
    @Override
    public String toString() {
        String state;
        long w = base;
        if (w == 0) {
            state = "closed";
        } else {
            long owner = LockWord.owner(w);
            state = owner == 0 ? "unlocked" : "locked by " + ProcessIdentity.describe(owner);
        }
        return getClass().getSimpleName() + "[" + segment.name() + ", " + state + "]";
    }
}
