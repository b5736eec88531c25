package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared condition ({@link SegmentDescriptor#KIND_CONDITION}). The lock it is bound to is
 * another segment, named in the kind header, so that attaching the condition attaches its lock.
 *
 * <pre>
 *  Kind header (file offset 64):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Lock kind (KIND_LOCK or     |   Lock name length            |   0
 *  |   KIND_REENTRANT_LOCK)        |                               |
 *  +-------------------------------+-------------------------------+
 *  |   Lock name, ASCII (up to 128 bytes)                          |   8
 *  ...                                                           ...
 *
 *  Data:
 *  +---------------------------------------------------------------+
 *  |   Waiters: threads waiting that no signal has been given for  |   0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Signals: wake-ups given and not yet taken by a waiter       |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  16
 *  ...                                                           ...
 * </pre>
 *
 * <p>A waiter counts itself in Waiters (holding the lock), releases the lock and waits for Signals to be
 * positive, then takes one with a compare-and-set. {@code signal} (holding the lock) moves one from Waiters
 * to Signals, {@code signalAll} all of them. A waiter that times out takes the lock back and then either
 * takes a pending signal (it was signalled after all) or uncounts itself; so the sum of both counts is the
 * number of threads in {@code await}. A waiter that dies leaves at most one spurious wake-up behind.
 */
public final class ConditionDescriptor {
    /** Kind header: the lock's kind (4 bytes). */
    public static final int LOCK_KIND_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET;
    /** Kind header: the length of the lock's name (4 bytes). */
    public static final int LOCK_NAME_LENGTH_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 4;
    /** Kind header: the lock's name. */
    public static final int LOCK_NAME_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 8;
    /** The longest lock name. */
    public static final int MAX_LOCK_NAME = 128;
    /** Data: waiters (8 bytes). */
    public static final int WAITERS_OFFSET = 0;
    /** Data: signals (8 bytes). */
    public static final int SIGNALS_OFFSET = 8;
    /** Data length. */
    public static final int LENGTH = 64;
    /** Layout version. */
    public static final int VERSION = 1;

    private ConditionDescriptor() {
    }
}
