package org.multiproc4j.sharedmem.internal;

/**
 * The layout of a shared value ({@link SegmentDescriptor#KIND_VALUE}: {@code SharedInt}, {@code SharedLong},
 * {@code SharedDouble}, {@code SharedBoolean}). A value created with a lock names the lock's segment (a
 * {@code SharedReentrantLock}) in its kind header.
 *
 * <pre>
 *  Kind header (file offset 64):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   Element type (ElementType)  |   Lock name length, 0 if none |   0
 *  +-------------------------------+-------------------------------+
 *  |   Lock name, ASCII (up to 128 bytes)                          |   8
 *  ...                                                           ...
 *
 *  Data:
 *  +---------------------------------------------------------------+
 *  |   The value (1, 4 or 8 bytes, naturally aligned)              |   0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ValueDescriptor {
    /** Kind header: the element type (4 bytes). */
    public static final int TYPE_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET;
    /** Kind header: the lock name's length (4 bytes). */
    public static final int LOCK_NAME_LENGTH_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 4;
    /** Kind header: the lock name. */
    public static final int LOCK_NAME_OFFSET = SegmentDescriptor.KIND_HEADER_OFFSET + 8;
    /** The longest lock name. */
    public static final int MAX_LOCK_NAME = 128;
    /** Data: the value. */
    public static final int VALUE_OFFSET = 0;
    /** Data length. */
    public static final int LENGTH = 8;
    /** Layout version (2: a {@code boolean} is one byte, no longer an {@code int}). */
    public static final int VERSION = 2;

    private ValueDescriptor() {
    }
}
