package org.multiproc4j.sharedmem.internal;

/**
 * The record of a cross-process lock ({@code SharedLock}, {@code SharedReentrantLock}): the data of a
 * {@link SegmentDescriptor#KIND_LOCK} or {@link SegmentDescriptor#KIND_REENTRANT_LOCK} segment. It has a
 * cache line to itself.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Owner: 0 when free, else the owning process's token         |   0
 *  |   (pid &lt;&lt; 32 | start stamp, see ProcessIdentity)             |
 *  +---------------------------------------------------------------+
 *  |   Owner thread: pid &lt;&lt; 32 | thread id, written by the owner    |   8
 *  |   after it takes the word, cleared before it releases it      |
 *  +---------------------------------------------------------------+
 *  |   Hold count (reentrant locks; written by the owner only)     |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Recoveries: how many times a dead owner's lock was taken    |  24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Taken from: the token of the dead owner the holder took the |  32
 *  |   lock over from, 0 if it took a free lock (holder only)      |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  40
 *  ...                                                           ...
 * </pre>
 *
 * <p>The owner word is a {@link LockWord}: acquiring is one compare-and-set of it from 0 to the caller's token
 * (acquire semantics); releasing clears "taken from" and the owner thread and then stores 0 with release
 * semantics. A waiter checks now and then whether the owner named by the word is alive; if it is not, it
 * compare-and-sets the word from the dead owner's token to its own, which only one waiter can do, and records
 * the dead token in "taken from", which the new holder's {@code ownerDied()} reads until it releases.
 */
public final class LockDescriptor {
    /** The owner token (8 bytes). */
    public static final int OWNER_OFFSET = 0;
    /** The owner thread tag (8 bytes). */
    public static final int THREAD_OFFSET = 8;
    /** The hold count of a reentrant lock (8 bytes). */
    public static final int HOLDS_OFFSET = 16;
    /** The number of recoveries from dead owners (8 bytes). */
    public static final int RECOVERIES_OFFSET = 24;
    /** The token of the dead owner the holder took the lock over from, 0 if none (8 bytes). */
    public static final int TAKEN_FROM_OFFSET = 32;
    /** The record's length. */
    public static final int LENGTH = 64;
    /** Layout version of lock segments. */
    public static final int VERSION = 2;

    private LockDescriptor() {
    }
}
