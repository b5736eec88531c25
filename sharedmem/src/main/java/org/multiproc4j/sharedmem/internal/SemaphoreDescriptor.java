package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared semaphore ({@link SegmentDescriptor#KIND_SEMAPHORE}).
 *
 * <pre>
 *  Kind header (file offset 64):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Bounded (0 or 1)            |   Holder slots                |   0
 *  +-------------------------------+-------------------------------+
 *  |   Bound: the most permits a bounded semaphore may have        |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Initial permits                                             |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *
 *  Data:
 *  +---------------------------------------------------------------+
 *  |   Permits available (compare-and-set)                         |   0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Permits recovered from dead holders, in total               |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  16
 *  +---------------------------------------------------------------+
 *  |   Holder table: net permits held per process                  |  64
 *  |   (HolderTableDescriptor, Holder slots x 64 bytes)            |
 *  ...                                                           ...
 * </pre>
 *
 * <p>An acquirer takes permits with a compare-and-set, then adds them to its process's slot; a releaser
 * subtracts from its slot, then gives the permits back. (A process killed between the two steps loses the
 * permits it was moving rather than creating extra ones.) A waiter that has parked gives back, once, what
 * dead processes held, and never above the bound.
 */
public final class SemaphoreDescriptor {
    /** Kind header: 1 if bounded (4 bytes). */
    public static final int BOUNDED_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET;
    /** Kind header: the number of holder slots (4 bytes). */
    public static final int SLOTS_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 4;
    /** Kind header: the bound (8 bytes). */
    public static final int BOUND_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 8;
    /** Kind header: the initial permits (8 bytes). */
    public static final int INITIAL_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 16;
    /** Data: the available permits (8 bytes). */
    public static final int PERMITS_OFFSET = 0;
    /** Data: permits recovered from dead holders (8 bytes). */
    public static final int RECOVERED_OFFSET = 8;
    /** Data: where the holder table starts. */
    public static final int TABLE_OFFSET = 64;
    /** Layout version. */
    public static final int VERSION = 1;

    private SemaphoreDescriptor() {
    }

    /**
     * Returns the data length of a semaphore.
     *
     * @param slots the number of holder slots.
     * @return bytes.
     */
    public static long length(int slots) {
        return TABLE_OFFSET + HolderTableDescriptor.length(slots);
    }
}
