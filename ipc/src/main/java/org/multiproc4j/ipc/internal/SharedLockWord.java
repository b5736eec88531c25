package org.multiproc4j.ipc.internal;

import java.util.function.BooleanSupplier;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * A cross-process lock in one 8-byte word of shared memory, whose value is the holder's
 * {@link ProcessIdentity} (zero when free). The identity is written by the very compare-and-set that takes the
 * lock, so a holder that dies at any instant leaves a word that names it: a waiter that finds the holder dead
 * takes the lock over ("steals" it) with a second compare-and-set and is told so, to repair what the dead holder
 * was doing.
 *
 * <p>The lock is not reentrant and is owned by a process, not a thread: callers exclude their own threads with a
 * local lock first. Stand-in for sharedmem's {@code SharedLock} (issue 4), which the queue can move to once it
 * reports a dead previous owner the same way.
 */
public final class SharedLockWord {
    /** How often a waiter looks at whether the holder still lives. */
    public static final long LIVENESS_CHECK_NANOS = 5_000_000L;

    /** The outcome of {@link #lock}. */
    public enum Acquired {
        /** The lock was free and is now held. */
        FREE,
        /** The holder had died; the lock is now held and the caller must repair. */
        FROM_DEAD_HOLDER,
        /** The deadline passed first; not held. */
        TIMED_OUT,
        /** The caller's object was closed while it waited; not held. */
        ABANDONED
    }

    private static final BooleanSupplier NEVER = () -> false;

    private final AtomicBuffer buffer;
    private final int offset;

    /**
     * Wraps the lock word at {@code offset}.
     *
     * @param buffer the shared memory.
     * @param offset the word's offset, 8-byte aligned.
     */
    public SharedLockWord(AtomicBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
    }

    /**
     * Takes the lock if it is free.
     *
     * @return {@code true} if now held by this process.
     */
    public boolean tryLock() {
        return buffer.compareAndSetLong(offset, 0, ProcessIdentity.current());
    }

    /**
     * Returns the identity of the current holder.
     *
     * @return the holder, zero if free.
     */
    public long holder() {
        return buffer.getLongVolatile(offset);
    }

    /**
     * Takes the lock, waiting with {@code idle} until {@code deadlineNanos} ({@link System#nanoTime()} scale;
     * {@link Long#MAX_VALUE} for no deadline), and taking it over from a dead holder.
     *
     * @param idle          how to wait; reset on return.
     * @param deadlineNanos when to give up.
     * @return how the lock was obtained, or {@link Acquired#TIMED_OUT}.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    public Acquired lock(IdleStrategy idle, long deadlineNanos) throws InterruptedException {
        return lock(idle, deadlineNanos, NEVER);
    }

    /**
     * Takes the lock as {@link #lock(IdleStrategy, long)} does, giving up when {@code closed} says the
     * caller's object was closed meanwhile (asked once per idle period, never when the lock is free).
     *
     * @param idle          how to wait; reset on return.
     * @param deadlineNanos when to give up.
     * @param closed        tells whether the caller's object was closed.
     * @return how the lock was obtained, or {@link Acquired#TIMED_OUT} or {@link Acquired#ABANDONED}.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    public Acquired lock(IdleStrategy idle, long deadlineNanos, BooleanSupplier closed) throws InterruptedException {
        if (tryLock()) {
            return Acquired.FREE;
        }
        long nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
        try {
            while (true) {
                if (tryLock()) {
                    return Acquired.FREE;
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LIVENESS_CHECK_NANOS;
                    if (tryTakeOverFromDead()) {
                        return Acquired.FROM_DEAD_HOLDER;
                    }
                }
                if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
                    return Acquired.TIMED_OUT;
                }
                if (closed.getAsBoolean()) {
                    return Acquired.ABANDONED;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                idle.idle();
            }
        } finally {
            idle.reset();
        }
    }

    /**
     * Takes the lock over if its holder is dead.
     *
     * @return {@code true} if this process now holds it (and must repair).
     */
    public boolean tryTakeOverFromDead() {
        long holder = holder();
        return holder != 0 && holder != ProcessIdentity.current() && !ProcessIdentity.isAlive(holder)
                && buffer.compareAndSetLong(offset, holder, ProcessIdentity.current());
    }

    /** Releases the lock (with release semantics: everything written while holding it is visible first). */
    public void unlock() {
        buffer.putLongRelease(offset, 0);
    }
}
