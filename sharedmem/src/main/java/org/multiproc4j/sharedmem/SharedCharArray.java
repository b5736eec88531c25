package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.Bulk;
import org.multiproc4j.sharedmem.internal.ElementType;

/**
 * An array of {@code char}s shared by processes, with the methods of
 * {@link java.util.concurrent.atomic.AtomicIntegerArray} and bulk copies: Python's
 * {@code multiprocessing.Array('u', ...)}. Indices are {@code long}: arrays of more than 2<sup>31</sup>
 * bytes (or elements) work.
 *
 * <pre>{@code
 * try (SharedCharArray arr = SharedCharArray.create(3)) {              // zero-filled
 *     new JvmProcess(() -> {
 *         for (long i = 0; i < arr.length(); i++) {
 *             arr.set(i, 'x');
 *         }
 *     }).start().join();
 *     System.out.println(arr);                                       // [x, x, x]
 * }
 * }</pre>
 *
 * <p>Element access comes in three strengths: {@link #get(long)}/{@link #set(long, char)} are volatile, as in
 * {@code AtomicIntegerArray}; {@link #getPlain(long)}/{@link #setPlain(long, char)} are plain (fastest, for
 * data published by other means, such as a lock or the end of a process); the atomic methods
 * ({@code getAndAdd}, {@code compareAndSet}, ...) are atomic across all threads of all processes. Bulk
 * copies to and from Java arrays and {@link ByteBuffer}s run at memory speed.
 * {@link #createWithLock(long)} adds a {@link #lock()} for compound updates, like Python's
 * {@code Array(lock=True)}.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the array: its creator, a process that {@linkplain #attach(String) attached} it, or a child whose task
 * captured it (it travels as its name).
 *
 * <p><b>Memory consistency effects.</b> Volatile and atomic element accesses order memory as those of the
 * {@code java.util.concurrent.atomic} arrays do, across processes. Plain accesses, bulk copies, {@link #stream()},
 * {@link #forEach(IntConsumer)} and {@link #fill(char)} are plain: what a process wrote with them is visible
 * to another process after a synchronising action between the two (an unlock and lock of a shared lock, a
 * volatile write and read, or a {@code join} of the process that wrote).
 *
 * <p><b>Failure.</b> An index outside {@code [0, length())} throws {@link IndexOutOfBoundsException} naming
 * the index and the length; attaching fails with a {@link SharedMemoryException} naming the segment; use
 * after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SharedCharArray extends SharedObject {
    private static final ElementType TYPE = ElementType.CHAR;
    private static final int SHIFT = 1;
    private static final String WHAT = "a SharedCharArray";

    private final long length;
    private long base;

    private SharedCharArray(Parts parts) {
        super(parts);
        this.length = arrayLength(segment);
        this.base = segment.isSingleMapping() ? segment.address(0) : 0;
    }

    /**
     * Creates a shared array of {@code length} zeros, without a lock (Python's {@code RawArray('u', n)}).
     *
     * @param length the number of elements, not negative; beyond 2<sup>31</sup> works.
     * @return the array; this process is its creator.
     * @throws IllegalArgumentException if {@code length} is negative.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedCharArray create(long length) {
        return new SharedCharArray(createArray(TYPE, length, false));
    }

    /**
     * Creates a shared array of {@code length} zeros with a {@link #lock()} of its own (Python's
     * {@code Array('u', n)}).
     *
     * @param length the number of elements, not negative.
     * @return the array; this process is its creator.
     * @throws IllegalArgumentException if {@code length} is negative.
     * @throws SharedMemoryException    if a segment cannot be created.
     */
    public static SharedCharArray createWithLock(long length) {
        return new SharedCharArray(createArray(TYPE, length, true));
    }

    /**
     * Creates a shared array holding a copy of {@code values}, without a lock (Python's
     * {@code RawArray('u', [...])}).
     *
     * @param values the initial elements.
     * @return the array; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedCharArray copyOf(char... values) {
        SharedCharArray a = create(values.length);
        a.copyFrom(values, 0, 0, values.length);
        return a;
    }

    /**
     * Attaches a shared {@code char} array created by another process (or this one), by name.
     *
     * @param name the array's name ({@link #name()}).
     * @return the array.
     * @throws SharedMemoryException if there is no such segment, it is too small for its length, or it holds
     *                               something else.
     */
    public static SharedCharArray attach(String name) {
        return new SharedCharArray(attachArray(name, TYPE, WHAT));
    }

    @Override
    void closed() {
        base = 0;
    }

    private long at(long index) {
        Objects.checkIndex(index, length);
        long b = base;
        return b != 0 ? b + (index << SHIFT) : segment.address(index << SHIFT);
    }

    /**
     * Returns the number of elements.
     *
     * @return the length.
     */
    public long length() {
        return length;
    }

    // ------------------------------------------------------------------------------------------ elements

    /**
     * Returns element {@code index} (a volatile read).
     *
     * @param index the index.
     * @return the element.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public char get(long index) {
        return UnsafeApi.getCharVolatile(null, at(index));
    }

    /**
     * Sets element {@code index} (a volatile write).
     *
     * @param index    the index.
     * @param newValue the new value.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public void set(long index, char newValue) {
        UnsafeApi.putCharVolatile(null, at(index), newValue);
    }

    /**
     * Returns element {@code index} with a plain read.
     *
     * @param index the index.
     * @return the element.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public char getPlain(long index) {
        return UnsafeApi.getChar(null, at(index));
    }

    /**
     * Sets element {@code index} with a plain write.
     *
     * @param index    the index.
     * @param newValue the new value.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public void setPlain(long index, char newValue) {
        UnsafeApi.putChar(null, at(index), newValue);
    }

    /**
     * Sets element {@code index} and returns the old value, atomically.
     *
     * @param index    the index.
     * @param newValue the new value.
     * @return the previous value.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public char getAndSet(long index, char newValue) {
        return UnsafeApi.getAndSetChar(null, at(index), newValue);
    }

    /**
     * Sets element {@code index} to {@code newValue} if it is {@code expectedValue}, atomically.
     *
     * @param index         the index.
     * @param expectedValue the expected value.
     * @param newValue      the new value.
     * @return {@code true} if it was set.
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}.
     */
    public boolean compareAndSet(long index, char expectedValue, char newValue) {
        return UnsafeApi.compareAndSetChar(null, at(index), expectedValue, newValue);
    }

    // ------------------------------------------------------------------------------------------ bulk

    /**
     * Copies {@code count} elements, starting at {@code fromIndex}, into {@code dst} (plain reads).
     *
     * @param fromIndex the first element to copy.
     * @param dst       the destination.
     * @param dstOffset where in {@code dst} the first goes.
     * @param count     how many.
     * @throws IndexOutOfBoundsException if either range is out of bounds (the message names it).
     */
    public void copyTo(long fromIndex, char[] dst, int dstOffset, int count) {
        Bulk.checkArrayRange("copyTo", dst.length, dstOffset, count);
        Bulk.checkSharedRange("copyTo", length, fromIndex, count);
        segment.copy(fromIndex << SHIFT, dst, Bulk.CHAR_BASE + ((long) dstOffset << SHIFT), (long) count << SHIFT, false);
    }

    /**
     * Copies {@code count} elements of {@code src}, starting at {@code srcOffset}, into this array from
     * {@code toIndex} on (plain writes).
     *
     * @param src       the source.
     * @param srcOffset the first element of {@code src} to copy.
     * @param toIndex   where in this array the first goes.
     * @param count     how many.
     * @throws IndexOutOfBoundsException if either range is out of bounds (the message names it).
     */
    public void copyFrom(char[] src, int srcOffset, long toIndex, int count) {
        Bulk.checkArrayRange("copyFrom", src.length, srcOffset, count);
        Bulk.checkSharedRange("copyFrom", length, toIndex, count);
        segment.copy(toIndex << SHIFT, src, Bulk.CHAR_BASE + ((long) srcOffset << SHIFT), (long) count << SHIFT, true);
    }

    /**
     * Copies elements, starting at {@code fromIndex}, into {@code dst} until it is full: its
     * {@code remaining()} bytes, in {@code dst}'s byte order; advances its position.
     *
     * @param fromIndex the first element to copy.
     * @param dst       the destination, heap or direct.
     * @throws IllegalArgumentException        if {@code dst.remaining()} is not a multiple of 2.
     * @throws IndexOutOfBoundsException       if this array has fewer elements from {@code fromIndex}.
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only.
     */
    public void copyTo(long fromIndex, ByteBuffer dst) {
        int count = Bulk.elements("copyTo", dst, 1 << SHIFT);
        Bulk.checkSharedRange("copyTo", length, fromIndex, count);
        Bulk.toBuffer(segment, fromIndex << SHIFT, dst, 1 << SHIFT);
    }

    /**
     * Copies the elements in {@code src} (its {@code remaining()} bytes, read in its byte order) into this
     * array from {@code toIndex} on; advances its position.
     *
     * @param src     the source, heap, direct or read-only.
     * @param toIndex where in this array the first goes.
     * @throws IllegalArgumentException  if {@code src.remaining()} is not a multiple of 2.
     * @throws IndexOutOfBoundsException if they do not fit from {@code toIndex}.
     */
    public void copyFrom(ByteBuffer src, long toIndex) {
        int count = Bulk.elements("copyFrom", src, 1 << SHIFT);
        Bulk.checkSharedRange("copyFrom", length, toIndex, count);
        Bulk.fromBuffer(segment, toIndex << SHIFT, src, 1 << SHIFT);
    }

    /**
     * Returns a copy of the whole array (Python's {@code arr[:]}).
     *
     * @return a new Java array.
     * @throws IllegalStateException if the array is longer than a Java array can be.
     */
    public char[] toArray() {
        char[] a = new char[checkedArrayLength()];
        copyTo(0, a, 0, a.length);
        return a;
    }

    private int checkedArrayLength() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + name() + " has " + length
                    + " elements, more than a Java array holds: copy parts of it with copyTo");
        }
        return (int) length;
    }

    /**
     * Sets every element to {@code value} (plain writes).
     *
     * @param value the value.
     */
    public void fill(char value) {
        char[] block = new char[(int) Math.min(length, 4096)];
        Arrays.fill(block, value);
        for (long i = 0; i < length; i += block.length) {
            copyFrom(block, 0, i, (int) Math.min(block.length, length - i));
        }
    }

    /**
     * Returns a sequential stream of the elements, widened to {@code int}, in index order (plain reads, at the time each is
     * reached); {@code parallel()} splits it by index ranges.
     *
     * @return the stream.
     */
    public IntStream stream() {
        return LongStream.range(0, length).mapToInt(this::getPlain);
    }

    /**
     * Performs {@code action} on every element, widened to {@code int}, in index order (plain reads).
     *
     * @param action the action.
     */
    public void forEach(IntConsumer action) {
        for (long i = 0; i < length; i++) {
            action.accept(getPlain(i));
        }
    }

    /**
     * Returns the elements as {@link Arrays#toString(char[])} writes them; a
     * long array is cut after 1000 elements.
     *
     * @return e.g. {@code [x, x, x]}.
     */
    @Override
    public String toString() {
        if (base == 0 && segment.isClosed()) {
            return getClass().getSimpleName() + "[" + name() + ", closed]";
        }
        StringBuilder b = new StringBuilder("[");
        long n = Math.min(length, TO_STRING_LIMIT);
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(getPlain(i));
        }
        if (n < length) {
            b.append(", ... (").append(length - n).append(" more)");
        }
        return b.append(']').toString();
    }
}
