package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared array ({@link SegmentDescriptor#KIND_ARRAY}: {@code SharedIntArray} and its kin).
 * An array created with a lock names the lock's segment (a {@code SharedReentrantLock}) in its kind header.
 *
 * <pre>
 *  Kind header (file offset 64):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Element type (ElementType)  |   Lock name length, 0 if none |   0
 *  +-------------------------------+-------------------------------+
 *  |   Length, in elements                                         |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Lock name, ASCII (up to 128 bytes)                          |  16
 *  ...                                                           ...
 *
 *  Data (64-byte aligned; element i at i * element size):
 *  +---------------------------------------------------------------+
 *  |   Elements                                                    |   0
 *  ...                                                           ...
 * </pre>
 */
public final class ArrayDescriptor {
    /** Kind header: the element type (4 bytes). */
    public static final int TYPE_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET;
    /** Kind header: the lock name's length (4 bytes). */
    public static final int LOCK_NAME_LENGTH_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 4;
    /** Kind header: the length in elements (8 bytes). */
    public static final int LENGTH_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 8;
    /** Kind header: the lock name. */
    public static final int LOCK_NAME_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 16;
    /** The longest lock name. */
    public static final int MAX_LOCK_NAME = 128;
    /** Layout version. */
    public static final int VERSION = 1;

    private ArrayDescriptor() {
    }
}
