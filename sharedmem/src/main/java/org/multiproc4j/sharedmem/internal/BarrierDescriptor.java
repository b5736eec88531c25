package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared barrier ({@link SegmentDescriptor#KIND_BARRIER}).
 *
 * <pre>
 *  Kind header (file offset 64):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Parties                     |   Holder slots                |   0
 *  +-------------------------------+-------------------------------+
 *
 *  Data:
 *  +-------------------------------+-------------------------------+
 *  |   Arrived in this generation  |   Generation                  |   0
 *  +-------------------------------+-------------------------------+
 *  |   Broken: generation + 1 of the broken generation, or 0       |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  16
 *  +---------------------------------------------------------------+
 *  |   Holder table: threads waiting per process, and in which     |  64
 *  |   generation (HolderTableDescriptor)                          |
 *  ...                                                           ...
 * </pre>
 *
 * <p>The first long is one word (generation in the high half, arrivals in the low half), changed by
 * compare-and-set: an arrival adds one; the last arrival replaces it with the next generation and no
 * arrivals, which releases every waiter of the generation at once. A broken generation stays broken until a
 * reset moves on to the next one. A waiter that has parked checks the table: a dead process that was
 * waiting in the current generation breaks it.
 */
public final class BarrierDescriptor {
    /** Kind header: the number of parties (4 bytes). */
    public static final int PARTIES_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET;
    /** Kind header: the number of holder slots (4 bytes). */
    public static final int SLOTS_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 4;
    /** Data: generation and arrivals (8 bytes). */
    public static final int STATE_OFFSET = 0;
    /** Data: the broken generation + 1 (8 bytes). */
    public static final int BROKEN_OFFSET = 8;
    /** Data: where the holder table starts. */
    public static final int TABLE_OFFSET = 64;
    /** Layout version. */
    public static final int VERSION = 1;

    private BarrierDescriptor() {
    }

    /**
     * Returns the data length of a barrier.
     *
     * @param slots the number of holder slots.
     * @return bytes.
     */
    public static long length(int slots) {
        return TABLE_OFFSET + HolderTableDescriptor.length(slots);
    }
}
