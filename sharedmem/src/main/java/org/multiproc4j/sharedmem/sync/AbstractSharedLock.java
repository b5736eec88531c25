package org.multiproc4j.sharedmem.sync;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.agrona.UnsafeApi;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.sharedmem.internal.Backoff;
import org.multiproc4j.sharedmem.internal.LockDescriptor;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.Segment;

/**
 * What {@link SharedLock} and {@link SharedReentrantLock} share: the lock word of {@link LockDescriptor},
 * acquiring, waiting, dead-owner recovery and ownership checks.
 */
abstract class AbstractSharedLock implements Lock, Shareable, AutoCloseable {
    private static final long OWNER_CHECK_INTERVAL_NS = Backoff.CHECK_INTERVAL_NS;

    final Segment segment;
    private final boolean reentrant;
    private long word;
    private volatile long nextTryLockCheck;

    AbstractSharedLock(Segment segment, boolean reentrant) {
        this.segment = segment;
        this.reentrant = reentrant;
        this.word = segment.address(0);
    }

    private long word() {
        long w = word;
        if (w == 0) {
            throw new IllegalStateException(this + " is closed");
        }
        return w;
    }

    private IllegalStateException closedWhileWaiting() {
        return new IllegalStateException(getClass().getSimpleName() + " " + segment.name()
                + " was closed while this thread waited for it");
    }

    // ------------------------------------------------------------------------------------------ Lock

    /**
     * Acquires the lock, waiting as long as it takes. Waiting spins briefly, then parks with growing pauses
     * of up to 1 ms, so a waiter costs almost no CPU; interrupts are remembered and re-asserted on return.
     *
     * @throws OwnerDiedException    if the previous owner died holding the lock: the caller holds it now.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits), or
     *                               (for a {@link SharedLock}) the calling thread holds it already, which
     *                               would deadlock.
     */
    @Override
    public void lock() {
        long w = word();
        if (reentrant && reenter(w)) {
            return;
        }
        if (UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
            acquired(w);
            return;
        }
        try {
            acquireSlow(w, Long.MAX_VALUE, false, true);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible wait was interrupted", e);
        }
    }

    /**
     * Acquires the lock unless the calling thread is interrupted.
     *
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws OwnerDiedException    if the previous owner died holding the lock: the caller holds it now.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits), or
     *                               (for a {@link SharedLock}) the calling thread holds it already.
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long w = word();
        if (reentrant && reenter(w)) {
            return;
        }
        if (UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
            acquired(w);
            return;
        }
        acquireSlow(w, Long.MAX_VALUE, true, true);
    }

    /**
     * Acquires the lock if it is free now. A lock whose owner is dead counts as free, but to keep failing
     * calls cheap the owner is checked at most every 50 ms per lock object.
     *
     * @return {@code true} if the lock was acquired (or, for a reentrant lock, is held by this thread).
     * @throws OwnerDiedException    if the lock was taken from a dead owner: the caller holds it now.
     * @throws IllegalStateException if the lock is closed.
     */
    @Override
    public boolean tryLock() {
        long w = word();
        if (reentrant && reenter(w)) {
            return true;
        }
        long owner = UnsafeApi.getLongVolatile(null, w);
        if (owner == 0 && UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
            acquired(w);
            return true;
        }
        if (owner != 0 && owner != ProcessIdentity.SELF_TOKEN) {
            long now = System.nanoTime();
            if (now - nextTryLockCheck >= 0) {
                nextTryLockCheck = now + OWNER_CHECK_INTERVAL_NS;
                if (!ProcessIdentity.isAlive(owner) && UnsafeApi.compareAndSetLong(null, w, owner, ProcessIdentity.SELF_TOKEN)) {
                    acquired(w);
                    throw recovered(w, owner);
                }
            }
        }
        return false;
    }

    /**
     * Acquires the lock if it becomes free within the timeout.
     *
     * @param time how long to wait at most.
     * @param unit the unit of {@code time}.
     * @return {@code true} if the lock was acquired, {@code false} if the time elapsed first (at once if the
     *         calling thread holds a non-reentrant lock already).
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws OwnerDiedException    if the previous owner died holding the lock: the caller holds it now.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits).
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLockNanos(unit.toNanos(time));
    }

    /**
     * Acquires the lock if it becomes free within the timeout: {@link #tryLock(long, TimeUnit)} with a
     * {@link Duration}.
     *
     * @param timeout how long to wait at most.
     * @return {@code true} if the lock was acquired, {@code false} if the time elapsed first.
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws OwnerDiedException    if the previous owner died holding the lock: the caller holds it now.
     * @throws IllegalStateException if the lock is closed (also by another thread while this one waits).
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLockNanos(saturatedNanos(timeout));
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private boolean tryLockNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long w = word();
        if (reentrant && reenter(w)) {
            return true;
        }
        if (UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
            acquired(w);
            return true;
        }
        return acquireSlow(w, Backoff.deadline(nanos), true, false);
    }

    /**
     * Releases the lock (for a reentrant lock: one hold of it). A thread waiting in another process sees the
     * release when its current spin or park ends (up to about 1 ms if it has waited long).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the lock is closed.
     */
    @Override
    public void unlock() {
        long w = word();
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
     * {@link java.util.concurrent.locks.Condition} that works across processes.
     *
     * @return the condition; close it when done (the last user's close removes it).
     */
    @Override
    public SharedCondition newCondition() {
        return SharedCondition.bind(this);
    }

    // ------------------------------------------------------------------------------------------ queries

    /**
     * Tells whether any thread of any process holds the lock now (a dead owner counts until someone takes
     * the lock over).
     *
     * @return {@code true} if locked.
     */
    public boolean isLocked() {
        return UnsafeApi.getLongVolatile(null, word()) != 0;
    }

    /**
     * Tells whether the calling thread holds the lock.
     *
     * @return {@code true} if it does.
     */
    public boolean isHeldByCurrentThread() {
        long w = word();
        return UnsafeApi.getLongVolatile(null, w) == ProcessIdentity.SELF_TOKEN
                && UnsafeApi.getLong(null, w + LockDescriptor.THREAD_OFFSET) == ProcessIdentity.threadTag();
    }

    /**
     * Returns the pid of the process that holds the lock now.
     *
     * @return the owner's pid, or empty if the lock is free.
     */
    public OptionalLong ownerPid() {
        long owner = UnsafeApi.getLongVolatile(null, word());
        return owner == 0 ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.pid(owner));
    }

    /**
     * Returns the name of the lock's segment, by which {@code attach} finds it.
     *
     * @return the name.
     */
    public String name() {
        return segment.name();
    }

    long recoveries() {
        return UnsafeApi.getLongVolatile(null, word() + LockDescriptor.RECOVERIES_OFFSET);
    }

    // ------------------------------------------------------------------------------------------ machinery

    private boolean reenter(long w) {
        if (UnsafeApi.getLongVolatile(null, w) == ProcessIdentity.SELF_TOKEN
                && UnsafeApi.getLong(null, w + LockDescriptor.THREAD_OFFSET) == ProcessIdentity.threadTag()) {
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

    private void release(long w) {
        UnsafeApi.putLong(null, w + LockDescriptor.THREAD_OFFSET, 0);
        UnsafeApi.putLongRelease(null, w + LockDescriptor.OWNER_OFFSET, 0);
    }

    private OwnerDiedException recovered(long w, long deadOwner) {
        UnsafeApi.getAndAddLong(null, w + LockDescriptor.RECOVERIES_OFFSET, 1);
        UnsafeApi.putLongVolatile(null, w + LockDescriptor.LAST_DEAD_PID_OFFSET, ProcessIdentity.pid(deadOwner));
        return new OwnerDiedException(getClass().getSimpleName() + " " + name(), name(), ProcessIdentity.pid(deadOwner));
    }

    /**
     * Waits for the lock.
     *
     * @return {@code false} if the deadline passed.
     */
    private boolean acquireSlow(long w, long deadline, boolean interruptible, boolean failOnSelfDeadlock)
            throws InterruptedException {
        Backoff backoff = new Backoff();
        boolean interrupted = false;
        try {
            while (true) {
                if (segment.isClosed()) {
                    throw closedWhileWaiting(); // before touching the word: see close()
                }
                long owner = UnsafeApi.getLongVolatile(null, w);
                if (owner == 0) {
                    if (UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
                        acquired(w);
                        return true;
                    }
                    continue;
                }
                if (owner == ProcessIdentity.SELF_TOKEN && !reentrant
                        && UnsafeApi.getLong(null, w + LockDescriptor.THREAD_OFFSET) == ProcessIdentity.threadTag()) {
                    if (failOnSelfDeadlock) {
                        throw new IllegalStateException(this + " is already held by this thread and is not reentrant: "
                                + "lock() would wait forever (use SharedReentrantLock to lock it again)");
                    }
                    return false;
                }
                if (backoff.shouldCheck() && owner != ProcessIdentity.SELF_TOKEN && !ProcessIdentity.isAlive(owner)) {
                    if (UnsafeApi.compareAndSetLong(null, w, owner, ProcessIdentity.SELF_TOKEN)) {
                        acquired(w);
                        throw recovered(w, owner);
                    }
                    continue;
                }
                if (Backoff.expired(deadline)) {
                    return false;
                }
                backoff.idle(deadline);
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void requireHeld(long w, String what) {
        long owner = UnsafeApi.getLongVolatile(null, w);
        if (owner != ProcessIdentity.SELF_TOKEN || UnsafeApi.getLong(null, w + LockDescriptor.THREAD_OFFSET) != ProcessIdentity.threadTag()) {
            throw new IllegalMonitorStateException(what + " of " + this + " by a thread that does not hold it ("
                    + (owner == 0 ? "it is not locked" : "it is held by " + (owner == ProcessIdentity.SELF_TOKEN
                    ? "another thread of this process" : "pid " + ProcessIdentity.pid(owner))) + ")");
        }
    }

    /** For conditions: checks the caller holds the lock. */
    void requireHeld(String what) {
        requireHeld(word(), what);
    }

    /** For conditions: releases every hold and returns how many there were. */
    long fullyRelease() {
        long w = word();
        requireHeld(w, "await");
        long holds = reentrant ? UnsafeApi.getLong(null, w + LockDescriptor.HOLDS_OFFSET) : 1;
        if (reentrant) {
            UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, 0);
        }
        release(w);
        return holds;
    }

    /** For conditions: takes the lock back, uninterruptibly, with the holds it had. */
    void reacquire(long holds) {
        long w = word();
        try {
            if (!UnsafeApi.compareAndSetLong(null, w, 0, ProcessIdentity.SELF_TOKEN)) {
                acquireSlow(w, Long.MAX_VALUE, false, true);
            } else {
                acquired(w);
            }
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible wait was interrupted", e);
        } finally {
            if (reentrant && UnsafeApi.getLongVolatile(null, w) == ProcessIdentity.SELF_TOKEN) {
                UnsafeApi.putLong(null, w + LockDescriptor.HOLDS_OFFSET, holds);
            }
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
     * within their current pause (at most about 1 ms) and throw {@link IllegalStateException}; every later
     * call throws it at once. A call racing with the close (one that found the lock open just before) may
     * still complete: the memory stays mapped until this object is unreachable, so no call ever touches
     * unmapped memory. Closing does not unlock: a thread of this process that holds the lock keeps it (for
     * other processes) and can no longer unlock it, so close a lock only when no thread of this process holds
     * it.
     */
    @Override
    public void close() {
        word = 0;
        segment.close();
    }

    /**
     * Returns the descriptor this lock travels as to a child JVM: its name. Until the handle is attached, or
     * its recipient is named ({@link #handedOver}) and dies, the lock stays attachable.
     *
     * @return the handle; attaching it gives the same lock.
     * @throws IllegalStateException if the lock is closed.
     */
    @Override
    public Handle handle() {
        return new SyncHandle(segment.kind(), name(), segment.sending());
    }

    /**
     * Keeps the lock attachable for the process a task carrying its handle was sent to, until that process
     * attaches it or dies ({@code null}: the task will never arrive, nothing is kept). Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
    }

    /**
     * Describes the lock and its state.
     *
     * @return e.g. {@code SharedLock[mp4j-4242-1f3a-2, locked by pid 4243]}.
     */
    @Override
    public String toString() {
        String state;
        long w = word;
        if (w == 0) {
            state = "closed";
        } else {
            long owner = UnsafeApi.getLongVolatile(null, w);
            state = owner == 0 ? "unlocked" : "locked by pid " + ProcessIdentity.pid(owner);
        }
        return getClass().getSimpleName() + "[" + segment.name() + ", " + state + "]";
    }
}
