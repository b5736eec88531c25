package org.multiproc4j.ipc.internal;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;

/**
 * Turns the objects sent through pipes and queues into bytes and back, in the sender's thread, before anything is
 * written to shared memory: an unserializable value fails the {@code send}/{@code put} and nothing is sent.
 *
 * <p>Plain values take a fast path of one tag byte and their raw bytes: {@code null}, boxed primitives,
 * {@code String}, {@code byte[]}, {@code int[]}, {@code long[]}, {@code double[]}, and {@code Object[]} of such
 * values. Everything else goes to the channel's {@link Codec} (by default {@link Codecs#jdk()}, Java
 * serialization with an input filter, where every {@link org.multiproc4j.core.Shareable} (a pipe end, a queue, a
 * shared array) travels as its handle and re-attaches in the receiver). Primitive values are written in the
 * machine's byte order: both ends of a channel run on one machine.
 *
 * <p>Thread-safe and stateless.
 */
public final class ValueCodec {
    /** Tag of a value written by the channel's codec. */
    public static final byte SERIALIZED = 'X';

    private static final ValueCodec DEFAULT = new ValueCodec(Codecs.jdk());

    private final Codec codec;

    private ValueCodec(Codec codec) {
        this.codec = codec;
    }

    /**
     * Returns the value codec that sends what is not a plain value through {@code codec}.
     *
     * @param codec the channel's codec.
     * @return the value codec.
     */
    public static ValueCodec of(Codec codec) {
        return codec == Codecs.jdk() ? DEFAULT : new ValueCodec(codec);
    }

    /**
     * Returns the value codec of channels with the default codec.
     *
     * @return the shared instance.
     */
    public static ValueCodec instance() {
        return DEFAULT;
    }

    /**
     * Encodes {@code value} into {@code out} from index 0.
     *
     * @param value the value, may be {@code null}.
     * @param out   where to write; grows as needed.
     * @return the number of bytes written.
     * @throws SerializationException naming the offending type if the value cannot be serialized.
     */
    public int encode(Object value, ExpandableArrayBuffer out) {
        int n = encodeFast(value, out, 0);
        if (n >= 0) {
            return n;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (SerializationException e) {
            throw new SerializationException(e.getMessage() + "; nothing was sent", e);
        }
        out.putByte(0, SERIALIZED);
        out.putBytes(1, bytes);
        return 1 + bytes.length;
    }

    /**
     * Decodes a value written by {@link #encode}.
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
        int p = offset + 1;
        int n = length - 1;
        switch (tag) {
            case 'N':
                return null;
            case 'Z':
                return buffer.getByte(p) != 0;
            case 'B':
                return buffer.getByte(p);
            case 'S':
                return buffer.getShort(p);
            case 'C':
                return buffer.getChar(p);
            case 'I':
                return buffer.getInt(p);
            case 'J':
                return buffer.getLong(p);
            case 'F':
                return buffer.getFloat(p);
            case 'D':
                return buffer.getDouble(p);
            case 'T': {
                byte[] utf8 = new byte[n];
                buffer.getBytes(p, utf8);
                return new String(utf8, StandardCharsets.UTF_8);
            }
            case 'b': {
                byte[] a = new byte[n];
                buffer.getBytes(p, a);
                return a;
            }
            case 'i': {
                int[] a = new int[n >> 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = buffer.getInt(p + (i << 2));
                }
                return a;
            }
            case 'j': {
                long[] a = new long[n >> 3];
                for (int i = 0; i < a.length; i++) {
                    a[i] = buffer.getLong(p + (i << 3));
                }
                return a;
            }
            case 'd': {
                double[] a = new double[n >> 3];
                for (int i = 0; i < a.length; i++) {
                    a[i] = buffer.getDouble(p + (i << 3));
                }
                return a;
            }
            case 'O': {
                int count = buffer.getInt(p);
                Object[] a = new Object[count];
                int at = p + 4;
                for (int i = 0; i < count; i++) {
                    int len = buffer.getInt(at);
                    a[i] = decode(buffer, at + 4, len);
                    at += 4 + len;
                }
                return a;
            }
            case SERIALIZED: {
                byte[] bytes = new byte[n];
                buffer.getBytes(p, bytes);
                return codec.decode(bytes, 0, n);
            }
            default:
                throw new SerializationException("cannot decode a message of " + length + " bytes: unknown tag "
                        + (tag & 0xFF) + " (it was sent as bytes, or by another version of multiproc4j)", null);
        }
    }

    /**
     * Encodes a value on the fast path.
     *
     * @return the bytes written, or -1 if the value is not a plain value.
     */
    private static int encodeFast(Object v, ExpandableArrayBuffer out, int at) {
        if (v == null) {
            out.putByte(at, (byte) 'N');
            return 1;
        }
        Class<?> c = v.getClass();
        if (c == Integer.class) {
            out.putByte(at, (byte) 'I');
            out.putInt(at + 1, (Integer) v);
            return 5;
        }
        if (c == Long.class) {
            out.putByte(at, (byte) 'J');
            out.putLong(at + 1, (Long) v);
            return 9;
        }
        if (c == String.class) {
            byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
            out.putByte(at, (byte) 'T');
            out.putBytes(at + 1, utf8);
            return 1 + utf8.length;
        }
        if (c == Double.class) {
            out.putByte(at, (byte) 'D');
            out.putDouble(at + 1, (Double) v);
            return 9;
        }
        if (c == Boolean.class) {
            out.putByte(at, (byte) 'Z');
            out.putByte(at + 1, (byte) ((Boolean) v ? 1 : 0));
            return 2;
        }
        if (c == Byte.class) {
            out.putByte(at, (byte) 'B');
            out.putByte(at + 1, (Byte) v);
            return 2;
        }
        if (c == Short.class) {
            out.putByte(at, (byte) 'S');
            out.putShort(at + 1, (Short) v);
            return 3;
        }
        if (c == Character.class) {
            out.putByte(at, (byte) 'C');
            out.putChar(at + 1, (Character) v);
            return 3;
        }
        if (c == Float.class) {
            out.putByte(at, (byte) 'F');
            out.putFloat(at + 1, (Float) v);
            return 5;
        }
        if (c == byte[].class) {
            byte[] a = (byte[]) v;
            out.putByte(at, (byte) 'b');
            out.putBytes(at + 1, a);
            return 1 + a.length;
        }
        if (c == int[].class) {
            int[] a = (int[]) v;
            checkArray(a.length, 4);
            out.checkLimit(at + 1 + (a.length << 2));
            out.putByte(at, (byte) 'i');
            for (int i = 0; i < a.length; i++) {
                out.putInt(at + 1 + (i << 2), a[i]);
            }
            return 1 + (a.length << 2);
        }
        if (c == long[].class) {
            long[] a = (long[]) v;
            checkArray(a.length, 8);
            out.checkLimit(at + 1 + (a.length << 3));
            out.putByte(at, (byte) 'j');
            for (int i = 0; i < a.length; i++) {
                out.putLong(at + 1 + (i << 3), a[i]);
            }
            return 1 + (a.length << 3);
        }
        if (c == double[].class) {
            double[] a = (double[]) v;
            checkArray(a.length, 8);
            out.checkLimit(at + 1 + (a.length << 3));
            out.putByte(at, (byte) 'd');
            for (int i = 0; i < a.length; i++) {
                out.putDouble(at + 1 + (i << 3), a[i]);
            }
            return 1 + (a.length << 3);
        }
        if (c == Object[].class) {
            Object[] a = (Object[]) v;
            out.putByte(at, (byte) 'O');
            out.putInt(at + 1, a.length);
            int p = at + 5;
            for (Object e : a) {
                int len = encodeFast(e, out, p + 4);
                if (len < 0) {
                    return -1;
                }
                out.putInt(p, len);
                p += 4 + len;
            }
            return p - at;
        }
        return -1;
    }

    private static void checkArray(int length, int elementSize) {
        if ((long) length * elementSize > Integer.MAX_VALUE - 16) {
            throw new SerializationException("cannot send an array of " + length + " elements of " + elementSize
                    + " bytes as one message: it exceeds 2 GiB; send it in parts or through shared memory", null);
        }
    }
}
