package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared event ({@link SegmentDescriptor#KIND_EVENT}): one flag on its own cache line.
 *
 * <pre>
 *  Data:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Flag: 1 set, 0 clear        |   Reserved                    |   0
 *  +-------------------------------+-------------------------------+
 *  |   Times set (8 bytes)                                         |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Reserved to 64 bytes                                        |  16
 *  ...                                                           ...
 * </pre>
 */
public final class EventDescriptor {
    /** Data: the flag (4 bytes, volatile). */
    public static final int FLAG_OFFSET = 0;
    /** Data: how many times it was set (8 bytes). */
    public static final int SETS_OFFSET = 8;
    /** Data length. */
    public static final int LENGTH = 64;
    /** Layout version. */
    public static final int VERSION = 1;

    private EventDescriptor() {
    }
}
