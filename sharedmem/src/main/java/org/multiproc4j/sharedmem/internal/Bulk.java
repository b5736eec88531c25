package org.multiproc4j.sharedmem.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * Bulk copies between a segment's data and Java arrays or {@link ByteBuffer}s, through
 * {@link Segment#copy(long, Object, long, long, boolean)}. Bounds are checked by the callers, which know the
 * element type and name it in their messages.
 */
public final class Bulk {
    /** Offset of element 0 in a {@code byte[]}. */
    public static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    /** Offset of element 0 in a {@code short[]}. */
    public static final long SHORT_BASE = UnsafeApi.arrayBaseOffset(short[].class);
    /** Offset of element 0 in a {@code char[]}. */
    public static final long CHAR_BASE = UnsafeApi.arrayBaseOffset(char[].class);
    /** Offset of element 0 in an {@code int[]}. */
    public static final long INT_BASE = UnsafeApi.arrayBaseOffset(int[].class);
    /** Offset of element 0 in a {@code long[]}. */
    public static final long LONG_BASE = UnsafeApi.arrayBaseOffset(long[].class);
    /** Offset of element 0 in a {@code float[]}. */
    public static final long FLOAT_BASE = UnsafeApi.arrayBaseOffset(float[].class);
    /** Offset of element 0 in a {@code double[]}. */
    public static final long DOUBLE_BASE = UnsafeApi.arrayBaseOffset(double[].class);

    private Bulk() {
    }

    /**
     * Copies {@code buffer.remaining()} bytes from the segment into {@code buffer} and advances its
     * position.
     *
     * @param segment    the segment.
     * @param dataOffset where in its data.
     * @param buffer     the destination; heap or direct, not read-only.
     */
    public static void toBuffer(Segment segment, long dataOffset, ByteBuffer buffer) {
        toBuffer(segment, dataOffset, buffer, 1);
    }

    /**
     * Copies {@code buffer.remaining()} bytes of elements from the segment into {@code buffer}, in the
     * buffer's byte order, and advances its position.
     *
     * @param segment     the segment.
     * @param dataOffset  where in its data.
     * @param buffer      the destination; heap or direct, not read-only; {@code remaining()} a multiple of
     *                    {@code elementSize}.
     * @param elementSize the element size.
     */
    public static void toBuffer(Segment segment, long dataOffset, ByteBuffer buffer, int elementSize) {
        if (buffer.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int n = buffer.remaining();
        segment.copy(dataOffset, base(buffer), offset(buffer), n, false, swap(buffer, elementSize));
        buffer.position(buffer.position() + n);
    }

    /**
     * Copies {@code buffer.remaining()} bytes of elements from {@code buffer}, read in the buffer's byte
     * order, into the segment and advances its position.
     *
     * @param segment     the segment.
     * @param dataOffset  where in its data.
     * @param buffer      the source; {@code remaining()} a multiple of {@code elementSize}.
     * @param elementSize the element size.
     */
    public static void fromBuffer(Segment segment, long dataOffset, ByteBuffer buffer, int elementSize) {
        int n = buffer.remaining();
        segment.copy(dataOffset, base(buffer), offset(buffer), n, true, swap(buffer, elementSize));
        buffer.position(buffer.position() + n);
    }

    private static int swap(ByteBuffer b, int elementSize) {
        return elementSize > 1 && b.order() != ByteOrder.nativeOrder() ? elementSize : 0;
    }

    /**
     * Checks that a buffer holds whole elements.
     *
     * @param what        the operation, for the message.
     * @param buffer      the buffer.
     * @param elementSize the element size.
     * @return the number of elements it holds.
     * @throws IllegalArgumentException if {@code remaining()} is not a multiple of the element size.
     */
    public static int elements(String what, ByteBuffer buffer, int elementSize) {
        int r = buffer.remaining();
        if (r % elementSize != 0) {
            throw new IllegalArgumentException(what + ": buffer.remaining()=" + r + " is not a multiple of the "
                    + elementSize + "-byte element size");
        }
        return r / elementSize;
    }

    /**
     * Copies {@code buffer.remaining()} bytes from {@code buffer} into the segment and advances its
     * position.
     *
     * @param segment    the segment.
     * @param dataOffset where in its data.
     * @param buffer     the source; heap, direct or read-only.
     */
    public static void fromBuffer(Segment segment, long dataOffset, ByteBuffer buffer) {
        int n = buffer.remaining();
        segment.copy(dataOffset, base(buffer), offset(buffer), n, true);
        buffer.position(buffer.position() + n);
    }

    private static Object base(ByteBuffer b) {
        return b.isDirect() ? null : BufferUtil.array(b);
    }

    private static long offset(ByteBuffer b) {
        return b.isDirect() ? BufferUtil.address(b) + b.position()
                : BufferUtil.ARRAY_BASE_OFFSET + BufferUtil.arrayOffset(b) + b.position();
    }

    /**
     * Checks a range of a Java array, with a message that names it.
     *
     * @param what        the operation, for the message.
     * @param arrayLength the array's length.
     * @param offset      the first index.
     * @param count       how many elements.
     * @throws IndexOutOfBoundsException if the range is not inside the array.
     */
    public static void checkArrayRange(String what, int arrayLength, int offset, int count) {
        if (offset < 0 || count < 0 || offset > arrayLength - count) {
            throw new IndexOutOfBoundsException(what + ": range [" + offset + ", " + offset + " + " + count
                    + ") out of bounds for array length " + arrayLength);
        }
    }

    /**
     * Checks a range of a shared array, with a message that names it.
     *
     * @param what   the operation, for the message.
     * @param length the shared array's length.
     * @param index  the first index.
     * @param count  how many elements.
     * @throws IndexOutOfBoundsException if the range is not inside the shared array.
     */
    public static void checkSharedRange(String what, long length, long index, long count) {
        if (index < 0 || count < 0 || index > length - count) {
            throw new IndexOutOfBoundsException(what + ": range [" + index + ", " + index + " + " + count
                    + ") out of bounds for shared array length " + length);
        }
    }
}
