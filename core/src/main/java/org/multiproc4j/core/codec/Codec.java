package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;

/**
 * Turns objects into bytes and bytes back into objects, for messages that cross a process boundary (pipes,
 * queues, shared-memory rings). Get one from {@link Codecs}: {@link Codecs#fast()} for messages,
 * {@link Codecs#jdk()} for anything {@link java.io.Serializable}.
 *
 * <pre>{@code
 * record Order(int id, String item) {}
 *
 * Codec codec = Codecs.fast(Order.class);           // register your message classes
 * byte[] bytes = codec.encode(new Order(7, "pear"));
 * Order back = codec.decode(bytes, Order.class);
 * System.out.println(back);                         // Order[id=7, item=pear]
 * }</pre>
 *
 * <p>Every form of {@code encode} writes the same bytes, and every form of {@code decode} reads them: one
 * message is one contiguous run of bytes, decoded by giving exactly that run (offset and length), as a
 * ring or a length-prefixed stream delivers it.
 *
 * <p><b>Primitive arrays, scalars and tuples.</b> {@code byte[]}, {@code boolean[]}, {@code char[]}, {@code short[]},
 * {@code int[]}, {@code long[]}, {@code float[]} and {@code double[]} values (at the top level of a message)
 * bypass the codec's library: a one-byte tag, a four-byte element count and the elements' raw little-endian
 * bytes. So do the boxed primitives ({@code Integer}, {@code Long}, {@code Double}, {@code Float},
 * {@code Short}, {@code Byte}, {@code Character}, {@code Boolean}), {@code String} (lossless for any chars)
 * and {@code Object[]} tuples of them, of primitive arrays and of {@code null}, nested up to four deep,
 * Python's small tuples (a tuple holding anything else is encoded whole by the codec's library). This is the
 * one format of plain values in multiproc4j: tasks sent to child processes and the messages of pipes and
 * queues use it too. Every codec writes and reads them the same way, so any codec can decode
 * them, and they need no registration. {@code null} is a valid message too.
 *
 * <p><b>Shared objects.</b> A {@link Shareable} anywhere in a message travels as its {@link Handle} and is
 * re-attached ({@link Handle#attach()}) when the message is decoded, in every codec; the attached object
 * belongs to the receiver, who closes it if it is {@link AutoCloseable}.
 *
 * <p><b>Thread safety.</b> Codecs are thread-safe: one instance can encode and decode from many threads at
 * once. Implementations keep their per-call state per thread (and pool it for virtual threads), so a call
 * never waits for another thread. A {@link CodecBuffer} or {@link ByteBuffer} passed in must not be used
 * by another thread during the call.
 *
 * <p><b>Processes.</b> Bytes written by a codec are decoded by a codec built the same way in the other
 * process (same kind, same registrations in the same order); codecs that can be are
 * {@link java.io.Serializable}, so a pipe's or queue's handle can carry its codec along.
 *
 * <p><b>Failure.</b> A value that cannot be encoded (a class that is not registered or allow-listed, not
 * {@link java.io.Serializable} for the JDK codec, a message above {@link CodecBuffer#MAX_LENGTH} bytes)
 * fails with {@link SerializationException} naming the type, in the caller's thread and before any byte is
 * sent. Bytes that cannot be decoded (a class the codec refuses, a class missing here, bytes written by
 * another kind of codec, truncated or corrupt input) fail with {@link SerializationException} naming the
 * class or the problem; a bogus length in corrupt input is checked against the bytes actually given before
 * anything is allocated, so it never causes an {@link OutOfMemoryError} or a hang.
 */
public interface Codec {

    /**
     * Encodes a value into a new array.
     *
     * @param value the value, may be {@code null}.
     * @return the encoded message.
     * @throws SerializationException if the value (or something reachable from it) cannot be encoded; the
     *                                message names its type.
     */
    byte[] encode(Object value);

    /**
     * Encodes a value and appends it to a reusable buffer, growing it as needed. This is the form for hot
     * paths: with a buffer kept per thread, encoding allocates nothing in steady state.
     *
     * @param value the value, may be {@code null}.
     * @param out   where to append the message; on failure its length is unchanged.
     * @return the number of bytes appended.
     * @throws SerializationException if the value cannot be encoded; the message names its type.
     */
    int encode(Object value, CodecBuffer out);

    /**
     * Encodes a value into a caller's buffer (heap or direct), at its position, if it fits in its remaining
     * space. On success the position advances past the message; if it does not fit, the position is left
     * where it was (bytes after it may have been overwritten) and the size needed is returned, negated, so
     * that the caller can make room and try again.
     *
     * @param value  the value, may be {@code null}.
     * @param target where to write, from its position up to its limit.
     * @return the number of bytes written, or, if the message does not fit, minus the number of bytes it
     *         needs.
     * @throws SerializationException        if the value cannot be encoded; the message names its type.
     * @throws java.nio.ReadOnlyBufferException if {@code target} is read-only.
     */
    int encode(Object value, ByteBuffer target);

    /**
     * Decodes a message that fills a whole array.
     *
     * @param bytes the message.
     * @return the value, which may be {@code null}.
     * @throws SerializationException if the bytes cannot be decoded; the message says why.
     */
    default Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes a message held in part of an array.
     *
     * @param bytes  the array.
     * @param offset where the message starts.
     * @param length the message's length, in bytes.
     * @return the value, which may be {@code null}.
     * @throws SerializationException    if the bytes cannot be decoded; the message says why.
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within the array.
     */
    Object decode(byte[] bytes, int offset, int length);

    /**
     * Decodes a message held between a buffer's position and its limit (heap or direct); on success the
     * position moves to the limit, on failure it does not move.
     *
     * @param source the message, from position to limit.
     * @return the value, which may be {@code null}.
     * @throws SerializationException if the bytes cannot be decoded; the message says why.
     */
    Object decode(ByteBuffer source);

    /**
     * Decodes a message that fills a whole array and checks the value's type.
     *
     * @param <T>   the expected type.
     * @param bytes the message.
     * @param type  the expected type; for a primitive array use its array class ({@code double[].class}).
     * @return the value, which may be {@code null}.
     * @throws SerializationException if the bytes cannot be decoded, or the value is not a {@code type}; the
     *                                message names both types.
     */
    default <T> T decode(byte[] bytes, Class<T> type) {
        Object value = decode(bytes);
        if (value != null && !type.isInstance(value)) {
            throw new SerializationException("decoded a " + value.getClass().getName() + " where a "
                    + type.getName() + " was expected", null);
        }
        return type.cast(value);
    }
}
