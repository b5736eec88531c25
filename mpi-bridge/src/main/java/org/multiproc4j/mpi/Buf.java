package org.multiproc4j.mpi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A run of elements in a Java primitive array or a direct {@link ByteBuffer}: what the buffer forms of
 * {@link Comm}'s operations send from and receive into, as mpi4py's buffer specification {@code [data, count,
 * MPI.DOUBLE]} is. It names the array (or buffer), the element type, the first element and the element count;
 * no data is copied when a {@code Buf} is made.
 *
 * <pre>{@code
 * double[] data = new double[10];
 * Buf whole = Buf.of(data);                 // all 10 doubles
 * Buf part = Buf.of(data, 2, 5);            // data[2] .. data[6]
 * Buf direct = Buf.of(ByteBuffer.allocateDirect(80), ElementType.DOUBLE, 0, 10);
 * System.out.println(whole + " " + part + " " + direct.byteCount());
 * }</pre>
 *
 * <p>A direct buffer's elements are in the machine's native byte order, as MPI's are; its position, limit and
 * order are ignored (offset and count are in elements from its start). Heap {@code ByteBuffer}s are refused:
 * use a {@code byte[]}.
 *
 * <p><b>Thread and process safety.</b> Immutable, but it shares the array or buffer it names: do not change
 * the elements while an operation reads them, nor read them while one writes them (for a nonblocking
 * operation, until its {@link Request} completes).
 */
public final class Buf {
    private final ElementType type;
    private final Object array;
    private final ByteBuffer direct;
    private final int offset;
    private final int count;

    private Buf(ElementType type, Object array, ByteBuffer direct, int offset, int count, int length) {
        if (offset < 0 || count < 0 || (long) offset + count > length) {
            throw new IndexOutOfBoundsException("buffer of " + length + " " + type + " elements: offset " + offset
                    + " and count " + count + " do not fit");
        }
        this.type = type;
        this.array = array;
        this.direct = direct;
        this.offset = offset;
        this.count = count;
    }

    /**
     * Names a whole {@code byte[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(byte[] a) {
        return new Buf(ElementType.BYTE, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code byte[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(byte[] a, int offset, int count) {
        return new Buf(ElementType.BYTE, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code short[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(short[] a) {
        return new Buf(ElementType.SHORT, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code short[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(short[] a, int offset, int count) {
        return new Buf(ElementType.SHORT, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code char[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(char[] a) {
        return new Buf(ElementType.CHAR, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code char[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(char[] a, int offset, int count) {
        return new Buf(ElementType.CHAR, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code int[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(int[] a) {
        return new Buf(ElementType.INT, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of an {@code int[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(int[] a, int offset, int count) {
        return new Buf(ElementType.INT, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code long[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(long[] a) {
        return new Buf(ElementType.LONG, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code long[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(long[] a, int offset, int count) {
        return new Buf(ElementType.LONG, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code float[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(float[] a) {
        return new Buf(ElementType.FLOAT, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code float[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(float[] a, int offset, int count) {
        return new Buf(ElementType.FLOAT, a, null, offset, count, a.length);
    }

    /**
     * Names a whole {@code double[]}.
     *
     * @param a the array.
     * @return the buffer.
     * @throws NullPointerException if {@code a} is {@code null}.
     */
    public static Buf of(double[] a) {
        return new Buf(ElementType.DOUBLE, a, null, 0, a.length, a.length);
    }

    /**
     * Names part of a {@code double[]}.
     *
     * @param a      the array.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IndexOutOfBoundsException if the run does not lie within the array; the message names the values.
     * @throws NullPointerException      if {@code a} is {@code null}.
     */
    public static Buf of(double[] a, int offset, int count) {
        return new Buf(ElementType.DOUBLE, a, null, offset, count, a.length);
    }

    /**
     * Names elements of a direct {@link ByteBuffer}, in native byte order, counted from the buffer's start.
     *
     * @param buffer a direct buffer.
     * @param type   the element type.
     * @param offset the first element.
     * @param count  the number of elements.
     * @return the buffer.
     * @throws IllegalArgumentException  if {@code buffer} is not direct, or is read-only.
     * @throws IndexOutOfBoundsException if the run does not lie within the buffer's capacity.
     * @throws NullPointerException      if {@code buffer} or {@code type} is {@code null}.
     */
    public static Buf of(ByteBuffer buffer, ElementType type, int offset, int count) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("Buf.of(ByteBuffer): the buffer must be direct; use a byte[] for heap data");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("Buf.of(ByteBuffer): the buffer is read-only");
        }
        return new Buf(Objects.requireNonNull(type, "type"), null, buffer, offset, count,
                buffer.capacity() / type.size());
    }

    /**
     * Wraps a whole primitive array given as an {@code Object}.
     *
     * @param array a {@code byte[]}, {@code short[]}, {@code char[]}, {@code int[]}, {@code long[]},
     *              {@code float[]} or {@code double[]}.
     * @return the buffer.
     * @throws IllegalArgumentException if {@code array} is not one of those.
     * @throws NullPointerException     if {@code array} is {@code null}.
     */
    public static Buf ofArray(Object array) {
        ElementType t = ElementType.of(array.getClass());
        int length = java.lang.reflect.Array.getLength(array);
        return new Buf(t, array, null, 0, length, length);
    }

    /**
     * Returns a run of this buffer's elements.
     *
     * @param from  the first element, relative to this buffer's offset.
     * @param count the number of elements.
     * @return the sub-buffer, sharing this one's storage.
     * @throws IndexOutOfBoundsException if the run does not lie within this buffer.
     */
    public Buf slice(int from, int count) {
        if (from < 0 || count < 0 || (long) from + count > this.count) {
            throw new IndexOutOfBoundsException("slice(" + from + ", " + count + ") of a buffer of " + this.count
                    + " elements");
        }
        return new Buf(type, array, direct, offset + from, count, offset + this.count);
    }

    /**
     * Returns the element type.
     *
     * @return the type.
     */
    public ElementType type() {
        return type;
    }

    /**
     * Returns the array named, or {@code null} for a direct buffer.
     *
     * @return the array.
     */
    public Object array() {
        return array;
    }

    /**
     * Returns the direct buffer named, or {@code null} for an array.
     *
     * @return the buffer.
     */
    public ByteBuffer directBuffer() {
        return direct;
    }

    /**
     * Returns the first element's index in the array or buffer.
     *
     * @return the offset, in elements.
     */
    public int offset() {
        return offset;
    }

    /**
     * Returns the number of elements.
     *
     * @return the count.
     */
    public int count() {
        return count;
    }

    /**
     * Returns the size of the run in bytes (more than 2 GiB for large {@code long[]} or {@code double[]} runs).
     *
     * @return {@code count() * type().size()}.
     */
    public long byteCount() {
        return (long) count * type.size();
    }

    /**
     * Describes the buffer.
     *
     * @return e.g. {@code Buf[DOUBLE, offset=2, count=5]}.
     */
    @Override
    public String toString() {
        return "Buf[" + type + (direct != null ? " direct" : "") + ", offset=" + offset + ", count=" + count + "]";
    }
}
