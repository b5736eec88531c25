package org.multiproc4j.sharedmem.internal;

/**
 * A table of the processes that hold something of a shared object (permits of a semaphore, threads waiting
 * at a barrier), so that what a dead process held can be given back. One slot per process, a cache line
 * each, so processes never write the same line.
 *
 * <pre>
 *  slot i, at table + i * 64:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Holder: 0 when free, a process token, or ~token while the   |   0
 *  |   process named by token recovers a dead holder's slot        |
 *  +---------------------------------------------------------------+
 *  |   Count held (net: acquired less released), written by the    |   8
 *  |   holder with atomic adds                                     |
 *  +---------------------------------------------------------------+
 *  |   Generation the count belongs to (barriers)                  |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  24
 *  ...                                                           ...
 * </pre>
 */
public final class HolderTableDescriptor {
    /** The holder token (8 bytes). */
    public static final int HOLDER_OFFSET = 0;
    /** The count (8 bytes). */
    public static final int COUNT_OFFSET = 8;
    /** The generation (8 bytes). */
    public static final int GENERATION_OFFSET = 16;
    /** The length of a slot. */
    public static final int SLOT_LENGTH = 64;
    /** The number of slots when the creator does not say. */
    public static final int DEFAULT_SLOTS = 128;

    private HolderTableDescriptor() {
    }

    /**
     * Returns the length of a table.
     *
     * @param slots the number of slots.
     * @return bytes.
     */
    public static long length(int slots) {
        return (long) slots * SLOT_LENGTH;
    }
}
