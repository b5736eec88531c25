package org.multiproc4j.ipc.internal.codec;

import org.multiproc4j.core.SerializationException;

/**
 * Turns message objects into bytes and back, in the caller's thread. Implementations are thread-safe and
 * stateless between calls.
 */
public interface MessageCodec {

    /**
     * Returns the id that marks bytes written by this codec (stored next to every encoded message, so a reader
     * knows how to decode it).
     *
     * @return a small positive number, unique among codecs.
     */
    byte id();

    /**
     * Encodes a value.
     *
     * @param value the value, may be {@code null}.
     * @return its bytes; a fresh array the caller owns.
     * @throws SerializationException naming the offending type if the value cannot be encoded.
     */
    byte[] encode(Object value);

    /**
     * Decodes a value written by {@link #encode}.
     *
     * @param bytes  the array holding the encoded form.
     * @param offset where it starts.
     * @param length how many bytes it has.
     * @return the value.
     * @throws SerializationException if the bytes are damaged, name a class missing here, or are refused by
     *                                the codec's filter (the message names the class).
     */
    Object decode(byte[] bytes, int offset, int length);
}
