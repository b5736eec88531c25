package org.multiproc4j.sharedmem.sync;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.ConditionDescriptor;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A condition variable shared by processes: Python's {@code multiprocessing.Condition} as a
 * {@link Condition}. Threads of any process that hold its lock may {@link #await()} until another thread
 * (of any process) {@link #signal() signals}.
 *
 * <pre>{@code
 * try (SharedCondition ready = SharedCondition.create();      // with its own SharedReentrantLock
 *      SharedInt count = SharedInt.create(0)) {
 *     JvmProcess consumer = new JvmProcess(() -> {            // in any process
 *         ready.lock().lock();
 *         try {
 *             while (count.get() == 0) {
 *                 if (!ready.await(Duration.ofSeconds(30))) {
 *                     throw new TimeoutException("nothing produced");
 *                 }
 *             }
 *             count.decrementAndGet();
 *         } finally {
 *             ready.lock().unlock();
 *         }
 *     }).start();
 *     ready.lock().lock();                                    // producer, in any process
 *     try {
 *         count.incrementAndGet();
 *         ready.signal();
 *     } finally {
 *         ready.lock().unlock();
 *     }
 *     consumer.join();
 * }
 * }</pre>
 *
 * <p>A waiter releases the lock (every hold of a reentrant lock), waits as a {@link SharedLock} waiter does,
 * with the lock's {@link IdlePolicy} (by default spinning briefly, then parking with pauses of up to 1 ms: a
 * signal is seen within that pause), and takes the lock back before it returns or throws. Spurious wake-ups
 * are possible, as the {@link Condition} contract allows: always wait in a loop that tests the predicate.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the condition; {@code await} and {@code signal} require the calling thread to hold {@link #lock()}.
 *
 * <p><b>Memory consistency effects.</b> Those of the lock: actions prior to a {@code signal} and the unlock
 * that follows it happen-before actions subsequent to the return of an {@code await} woken by it, which takes
 * the lock again, in any process: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> If a holder of the lock dies holding it, the waiter that takes the lock back takes it over,
 * as {@link SharedLock#lock()} does: {@code await} returns (or throws) as it would have, holding the lock, and
 * {@link #ownerDied()} tells the waiter, until it unlocks, to check the state the lock protects. A waiter that
 * dies while waiting may cost one later waiter a spurious wake-up, nothing more; a {@code signal()} given while
 * only dead waiters are counted wakes no one, so prefer {@link #signalAll()} where processes may die.
 */
public final class SharedCondition extends SyncObject implements Condition {
    private final AbstractSharedLock lock;
    private final boolean closesLock;

    private SharedCondition(Segment segment, AbstractSharedLock lock, boolean closesLock) {
        super(segment, lock.idlePolicy());
        this.lock = lock;
        this.closesLock = closesLock;
    }

    /**
     * Creates a condition with a new {@link SharedReentrantLock} of its own (Python's
     * {@code Condition()}); closing the condition closes that lock too.
     *
     * @return the condition; this process is its creator.
     * @throws SharedMemoryException if a segment cannot be created.
     */
    public static SharedCondition create() {
        return create(IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a condition with a new {@link SharedReentrantLock} of its own whose waiters, and the condition's,
     * idle as {@code idle} says (in every process the condition's handle reaches); closing the condition closes
     * that lock too.
     *
     * @param idle how waiting threads idle.
     * @return the condition; this process is its creator.
     * @throws NullPointerException  if {@code idle} is {@code null}.
     * @throws SharedMemoryException if a segment cannot be created.
     */
    public static SharedCondition create(IdlePolicy idle) {
        SharedReentrantLock lock = SharedReentrantLock.create(idle);
        try {
            return new SharedCondition(newSegment(lock), lock, true);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Creates a condition bound to an existing lock (Python's {@code Condition(lock)}), whose waiters idle as the
     * lock's do; closing the condition leaves the lock open.
     *
     * @param lock the lock.
     * @return the condition; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedCondition create(SharedLock lock) {
        return bind(lock);
    }

    /**
     * Creates a condition bound to an existing reentrant lock, whose waiters idle as the lock's do; closing the
     * condition leaves the lock open.
     *
     * @param lock the lock.
     * @return the condition; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedCondition create(SharedReentrantLock lock) {
        return bind(lock);
    }

    static SharedCondition bind(AbstractSharedLock lock) {
        return new SharedCondition(newSegment(lock), lock, false);
    }

    private static Segment newSegment(AbstractSharedLock lock) {
        String lockName = lock.name();
        int lockKind = lock.segment.kind();
        return Segment.create(null, SegmentDescriptor.KIND_CONDITION, ConditionDescriptor.VERSION, ConditionDescriptor.LENGTH,
                s -> {
                    UnsafeApi.putInt(null, s.headerAddress(ConditionDescriptor.LOCK_KIND_OFFSET), lockKind);
                    s.putHeaderString(ConditionDescriptor.LOCK_NAME_LENGTH_OFFSET, ConditionDescriptor.LOCK_NAME_OFFSET,
                            ConditionDescriptor.MAX_LOCK_NAME, lockName);
                });
    }

    /**
     * Attaches a condition created by another process (or this one), by name, together with its lock; their
     * waiters idle as {@link IdlePolicy#defaultPolicy()} says. Closing it closes the lock attached with it.
     *
     * @param name the condition's name ({@link #name()}).
     * @return the condition.
     * @throws SharedMemoryException if there is no such segment, it is not a condition, or its lock is gone.
     */
    public static SharedCondition attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedCondition attach(String name, IdlePolicy idle) {
        Segment s = Segment.attach(name, SegmentDescriptor.KIND_CONDITION, ConditionDescriptor.VERSION, "a SharedCondition");
        try {
            int lockKind = UnsafeApi.getInt(null, s.headerAddress(ConditionDescriptor.LOCK_KIND_OFFSET));
            String lockName = s.headerString(ConditionDescriptor.LOCK_NAME_LENGTH_OFFSET, ConditionDescriptor.LOCK_NAME_OFFSET,
                    ConditionDescriptor.MAX_LOCK_NAME);
            AbstractSharedLock lock = lockKind == SegmentDescriptor.KIND_REENTRANT_LOCK
                    ? SharedReentrantLock.attach(lockName, idle) : SharedLock.attach(lockName, idle);
            return new SharedCondition(s, lock, true);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Returns the lock this condition is bound to: a {@link SharedReentrantLock} or a {@link SharedLock}.
     *
     * @return the lock.
     */
    public Lock lock() {
        return lock;
    }

    /**
     * Tells whether the calling thread holds the lock because it took it over from a process that died holding
     * it, in an {@code await} or a {@code lock()}: {@link SharedLock#ownerDied()} of {@link #lock()}.
     *
     * @return {@code true} if this thread holds the lock and took it from a dead owner.
     * @throws IllegalStateException if the lock is closed.
     */
    public boolean ownerDied() {
        return lock.ownerDied();
    }

    // ------------------------------------------------------------------------------------------ await

    /**
     * Releases the lock, waits until signalled or interrupted, and takes the lock back.
     *
     * @throws InterruptedException         if the thread is interrupted before or while waiting (the lock is
     *                                      held again when it is thrown).
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    @Override
    public void await() throws InterruptedException {
        awaitInternal(Deadlines.NEVER, true);
    }

    /**
     * Releases the lock, waits until signalled, and takes the lock back; interrupts are remembered and
     * re-asserted on return.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    @Override
    public void awaitUninterruptibly() {
        try {
            awaitInternal(Deadlines.NEVER, false);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible wait was interrupted", e);
        }
    }

    /**
     * Releases the lock, waits until signalled, interrupted or the time elapses, and takes the lock back.
     *
     * @param nanosTimeout the longest wait, in nanoseconds.
     * @return an estimate of the time left, not positive if it elapsed.
     * @throws InterruptedException         if the thread is interrupted before or while waiting.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadlines.ofNanos(nanosTimeout);
        awaitInternal(deadline, true);
        return deadline == Deadlines.NEVER ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /**
     * Releases the lock, waits until signalled, interrupted or the time elapses, and takes the lock back.
     *
     * @param time the longest wait.
     * @param unit the unit of {@code time}.
     * @return {@code false} if the time elapsed before a signal came.
     * @throws InterruptedException         if the thread is interrupted before or while waiting.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitInternal(Deadlines.of(time, unit), true);
    }

    /**
     * Releases the lock, waits until signalled, interrupted or the time elapses, and takes the lock back.
     *
     * @param timeout the longest wait.
     * @return {@code false} if the time elapsed before a signal came.
     * @throws InterruptedException         if the thread is interrupted before or while waiting.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitInternal(Deadlines.of(timeout), true);
    }

    /**
     * Releases the lock, waits until signalled, interrupted or the deadline passes, and takes the lock back.
     *
     * @param deadline the wall-clock deadline.
     * @return {@code false} if the deadline passed before a signal came.
     * @throws InterruptedException         if the thread is interrupted before or while waiting.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed, also by another thread while this one
     *                                      waits (the lock is held again when it is thrown, unless it was
     *                                      closed too).
     */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long ms = deadline.getTime() - System.currentTimeMillis();
        return awaitInternal(Deadlines.of(ms, TimeUnit.MILLISECONDS), true);
    }

    private boolean awaitInternal(long deadline, boolean interruptible) throws InterruptedException {
        long b = base();
        lock.requireHeld("await");
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        UnsafeApi.getAndAddLong(null, b + ConditionDescriptor.WAITERS_OFFSET, 1);
        long holds = lock.fullyRelease();
        boolean signalled = false;
        boolean interrupted = false;
        boolean interruptedQuietly = false;
        boolean closedMeanwhile = false;
        IdleStrategy idle = lock.idlePolicy().newIdleStrategy();
        while (true) {
            if (segment.isClosed()) {
                closedMeanwhile = true; // the memory stays mapped (see close()): leave as a timed-out waiter does
                break;
            }
            if (takeSignal(b)) {
                signalled = true;
                break;
            }
            if (Deadlines.expired(deadline)) {
                break;
            }
            idle.idle();
            if (Thread.interrupted()) {
                if (interruptible) {
                    interrupted = true;
                    break;
                }
                interruptedQuietly = true;
            }
        }
        try {
            lock.reacquire(holds);
        } finally {
            if (!signalled) {
                // holding the lock again: a signal may have been given for us after we stopped looking
                if (takeSignal(b)) {
                    signalled = true;
                } else {
                    UnsafeApi.getAndAddLong(null, b + ConditionDescriptor.WAITERS_OFFSET, -1);
                }
            }
            if (interruptedQuietly || (interrupted && signalled)) {
                Thread.currentThread().interrupt();
            }
        }
        if (closedMeanwhile && !signalled) {
            throw closedWhileWaiting();
        }
        if (interrupted && !signalled) {
            throw new InterruptedException();
        }
        return signalled;
    }

    private static boolean takeSignal(long b) {
        long a = b + ConditionDescriptor.SIGNALS_OFFSET;
        while (true) {
            long s = UnsafeApi.getLongVolatile(null, a);
            if (s <= 0) {
                return false;
            }
            if (UnsafeApi.compareAndSetLong(null, a, s, s - 1)) {
                return true;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ signal

    /**
     * Wakes one waiting thread, of any process, if there is one.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed.
     */
    @Override
    public void signal() {
        long b = base();
        lock.requireHeld("signal");
        long w = UnsafeApi.getLongVolatile(null, b + ConditionDescriptor.WAITERS_OFFSET);
        if (w > 0) {
            UnsafeApi.getAndAddLong(null, b + ConditionDescriptor.WAITERS_OFFSET, -1);
            UnsafeApi.getAndAddLong(null, b + ConditionDescriptor.SIGNALS_OFFSET, 1);
        }
    }

    /**
     * Wakes every waiting thread, of every process.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws IllegalStateException        if the condition is closed.
     */
    @Override
    public void signalAll() {
        long b = base();
        lock.requireHeld("signalAll");
        long w = UnsafeApi.getAndSetLong(null, b + ConditionDescriptor.WAITERS_OFFSET, 0);
        if (w > 0) {
            UnsafeApi.getAndAddLong(null, b + ConditionDescriptor.SIGNALS_OFFSET, w);
        }
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Closes the condition in this process; the close that leaves no live process using it also removes its name (see the
     * lifetime rule in the {@linkplain org.multiproc4j.sharedmem package summary}). A lock created or attached
     * with the condition
     * is closed too; a lock passed to {@code create} is not. Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> Threads of this process waiting in an {@code await} when the condition
     * is closed wake within their current pause (at most the idle policy's longest park, 1 ms by default), take the lock back as after a timeout
     * (a lock closed with the condition makes that fail), and throw {@link IllegalStateException}; every later
     * call throws it at once. A call racing with the close may still complete: the memory stays mapped until
     * this object is unreachable, so no call ever touches unmapped memory.
     */
    @Override
    public void close() {
        super.close();
        if (closesLock) {
            lock.close();
        }
    }

    /**
     * Returns the descriptor this condition travels as to a child JVM: its name (the child attaches the lock
     * with it). Until the handle is attached, or its recipient is named ({@link #handedOver}) and dies, the
     * condition and its lock stay attachable.
     *
     * @return the handle.
     * @throws IllegalStateException if the condition is closed.
     */
    @Override
    public Handle handle() {
        long sender = segment.sending();
        lock.handle(); // the lock travels with the condition: counted until the child attaches it too
        return new SyncHandle(SegmentDescriptor.KIND_CONDITION, name(), sender, lock.idlePolicy());
    }

    /**
     * Keeps the condition and its lock attachable for the process a task carrying its handle was sent to, until
     * that process attaches them or dies ({@code null}: the task will never arrive, nothing is kept). Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
        lock.handedOver(recipient);
    }

    /**
     * Describes the condition.
     *
     * @return e.g. {@code SharedCondition[mp4j-4242-1f3a-3, lock mp4j-4242-1f3a-2]}.
     */
    @Override
    public String toString() {
        return "SharedCondition[" + segment.name() + ", lock " + lock.name() + (base == 0 ? ", closed" : "") + "]";
    }
}
