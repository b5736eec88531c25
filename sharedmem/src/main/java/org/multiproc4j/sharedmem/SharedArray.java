package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.ArrayDescriptor;
import org.multiproc4j.sharedmem.internal.Bulk;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * What the shared arrays ({@code SharedIntArray} and its kin) have in common, whatever their element type:
 * the length, element addresses and bounds ({@link #elementAddress(long, int)}, through which every element
 * accessor reaches the memory), bulk copies to and from Java arrays and {@link ByteBuffer}s, and
 * {@code toString}. The typed classes add what depends on the element type.
 */
abstract class SharedArray extends SharedObject {
    /** How many elements {@code toString()} shows at most. */
    static final int TO_STRING_LIMIT = 1000;
    /** Elements per copy when filling. */
    private static final int FILL_BLOCK = 4096;

    private final int shift;
    /** The number of elements. */
    final long length;
    /** The address of element 0 when the data is one mapping (0 if it is not, and once closed). */
    private long base;

    SharedArray(Parts parts, ElementType type) {
        super(parts);
        this.shift = type.shift();
        this.length = UnsafeApi.getLong(null, segment.headerAddress(ArrayDescriptor.LENGTH_OFFSET));
        this.base = segment.isSingleMapping() ? segment.address(0) : 0;
    }

    /**
     * Creates an array's segment of {@code length} zeros, and its lock if asked.
     *
     * @param type     the element type, recorded in the header.
     * @param length   the number of elements.
     * @param withLock whether to create a lock.
     * @return the parts.
     * @throws IllegalArgumentException if {@code length} is negative or too large.
     */
    static Parts createArray(ElementType type, long length, boolean withLock) {
        if (length < 0) {
            throw new IllegalArgumentException("shared array length must not be negative: length=" + length);
        }
        if (length > (Long.MAX_VALUE >> 4) >> type.shift()) {
            throw new IllegalArgumentException("shared array length too large: length=" + length);
        }
        return create(SegmentDescriptor.KIND_ARRAY, ArrayDescriptor.VERSION, length << type.shift(), withLock,
                (s, lockName) -> {
                    UnsafeApi.putInt(null, s.headerAddress(ArrayDescriptor.TYPE_OFFSET), type.code());
                    UnsafeApi.putLong(null, s.headerAddress(ArrayDescriptor.LENGTH_OFFSET), length);
                    s.putHeaderString(ArrayDescriptor.LOCK_NAME_LENGTH_OFFSET, ArrayDescriptor.LOCK_NAME_OFFSET,
                            ArrayDescriptor.MAX_LOCK_NAME, lockName);
                });
    }

    /**
     * Attaches an array's segment, checking its element type and length, and its lock.
     *
     * @param name the segment's name.
     * @param type the element type the caller reads.
     * @param what what the caller attaches it as, for messages ("a SharedIntArray").
     * @return the parts.
     */
    static Parts attachArray(String name, ElementType type, String what) {
        return attach(name, SegmentDescriptor.KIND_ARRAY, ArrayDescriptor.VERSION, what, s -> {
            checkType(s, ArrayDescriptor.TYPE_OFFSET, type, what, "array");
            long length = UnsafeApi.getLong(null, s.headerAddress(ArrayDescriptor.LENGTH_OFFSET));
            if (length < 0 || length << type.shift() > s.dataLength()) {
                throw new SharedMemoryException("cannot attach " + s.name() + " as " + what + ": segment too small: "
                        + "its header says " + length + " elements of " + type.size() + " bytes, the data holds "
                        + s.dataLength() + " bytes");
            }
            return s.headerString(ArrayDescriptor.LOCK_NAME_LENGTH_OFFSET, ArrayDescriptor.LOCK_NAME_OFFSET,
                    ArrayDescriptor.MAX_LOCK_NAME);
        });
    }

    // ------------------------------------------------------------------------------------------ elements

    /**
     * Returns the address of element {@code index}: every element accessor reaches the memory through this
     * method. Each typed class passes its own constant {@code shift}, which the compiler folds in.
     *
     * @param index the index.
     * @param shift log2 of the element size.
     * @return the address.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     * @throws IllegalStateException     if closed.
     */
    final long elementAddress(long index, int shift) {
        Objects.checkIndex(index, length);
        long b = base;
        return b != 0 ? b + (index << shift) : chunkedAddress(index << shift);
    }

    private long chunkedAddress(long offset) {
        if (segment.isClosed()) {
            throw closedException();
        }
        return segment.address(offset);
    }

    @Override
    final void closed() {
        base = 0;
    }

    /**
     * Returns the number of elements.
     *
     * @return the length.
     */
    public long length() {
        return length;
    }

    // ------------------------------------------------------------------------------------------ bulk

    /**
     * Copies {@code count} elements from {@code fromIndex} on into a Java array of this element type.
     *
     * @param fromIndex the first element to copy.
     * @param dst       the Java array.
     * @param dstBase   its element 0's offset ({@link Bulk}'s {@code *_BASE}).
     * @param dstLength its length.
     * @param dstOffset where in it the first goes.
     * @param count     how many.
     */
    final void copyOut(long fromIndex, Object dst, long dstBase, int dstLength, int dstOffset, int count) {
        Bulk.checkArrayRange("copyTo", dstLength, dstOffset, count);
        Bulk.checkSharedRange("copyTo", length, fromIndex, count);
        segment.copy(fromIndex << shift, dst, dstBase + ((long) dstOffset << shift), (long) count << shift, false);
    }

    /**
     * Copies {@code count} elements of a Java array of this element type into this array from {@code toIndex}
     * on.
     *
     * @param src       the Java array.
     * @param srcBase   its element 0's offset ({@link Bulk}'s {@code *_BASE}).
     * @param srcLength its length.
     * @param srcOffset the first of its elements to copy.
     * @param toIndex   where in this array the first goes.
     * @param count     how many.
     */
    final void copyIn(Object src, long srcBase, int srcLength, int srcOffset, long toIndex, int count) {
        Bulk.checkArrayRange("copyFrom", srcLength, srcOffset, count);
        Bulk.checkSharedRange("copyFrom", length, toIndex, count);
        segment.copy(toIndex << shift, src, srcBase + ((long) srcOffset << shift), (long) count << shift, true);
    }

    /**
     * Sets every element to the value that fills {@code block}, a Java array of this element type of
     * {@link #fillBlockLength()} elements.
     */
    final void fillWith(Object block, long blockBase, int blockLength) {
        for (long i = 0; i < length; i += blockLength) {
            copyIn(block, blockBase, blockLength, 0, i, (int) Math.min(blockLength, length - i));
        }
    }

    /** Returns the length of the block {@link #fillWith} takes. */
    final int fillBlockLength() {
        return (int) Math.min(length, FILL_BLOCK);
    }

    /**
     * Returns the length as an {@code int}, for a copy into one Java array.
     *
     * @throws IllegalStateException if the array is longer than a Java array can be.
     */
    final int checkedArrayLength() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + name() + " has " + length
                    + " elements, more than a Java array holds: copy parts of it with copyTo");
        }
        return (int) length;
    }

    /**
     * Copies elements, starting at {@code fromIndex}, into {@code dst} until it is full: its
     * {@code remaining()} bytes, in {@code dst}'s byte order; advances its position. The copy is plain, as
     * {@code copyTo} into a Java array is.
     *
     * @param fromIndex the first element to copy.
     * @param dst       the destination, heap or direct.
     * @throws IllegalArgumentException         if {@code dst.remaining()} is not a multiple of the element size.
     * @throws IndexOutOfBoundsException        if this array has fewer elements from {@code fromIndex}.
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only.
     * @throws IllegalStateException            if this array is closed.
     */
    public void copyTo(long fromIndex, ByteBuffer dst) {
        int count = Bulk.elements("copyTo", dst, 1 << shift);
        Bulk.checkSharedRange("copyTo", length, fromIndex, count);
        Bulk.toBuffer(segment, fromIndex << shift, dst, 1 << shift);
    }

    /**
     * Copies the elements in {@code src} (its {@code remaining()} bytes, read in its byte order) into this
     * array from {@code toIndex} on; advances its position. The copy is plain, as {@code copyFrom} a Java array
     * is.
     *
     * @param src     the source, heap, direct or read-only.
     * @param toIndex where in this array the first goes.
     * @throws IllegalArgumentException  if {@code src.remaining()} is not a multiple of the element size.
     * @throws IndexOutOfBoundsException if they do not fit from {@code toIndex}.
     * @throws IllegalStateException     if this array is closed.
     */
    public void copyFrom(ByteBuffer src, long toIndex) {
        int count = Bulk.elements("copyFrom", src, 1 << shift);
        Bulk.checkSharedRange("copyFrom", length, toIndex, count);
        Bulk.fromBuffer(segment, toIndex << shift, src, 1 << shift);
    }

    // ------------------------------------------------------------------------------------------ toString

    /** Appends element {@code index} (a plain read) as {@code Arrays.toString} writes it. */
    abstract void appendElement(StringBuilder b, long index);

    /**
     * Returns the elements as {@code Arrays.toString} (and the {@code java.util.concurrent.atomic} arrays)
     * write them; a long array is cut after 1000 elements.
     *
     * @return e.g. {@code [1, 1, 1]}, or a note that the array is closed.
     */
    @Override
    public String toString() {
        if (base == 0 && segment.isClosed()) {
            return closedString();
        }
        StringBuilder b = new StringBuilder("[");
        long n = Math.min(length, TO_STRING_LIMIT);
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                b.append(", ");
            }
            appendElement(b, i);
        }
        if (n < length) {
            b.append(", ... (").append(length - n).append(" more)");
        }
        return b.append(']').toString();
    }
}
