package org.multiproc4j.sharedmem.internal;

import java.util.function.BooleanSupplier;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.internal.Deadlines;

/**
 * The one cross-process lock word of multiproc4j: 8 bytes of shared memory holding 0 when free, else the
 * {@linkplain ProcessIdentity token} of the process that holds it. The locks of {@code sharedmem.sync}, the
 * users table of every segment ({@link SegmentUsers}) and the producer and consumer locks of {@code ipc}'s queues
 * are all this word; what they add (an owner thread, a hold count, progress markers to repair) lives next to it.
 *
 * <pre>
 *   free:  0            held:  the holder's token (pid &lt;&lt; 32 | start tag), never 0
 *
 *   acquire:   compare-and-set 0 -&gt; self                         (acquire semantics)
 *   take over: compare-and-set dead holder's token -&gt; self      (one waiter wins)
 *   release:   store 0                                          (release semantics)
 * </pre>
 *
 * <p>The holder's identity is written by the very compare-and-set that takes the word, so a holder that dies at
 * any instant leaves a word that names it. A waiter looks at whether the holder still lives every
 * {@link #LIVENESS_CHECK_NANOS} ns of its wait (the first time that long after it began waiting; a look is a read
 * of {@code /proc}, some microseconds), never while the word is free and never when the holder is its own
 * process; finding the holder dead, it takes the word over and is told so by the {@link Acquired} value
 * {@link #lock} returns, {@link Acquired#FROM_DEAD_OWNER}, so that it can repair what the dead holder was doing.
 * Nothing here throws to report an outcome: the caller decides what a takeover or a close means.
 *
 * <p>The word is owned by a process, not a thread, and is not reentrant: callers keep their own threads apart
 * (a local lock first, as the queues do, or an owner-thread field written after acquiring, as the
 * {@code sharedmem.sync} locks do). All methods take the word's address; the caller keeps the mapping that
 * holds it reachable.
 */
public final class LockWord {
    /**
     * How often a waiter checks whether the word's holder still lives: 10 ms. Survivors of a holder's death
     * therefore take the word over within about 10 ms of waiting (plus their current park).
     */
    public static final long LIVENESS_CHECK_NANOS = 10_000_000L;

    /** For callers whose wait no close can end. */
    public static final BooleanSupplier NEVER_CLOSED = () -> false;

    /** How {@link #lock} ended. */
    public enum Acquired {
        /** The word was free and is now held by this process. */
        ACQUIRED,
        /** The holder had died; the word is now held by this process, which must repair what the holder left. */
        FROM_DEAD_OWNER,
        /** The deadline passed first; not held. */
        TIMED_OUT,
        /** The caller's object was closed while it waited; not held. */
        ABANDONED;

        /**
         * Tells whether the word is held after this outcome.
         *
         * @return {@code true} for {@link #ACQUIRED} and {@link #FROM_DEAD_OWNER}.
         */
        public boolean held() {
            return this == ACQUIRED || this == FROM_DEAD_OWNER;
        }
    }

    private LockWord() {
    }

    /**
     * Takes the word if it is free.
     *
     * @param word the word's address.
     * @return {@code true} if this process holds it now.
     */
    public static boolean tryLock(long word) {
        return UnsafeApi.compareAndSetLong(null, word, 0, ProcessIdentity.SELF_TOKEN);
    }

    /**
     * Returns the token of the word's holder.
     *
     * @param word the word's address.
     * @return the holder, 0 if free.
     */
    public static long owner(long word) {
        return UnsafeApi.getLongVolatile(null, word);
    }

    /**
     * Takes the word over if its holder is another process and dead (one read of {@code /proc}).
     *
     * @param word the word's address.
     * @return the token of the dead holder this process took the word from (it holds the word now, and must
     *         repair), or 0 if it did not take it.
     */
    public static long takeOverFromDead(long word) {
        long owner = owner(word);
        return owner != 0 && owner != ProcessIdentity.SELF_TOKEN && !ProcessIdentity.isAlive(owner)
                && UnsafeApi.compareAndSetLong(null, word, owner, ProcessIdentity.SELF_TOKEN) ? owner : 0;
    }

    /**
     * Takes the word, waiting with {@code idle} as long as it takes, uninterruptibly (interrupts are remembered
     * and re-asserted on return).
     *
     * @param word the word's address.
     * @param idle how to wait; reset when a wait ends.
     * @return {@link Acquired#ACQUIRED} or {@link Acquired#FROM_DEAD_OWNER}.
     */
    public static Acquired lock(long word, IdleStrategy idle) {
        return lockUninterruptibly(word, idle, Deadlines.NEVER, NEVER_CLOSED);
    }

    /**
     * Takes the word, waiting with {@code idle} until {@code deadline}, uninterruptibly (interrupts are
     * remembered and re-asserted on return), and giving up when {@code closed} says the caller's object was closed.
     *
     * @param word     the word's address.
     * @param idle     how to wait; reset when a wait ends.
     * @param deadline a {@link Deadlines} deadline.
     * @param closed   tells whether the caller's object was closed (asked before each look at a held word).
     * @return how the wait ended.
     */
    public static Acquired lockUninterruptibly(long word, IdleStrategy idle, long deadline, BooleanSupplier closed) {
        try {
            return lock(word, idle, deadline, closed, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    /**
     * Takes the word, waiting with {@code idle} until {@code deadline}, taking it over from a dead holder, and
     * giving up when {@code closed} says the caller's object was closed.
     *
     * @param word          the word's address.
     * @param idle          how to wait; reset when a wait ends.
     * @param deadline      a {@link Deadlines} deadline ({@link Deadlines#NEVER} for none).
     * @param closed        tells whether the caller's object was closed (asked before each look at a held word).
     * @param interruptible whether an interrupt ends the wait; if not, interrupts are remembered and re-asserted
     *                      on return.
     * @return how the wait ended.
     * @throws InterruptedException if {@code interruptible} and the thread is interrupted while waiting (the
     *                              word is not held).
     */
    public static Acquired lock(long word, IdleStrategy idle, long deadline, BooleanSupplier closed,
                                boolean interruptible) throws InterruptedException {
        return lock(word, idle, deadline, closed, interruptible, 0);
    }

    /**
     * Takes the word as {@link #lock(long, IdleStrategy, long, BooleanSupplier, boolean)} does, and on a takeover
     * stores the dead holder's token at {@code takenFrom} (a word next to the lock that only its holder writes).
     *
     * @param word          the word's address.
     * @param idle          how to wait; reset when a wait ends.
     * @param deadline      a {@link Deadlines} deadline ({@link Deadlines#NEVER} for none).
     * @param closed        tells whether the caller's object was closed (asked before each look at a held
     *                      word).
     * @param interruptible whether an interrupt ends the wait; if not, interrupts are remembered and re-asserted
     *                      on return.
     * @param takenFrom     where to store the dead holder's token on {@link Acquired#FROM_DEAD_OWNER}, or 0.
     * @return how the wait ended.
     * @throws InterruptedException if {@code interruptible} and the thread is interrupted while waiting (the
     *                              word is not held).
     */
    public static Acquired lock(long word, IdleStrategy idle, long deadline, BooleanSupplier closed,
                                boolean interruptible, long takenFrom) throws InterruptedException {
        if (UnsafeApi.getLongVolatile(null, word) == 0
                && UnsafeApi.compareAndSetLong(null, word, 0, ProcessIdentity.SELF_TOKEN)) {
            return Acquired.ACQUIRED; // a free word costs no clock read, no idling
        }
        boolean interrupted = false;
        boolean waiting = false;
        long nextCheck = 0;
        try {
            while (true) {
                if (closed.getAsBoolean()) {
                    return Acquired.ABANDONED;
                }
                if (UnsafeApi.getLongVolatile(null, word) == 0) {
                    if (UnsafeApi.compareAndSetLong(null, word, 0, ProcessIdentity.SELF_TOKEN)) {
                        return Acquired.ACQUIRED;
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (!waiting) {
                    waiting = true;
                    nextCheck = now + LIVENESS_CHECK_NANOS;
                } else if (now - nextCheck >= 0) {
                    nextCheck = now + LIVENESS_CHECK_NANOS;
                    long dead = takeOverFromDead(word);
                    if (dead != 0) {
                        if (takenFrom != 0) {
                            UnsafeApi.putLong(null, takenFrom, dead);
                        }
                        return Acquired.FROM_DEAD_OWNER;
                    }
                }
                if (deadline != Deadlines.NEVER && now - deadline >= 0) {
                    return Acquired.TIMED_OUT;
                }
                idle.idle();
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
        } finally {
            idle.reset();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Releases the word, with release semantics: everything the holder wrote before is visible to the next
     * holder. The caller holds it.
     *
     * @param word the word's address.
     */
    public static void unlock(long word) {
        UnsafeApi.putLongRelease(null, word, 0);
    }
}
