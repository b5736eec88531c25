package org.multiproc4j.ipc.internal;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.Wire;

/**
 * The messages of pipes and queues in Agrona buffers: core's one format ({@link Wire}) for plain values,
 * {@link Wire#CODEC} followed by the channel's {@link Codec} message for everything else. Values are encoded
 * in the sender's thread, before anything is written to shared memory: an unserializable value fails the
 * {@code send}/{@code put} and nothing is sent.
 *
 * <p>This class holds no format of its own: it hands {@link Wire} the array behind an encode buffer, and the
 * array or {@link ByteBuffer} behind a ring's buffer, so that a plain value is written and read in place (no
 * copy, no allocation but the value's own). Plain values are the same whatever the codec (by default
 * {@link Codecs#jdk()}, Java serialization with an input filter, where every
 * {@link org.multiproc4j.core.Shareable} travels as its handle and re-attaches in the receiver).
 *
 * <p>Thread-safe and stateless.
 */
public final class AgronaWire {
    private static final AgronaWire DEFAULT = new AgronaWire(Codecs.jdk());

    private final Codec codec;

    private AgronaWire(Codec codec) {
        this.codec = codec;
    }

    /**
     * Returns the wire of channels with this codec for values that are not plain.
     *
     * @param codec the channel's codec.
     * @return the wire.
     */
    public static AgronaWire of(Codec codec) {
        return codec == Codecs.jdk() ? DEFAULT : new AgronaWire(codec);
    }

    /**
     * Returns the wire of channels with the default codec.
     *
     * @return the shared instance.
     */
    public static AgronaWire instance() {
        return DEFAULT;
    }

    /**
     * Encodes {@code value} into {@code out} from index 0.
     *
     * @param value the value, may be {@code null}.
     * @param out   where to write; grows as needed.
     * @return the number of bytes written.
     * @throws SerializationException naming the offending type if the value cannot be serialized, or is longer
     *                                than a message can be; the message ends with "nothing was sent".
     */
    public int encode(Object value, ExpandableArrayBuffer out) {
        try {
            int n = Wire.encodedLength(value);
            if (n >= 0) {
                out.checkLimit(n);
                return Wire.write(value, out.byteArray(), 0);
            }
            byte[] bytes = codec.encode(value);
            out.putByte(0, Wire.CODEC);
            out.putBytes(1, bytes);
            return 1 + bytes.length;
        } catch (SerializationException e) {
            throw new SerializationException(e.getMessage() + "; nothing was sent", e);
        }
    }

    /**
     * Decodes a value written by {@link #encode}, in place.
     *
     * @param buffer where it is.
     * @param offset its first byte.
     * @param length its length.
     * @return the value.
     * @throws SerializationException if the bytes are not a value (the message names why).
     */
    public Object decode(DirectBuffer buffer, int offset, int length) {
        if (length < 1) {
            throw new SerializationException("cannot decode an empty message: it was sent as bytes, not as an object", null);
        }
        byte tag = buffer.getByte(offset);
        if (Wire.isPlain(tag)) {
            byte[] array = buffer.byteArray();
            if (array != null) {
                return Wire.read(array, buffer.wrapAdjustment() + offset, length);
            }
            ByteBuffer memory = buffer.byteBuffer();
            if (memory != null) {
                return Wire.read(memory, buffer.wrapAdjustment() + offset, length);
            }
            byte[] copy = new byte[length]; // a buffer over a bare address: rings are never that
            buffer.getBytes(offset, copy);
            return Wire.read(copy, 0, length);
        }
        if (tag == Wire.CODEC) {
            byte[] bytes = new byte[length - 1];
            buffer.getBytes(offset + 1, bytes);
            return codec.decode(bytes, 0, bytes.length);
        }
        throw new SerializationException("cannot decode a message of " + length + " bytes: unknown tag "
                + (tag & 0xFF) + " (it was sent as bytes, or by another version of multiproc4j)", null);
    }
}
