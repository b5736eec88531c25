package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.multiproc4j.core.SerializationException;

/**
 * The first byte of every message, and the codec-independent fast path for {@code null}, primitive arrays,
 * the common scalars ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String}) and
 * {@code Object[]} tuples made of these (Python's small tuples), nested up to {@value #MAX_TUPLE_DEPTH} deep.
 *
 * <pre>
 *  0        1                5
 *  +--------+----------------+----------------------------------------+
 *  | tag    | count (int32)  | count elements, raw, little-endian      |   primitive array
 *  +--------+----------------+----------------------------------------+
 *  | NULL   |                                                              null
 *  +--------+------------------------------------------------------------+
 *  | INT    | int32 | LONG | int64 | DOUBLE | float64 | BOOLEAN | 0 or 1     scalars (little-endian)
 *  +--------+------------------------------------------------------------+
 *  | LATIN1 | count (int32) | count bytes, one per char (all below 256)  |   String
 *  | UTF16  | count (int32) | count chars, two bytes each                |   String (any chars)
 *  +--------+------------------------------------------------------------+
 *  | TUPLE  | count (int32) | count fast-path messages, one after another |   Object[]
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
    static final byte INT = 10;
    static final byte LONG = 11;
    static final byte DOUBLE = 12;
    static final byte BOOLEAN = 13;
    static final byte LATIN1 = 14;
    static final byte UTF16 = 15;
    static final byte TUPLE = 16;
    /** How deep {@code Object[]} tuples nest on the fast path; deeper ones take the codec's own path. */
    static final int MAX_TUPLE_DEPTH = 4;
    static final byte KRYO = 'K';
    static final byte JDK = 'J';

    /** Bytes of an array message before its elements: tag and count. */
    static final int ARRAY_HEADER = 5;

    private Wire() {
    }

    /**
     * Returns the fast-path tag for a value's class, or 0 if the value takes the codec's own path. An
     * {@code Object[]} gets {@link #TUPLE} here; whether its elements qualify is for {@link #encodedLength}.
     */
    static byte tagOf(Object value) {
        if (value == null) {
            return NULL;
        }
        Class<?> c = value.getClass();
        if (c == Integer.class) {
            return INT;
        } else if (c == String.class) {
            return isLatin1((String) value) ? LATIN1 : UTF16;
        } else if (c == Double.class) {
            return DOUBLE;
        } else if (c == Long.class) {
            return LONG;
        } else if (c == Boolean.class) {
            return BOOLEAN;
        } else if (c == Object[].class) {
            return TUPLE;
        }
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
            case INT:
                return "Integer";
            case LONG:
                return "Long";
            case DOUBLE:
                return "Double";
            case BOOLEAN:
                return "Boolean";
            case LATIN1:
            case UTF16:
                return "String";
            case TUPLE:
                return "Object[]";
            default:
                return "tag " + tag;
        }
    }

    private static boolean isLatin1(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * The encoded size of a fast-path value (tag from {@link #tagOf}), or -1 if it is a tuple that cannot take
     * the fast path (an element of another kind, or nesting deeper than {@value #MAX_TUPLE_DEPTH}).
     */
    static long encodedLength(byte tag, Object value) {
        return encodedLength(tag, value, 0);
    }

    private static long encodedLength(byte tag, Object value, int depth) {
        switch (tag) {
            case NULL:
                return 1;
            case INT:
                return 5;
            case LONG:
            case DOUBLE:
                return 9;
            case BOOLEAN:
                return 2;
            case LATIN1:
                return ARRAY_HEADER + (long) ((String) value).length();
            case UTF16:
                return ARRAY_HEADER + 2L * ((String) value).length();
            case TUPLE: {
                if (depth >= MAX_TUPLE_DEPTH) {
                    return -1;
                }
                long n = ARRAY_HEADER;
                for (Object e : (Object[]) value) {
                    byte t = tagOf(e);
                    long len = t == 0 ? -1 : encodedLength(t, e, depth + 1);
                    if (len < 0) {
                        return -1;
                    }
                    n += len;
                }
                return n;
            }
            default:
                return ARRAY_HEADER + (long) java.lang.reflect.Array.getLength(value) * elementSize(tag);
        }
    }

    /** Writes a fast-path value at {@code buffer}'s position, which must have room; advances the position. */
    static void write(byte tag, Object value, ByteBuffer buffer) {
        ByteOrder order = buffer.order();
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        try {
            writeLe(tag, value, buffer);
        } finally {
            buffer.order(order);
        }
    }

    private static void writeLe(byte tag, Object value, ByteBuffer buffer) {
        buffer.put(tag);
        switch (tag) {
            case NULL:
                return;
            case INT:
                buffer.putInt((Integer) value);
                return;
            case LONG:
                buffer.putLong((Long) value);
                return;
            case DOUBLE:
                buffer.putDouble((Double) value);
                return;
            case BOOLEAN:
                buffer.put((Boolean) value ? (byte) 1 : (byte) 0);
                return;
            case LATIN1: {
                String s = (String) value;
                int n = s.length();
                buffer.putInt(n);
                for (int i = 0; i < n; i++) {
                    buffer.put((byte) s.charAt(i));
                }
                return;
            }
            case UTF16: {
                String s = (String) value;
                int n = s.length();
                buffer.putInt(n);
                for (int i = 0; i < n; i++) {
                    buffer.putChar(s.charAt(i));
                }
                return;
            }
            case TUPLE: {
                Object[] a = (Object[]) value;
                buffer.putInt(a.length);
                for (Object e : a) {
                    writeLe(tagOf(e), e, buffer);
                }
                return;
            }
            default:
                break;
        }
        int count = java.lang.reflect.Array.getLength(value);
        buffer.putInt(count);
        ByteBuffer le = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
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
        buffer.position(buffer.position() + count * elementSize(tag));
    }

    /** Reads a fast-path message of exactly {@code length} bytes whose first byte is {@code tag}. */
    static Object read(byte tag, byte[] bytes, int offset, int length) {
        if (tag >= BYTES && tag <= DOUBLES) {
            // a top-level array's length must match exactly: say so in those terms
            if (length < ARRAY_HEADER) {
                throw corrupt("a " + typeName(tag) + " message needs at least " + ARRAY_HEADER + " bytes but "
                        + length + " were given (truncated input)");
            }
            int count = ByteBuffer.wrap(bytes, offset + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            long expected = ARRAY_HEADER + (long) count * elementSize(tag);
            if (count < 0 || expected != length) {
                throw corrupt("a " + typeName(tag) + " of " + count + " elements is " + expected + " bytes but "
                        + length + " were given (truncated or corrupt input)");
            }
        }
        ByteBuffer le = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        Object value = readOne(le, 0);
        if (le.hasRemaining()) {
            throw corrupt("a " + typeName(tag) + " message ends after " + le.position() + " bytes but " + length
                    + " were given (corrupt input)");
        }
        return value;
    }

    private static void need(ByteBuffer in, long n, byte tag) {
        if (in.remaining() < n) {
            throw corrupt("a " + typeName(tag) + " needs " + n + " more bytes but " + in.remaining()
                    + " are left (truncated or corrupt input)");
        }
    }

    private static Object readOne(ByteBuffer in, int depth) {
        need(in, 1, NULL);
        byte tag = in.get();
        switch (tag) {
            case NULL:
                return null;
            case INT:
                need(in, 4, tag);
                return in.getInt();
            case LONG:
                need(in, 8, tag);
                return in.getLong();
            case DOUBLE:
                need(in, 8, tag);
                return in.getDouble();
            case BOOLEAN:
                need(in, 1, tag);
                return in.get() != 0;
            default:
                break;
        }
        if (!isFastPath(tag)) {
            throw corrupt("first byte " + (tag & 0xff) + " inside a tuple is not a fast-path tag (corrupt input)");
        }
        need(in, 4, tag);
        int count = in.getInt();
        if (count < 0) {
            throw corrupt("a " + typeName(tag) + " of " + count + " elements (corrupt input)");
        }
        switch (tag) {
            case LATIN1: {
                need(in, count, tag);
                byte[] latin1 = new byte[count];
                in.get(latin1);
                return new String(latin1, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            case UTF16: {
                need(in, 2L * count, tag);
                char[] chars = new char[count];
                in.asCharBuffer().get(chars);
                in.position(in.position() + 2 * count);
                return new String(chars);
            }
            case TUPLE: {
                if (depth >= MAX_TUPLE_DEPTH) {
                    throw corrupt("tuples nested deeper than " + MAX_TUPLE_DEPTH + " (corrupt input)");
                }
                need(in, count, tag); // every element is at least one byte
                Object[] a = new Object[count];
                for (int i = 0; i < count; i++) {
                    a[i] = readOne(in, depth + 1);
                }
                return a;
            }
            default:
                break;
        }
        need(in, (long) count * elementSize(tag), tag);
        ByteBuffer le = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + count * elementSize(tag));
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
        return tag >= NULL && tag <= TUPLE;
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
