package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.multiproc4j.core.SerializationException;

/**
 * A growable array of bytes that a {@link Codec} appends encoded messages to, meant to be kept and reused by
 * one thread so that encoding allocates nothing once the buffer has grown to the size of the largest message.
 *
 * <pre>{@code
 * Codec codec = Codecs.fast();
 * ByteArrayOutputStream sink = new ByteArrayOutputStream();   // or a ring, a socket: where messages go
 * CodecBuffer out = new CodecBuffer();          // one per sending thread
 * for (String message : List.of("pear", "apple")) {
 *     out.clear();
 *     int n = codec.encode(message, out);       // out.array()[0 .. n) is the message
 *     sink.write(out.array(), 0, n);
 * }
 * }</pre>
 *
 * <p>The bytes of the buffer are {@code array()[0 .. length())}. {@link #array()} may return a different
 * (larger) array after each encode, so read it again after encoding.
 *
 * <p><b>Thread safety.</b> Not thread-safe: a buffer belongs to one thread at a time.
 *
 * <p><b>Failure.</b> A message longer than {@link #MAX_LENGTH} bytes (the largest Java array) cannot be held:
 * encoding one throws {@link SerializationException} and leaves the length as it was.
 */
public final class CodecBuffer {

    /** The largest number of bytes a buffer can hold, {@value}: the largest array every JVM can allocate. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private static final int DEFAULT_CAPACITY = 256;

    private byte[] array;
    private int length;

    /** Creates an empty buffer with room for 256 bytes. */
    public CodecBuffer() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates an empty buffer.
     *
     * @param initialCapacity the number of bytes it can hold before it grows.
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or above {@link #MAX_LENGTH}.
     */
    public CodecBuffer(int initialCapacity) {
        if (initialCapacity < 0 || initialCapacity > MAX_LENGTH) {
            throw new IllegalArgumentException("initialCapacity must be in [0, " + MAX_LENGTH + "] but was "
                    + initialCapacity);
        }
        this.array = new byte[initialCapacity];
    }

    /**
     * Returns the number of bytes held.
     *
     * @return the length, in bytes.
     */
    public int length() {
        return length;
    }

    /**
     * Returns the number of bytes the buffer can hold before it grows.
     *
     * @return the capacity, in bytes.
     */
    public int capacity() {
        return array.length;
    }

    /**
     * Returns the backing array, whose first {@link #length()} bytes are the content. It is not a copy: it is
     * valid until the next encode into this buffer, which may replace it.
     *
     * @return the backing array.
     */
    public byte[] array() {
        return array;
    }

    /** Empties the buffer, keeping its capacity. */
    public void clear() {
        length = 0;
    }

    /**
     * Returns a copy of the content.
     *
     * @return a new array of {@link #length()} bytes.
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(array, length);
    }

    /**
     * Returns a view of the content: a heap buffer over the backing array with position 0 and limit
     * {@link #length()}. Like {@link #array()}, it is valid until the next encode into this buffer.
     *
     * @return a new buffer sharing this one's bytes.
     */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array, 0, length).slice();
    }

    @Override
    public String toString() {
        return "CodecBuffer[length=" + length + ", capacity=" + array.length + "]";
    }

    /**
     * Makes room for {@code extra} more bytes after the current length.
     *
     * @param extra bytes needed.
     * @return the backing array, possibly new.
     * @throws SerializationException if the total would exceed {@link #MAX_LENGTH}.
     */
    byte[] reserve(long extra) {
        long needed = length + extra;
        if (needed > array.length) {
            if (needed > MAX_LENGTH) {
                throw new SerializationException("a message of " + needed + " bytes is longer than the largest a codec"
                        + " can hold (" + MAX_LENGTH + " bytes)", null);
            }
            long grown = Math.max(needed, Math.min((long) array.length * 2, MAX_LENGTH));
            array = Arrays.copyOf(array, (int) Math.max(grown, 16));
        }
        return array;
    }

    /** Sets the length after bytes were written into {@link #array()} directly. */
    void length(int newLength) {
        this.length = newLength;
    }

    /** Takes over an array (written by a codec library that grew it) holding {@code newLength} valid bytes. */
    void adopt(byte[] newArray, int newLength) {
        this.array = newArray;
        this.length = newLength;
    }

    /** Drops a very large backing array so a scratch buffer does not pin memory after one huge message. */
    void trim(int maxRetained) {
        if (array.length > maxRetained) {
            array = new byte[DEFAULT_CAPACITY];
        }
        length = 0;
    }
}
