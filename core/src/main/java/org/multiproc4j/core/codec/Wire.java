package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.multiproc4j.core.SerializationException;

/**
 * The first byte of every message, and the codec-independent fast path for {@code null} and primitive arrays.
 *
 * <pre>
 *  0        1                5
 *  +--------+----------------+----------------------------------------+
 *  | tag    | count (int32)  | count elements, raw, little-endian      |   primitive array
 *  +--------+----------------+----------------------------------------+
 *  | NULL   |                                                              null
 *  +--------+------------------------------------------------------------+
 *  | KRYO   | fingerprint (int32) | Kryo bytes                           |   fast codec object
 *  +--------+------------------------------------------------------------+
 *  | JDK    | java.io serialization stream                               |   JDK codec object
 *  +--------+------------------------------------------------------------+
 * </pre>
 *
 * Tag 0 is never written, so a message read from zeroed memory is recognised as "not a message".
 */
final class Wire {

    static final byte NULL = 1;
    static final byte BYTES = 2;
    static final byte BOOLEANS = 3;
    static final byte CHARS = 4;
    static final byte SHORTS = 5;
    static final byte INTS = 6;
    static final byte LONGS = 7;
    static final byte FLOATS = 8;
    static final byte DOUBLES = 9;
    static final byte KRYO = 'K';
    static final byte JDK = 'J';

    /** Bytes of an array message before its elements: tag and count. */
    static final int ARRAY_HEADER = 5;

    private Wire() {
    }

    /** Returns the fast-path tag for a value, or 0 if the value takes the codec's own path. */
    static byte tagOf(Object value) {
        if (value == null) {
            return NULL;
        }
        Class<?> c = value.getClass();
        if (!c.isArray() || !c.getComponentType().isPrimitive()) {
            return 0;
        }
        if (c == byte[].class) {
            return BYTES;
        } else if (c == double[].class) {
            return DOUBLES;
        } else if (c == int[].class) {
            return INTS;
        } else if (c == long[].class) {
            return LONGS;
        } else if (c == float[].class) {
            return FLOATS;
        } else if (c == short[].class) {
            return SHORTS;
        } else if (c == char[].class) {
            return CHARS;
        } else {
            return BOOLEANS;
        }
    }

    static int elementSize(byte tag) {
        switch (tag) {
            case BYTES:
            case BOOLEANS:
                return 1;
            case CHARS:
            case SHORTS:
                return 2;
            case INTS:
            case FLOATS:
                return 4;
            default:
                return 8;
        }
    }

    static String typeName(byte tag) {
        switch (tag) {
            case BYTES:
                return "byte[]";
            case BOOLEANS:
                return "boolean[]";
            case CHARS:
                return "char[]";
            case SHORTS:
                return "short[]";
            case INTS:
                return "int[]";
            case LONGS:
                return "long[]";
            case FLOATS:
                return "float[]";
            case DOUBLES:
                return "double[]";
            default:
                return "tag " + tag;
        }
    }

    /** The encoded size of a fast-path value (tag from {@link #tagOf}). */
    static long encodedLength(byte tag, Object value) {
        if (tag == NULL) {
            return 1;
        }
        return ARRAY_HEADER + (long) java.lang.reflect.Array.getLength(value) * elementSize(tag);
    }

    /** Writes a fast-path value at {@code buffer}'s position, which must have room; advances the position. */
    static void write(byte tag, Object value, ByteBuffer buffer) {
        buffer.put(tag);
        if (tag == NULL) {
            return;
        }
        ByteBuffer le = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int count = java.lang.reflect.Array.getLength(value);
        le.putInt(count);
        switch (tag) {
            case BYTES:
                le.put((byte[]) value);
                break;
            case BOOLEANS:
                for (boolean b : (boolean[]) value) {
                    le.put(b ? (byte) 1 : (byte) 0);
                }
                break;
            case CHARS:
                le.asCharBuffer().put((char[]) value);
                break;
            case SHORTS:
                le.asShortBuffer().put((short[]) value);
                break;
            case INTS:
                le.asIntBuffer().put((int[]) value);
                break;
            case LONGS:
                le.asLongBuffer().put((long[]) value);
                break;
            case FLOATS:
                le.asFloatBuffer().put((float[]) value);
                break;
            default:
                le.asDoubleBuffer().put((double[]) value);
                break;
        }
        buffer.position(buffer.position() + 4 + count * elementSize(tag));
    }

    /** Reads a fast-path message of exactly {@code length} bytes whose first byte is {@code tag}. */
    static Object read(byte tag, byte[] bytes, int offset, int length) {
        if (tag == NULL) {
            if (length != 1) {
                throw corrupt("a null message is 1 byte but " + length + " were given");
            }
            return null;
        }
        if (length < ARRAY_HEADER) {
            throw corrupt("a " + typeName(tag) + " message needs at least " + ARRAY_HEADER + " bytes but "
                    + length + " were given (truncated input)");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes, offset + 1, length - 1).slice().order(ByteOrder.LITTLE_ENDIAN);
        int count = le.getInt();
        long expected = ARRAY_HEADER + (long) count * elementSize(tag);
        if (count < 0 || expected != length) {
            throw corrupt("a " + typeName(tag) + " of " + count + " elements is " + expected + " bytes but "
                    + length + " were given (truncated or corrupt input)");
        }
        switch (tag) {
            case BYTES: {
                byte[] a = new byte[count];
                le.get(a);
                return a;
            }
            case BOOLEANS: {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) {
                    a[i] = le.get() != 0;
                }
                return a;
            }
            case CHARS: {
                char[] a = new char[count];
                le.asCharBuffer().get(a);
                return a;
            }
            case SHORTS: {
                short[] a = new short[count];
                le.asShortBuffer().get(a);
                return a;
            }
            case INTS: {
                int[] a = new int[count];
                le.asIntBuffer().get(a);
                return a;
            }
            case LONGS: {
                long[] a = new long[count];
                le.asLongBuffer().get(a);
                return a;
            }
            case FLOATS: {
                float[] a = new float[count];
                le.asFloatBuffer().get(a);
                return a;
            }
            default: {
                double[] a = new double[count];
                le.asDoubleBuffer().get(a);
                return a;
            }
        }
    }

    static boolean isFastPath(byte tag) {
        return tag >= NULL && tag <= DOUBLES;
    }

    static String describeTag(byte tag) {
        if (tag == KRYO) {
            return "the fast (Kryo) codec";
        } else if (tag == JDK) {
            return "the JDK codec";
        } else if (tag == 0) {
            return "nothing (first byte 0: zeroed or unwritten memory)";
        }
        return "no codec (first byte " + (tag & 0xff) + " is not a known tag)";
    }

    static SerializationException corrupt(String detail) {
        return new SerializationException("cannot decode: " + detail, null);
    }
}
