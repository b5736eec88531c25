package org.multiproc4j.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.multiproc4j.core.SerializationException;

/**
 * The one byte format of plain values, shared by every codec ({@code org.multiproc4j.core.codec}), the task
 * transport ({@link TaskWire}) and the pipes and queues of {@code multiproc4j-ipc}: {@code null}, the boxed
 * primitives, {@code String}, the eight primitive arrays and {@code Object[]} tuples of these (Python's small
 * tuples), nested up to {@value #MAX_TUPLE_DEPTH} deep. A message is one tag byte and the value's bytes;
 * numbers are little-endian whatever the machine.
 *
 * <pre>
 *  0        1                5
 *  +--------+----------------+-----------------------------------------+
 *  | tag    | count (int32)  | count elements, raw                     |   BYTES .. DOUBLES: primitive arrays
 *  +--------+----------------+-----------------------------------------+
 *  | NULL   |                                                               null
 *  | INT    | int32   | LONG  | int64  | DOUBLE | float64 | FLOAT | float32   boxed primitives
 *  | BYTE   | int8    | SHORT | int16  | CHAR   | uint16  | BOOLEAN | 0 or 1
 *  +--------+----------------+-----------------------------------------+
 *  | LATIN1 | count (int32)  | count bytes, one per char (all below 256)|   String
 *  | UTF16  | count (int32)  | count chars, two bytes each              |   String (any chars, lossless)
 *  +--------+----------------+-----------------------------------------+
 *  | TUPLE  | count (int32)  | count plain messages, one after another  |   Object[]
 *  +--------+----------------+-----------------------------------------+
 *  | KRYO 'K' | JDK 'J'      | a codec's own encoding (see the codecs)  |   any other object
 *  | CODEC 'X'               | a channel codec's message                |   any other object, in pipes and queues
 *  +--------+------------------------------------------------------------+
 * </pre>
 *
 * <p>Tag 0 is never written, so bytes read from zeroed memory are recognised as "not a message". Plain tags are
 * {@link #NULL} to {@link #FLOAT}; the others say which codec wrote the rest, and this class does not read them.
 *
 * <p>Values are written into a {@code byte[]} and read from a {@code byte[]} or a {@link ByteBuffer} (heap or
 * direct, such as mapped shared memory, of any byte order, by absolute index: the buffer's position and order
 * are not touched, so one buffer can be read by several threads at once). Reading checks every count
 * against the bytes actually given before allocating anything: truncated or corrupt input fails with a
 * {@link SerializationException} that says what is wrong, never with an {@link OutOfMemoryError}, an index
 * error or a hang.
 *
 * <p>Thread-safe and stateless.
 */
public final class Wire {

    /** Tag of {@code null}. */
    public static final byte NULL = 1;
    /** Tag of a {@code byte[]}. */
    public static final byte BYTES = 2;
    /** Tag of a {@code boolean[]} (one byte per element, 0 or 1). */
    public static final byte BOOLEANS = 3;
    /** Tag of a {@code char[]}. */
    public static final byte CHARS = 4;
    /** Tag of a {@code short[]}. */
    public static final byte SHORTS = 5;
    /** Tag of an {@code int[]}. */
    public static final byte INTS = 6;
    /** Tag of a {@code long[]}. */
    public static final byte LONGS = 7;
    /** Tag of a {@code float[]}. */
    public static final byte FLOATS = 8;
    /** Tag of a {@code double[]}. */
    public static final byte DOUBLES = 9;
    /** Tag of an {@code Integer}. */
    public static final byte INT = 10;
    /** Tag of a {@code Long}. */
    public static final byte LONG = 11;
    /** Tag of a {@code Double}. */
    public static final byte DOUBLE = 12;
    /** Tag of a {@code Boolean}. */
    public static final byte BOOLEAN = 13;
    /** Tag of a {@code String} whose chars are all below 256. */
    public static final byte LATIN1 = 14;
    /** Tag of any other {@code String}. */
    public static final byte UTF16 = 15;
    /** Tag of an {@code Object[]} of plain values. */
    public static final byte TUPLE = 16;
    /** Tag of a {@code Byte}. */
    public static final byte BYTE = 17;
    /** Tag of a {@code Short}. */
    public static final byte SHORT = 18;
    /** Tag of a {@code Character}. */
    public static final byte CHAR = 19;
    /** Tag of a {@code Float}. */
    public static final byte FLOAT = 20;

    /** Tag of an object encoded by the fast (Kryo) codec, which writes and reads the bytes after it. */
    public static final byte KRYO = 'K';
    /** Tag of an object encoded by the JDK codec, which writes and reads the bytes after it. */
    public static final byte JDK = 'J';
    /** Tag of an object that a pipe or queue encoded with its codec: the codec's message follows. */
    public static final byte CODEC = 'X';

    /** How deep {@code Object[]} tuples nest; deeper ones are not plain values. */
    public static final int MAX_TUPLE_DEPTH = 4;
    /** Bytes of an array, string or tuple message before its elements: tag and count. */
    public static final int ARRAY_HEADER = 5;
    /** The longest message, {@value} bytes: the largest array every JVM can allocate. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    /** Arrays at least this long are copied in bulk through a buffer view rather than element by element. */
    private static final int BULK = 64;

    /** Which first bytes (as unsigned) are plain tags; which are arrays' tags. */
    private static final boolean[] PLAIN = new boolean[256];
    private static final boolean[] ARRAY = new boolean[256];

    /** The size of each scalar's message, by tag (0 for the others). */
    private static final byte[] FIXED = new byte[256];

    /**
     * Little-endian views of a {@code byte[]} and of a {@link ByteBuffer} (by absolute index, whatever the
     * buffer's order): one machine load or store per number where the index allows.
     */
    private static final VarHandle ARRAY_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_SHORT =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int tag = NULL; tag <= FLOAT; tag++) {
            PLAIN[tag] = true;
        }
        FIXED[NULL] = 1;
        FIXED[BOOLEAN] = 2;
        FIXED[BYTE] = 2;
        FIXED[SHORT] = 3;
        FIXED[CHAR] = 3;
        FIXED[INT] = 5;
        FIXED[FLOAT] = 5;
        FIXED[LONG] = 9;
        FIXED[DOUBLE] = 9;
        for (int tag = BYTES; tag <= DOUBLES; tag++) {
            ARRAY[tag] = true;
        }
    }

    private Wire() {
    }

    // ------------------------------------------------------------------------------------------- tags

    /**
     * Returns the tag of a value's class, or 0 if the value is not plain. An {@code Object[]} gets
     * {@link #TUPLE} here; whether its elements are plain is for {@link #encodedLength(byte, Object)}.
     *
     * @param value the value, may be {@code null}.
     * @return its tag, or 0.
     */
    public static byte tagOf(Object value) {
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
        } else if (c == Object[].class) {
            return TUPLE;
        } else if (c == Boolean.class) {
            return BOOLEAN;
        } else if (c.isArray()) {
            return arrayTag(c);
        } else if (c == Float.class) {
            return FLOAT;
        } else if (c == Byte.class) {
            return BYTE;
        } else if (c == Short.class) {
            return SHORT;
        } else if (c == Character.class) {
            return CHAR;
        }
        return 0;
    }

    private static byte arrayTag(Class<?> c) {
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
        } else if (c == boolean[].class) {
            return BOOLEANS;
        }
        return 0;
    }

    /**
     * Tells whether a first byte is the tag of a plain value.
     *
     * @param tag a message's first byte.
     * @return {@code true} for {@link #NULL} to {@link #FLOAT}.
     */
    public static boolean isPlain(byte tag) {
        // a table, not "tag >= NULL && tag <= FLOAT": inlined into read() under ipc's AgronaWire.decode, JDK
        // 17.0.15's C2 compiled that pair of compares wrongly and refused NULL (seen in ipc's whole unit suite and
        // in a standalone warm-up loop; the run under -Xint or C1 was right); a table leaves no compares to fold
        return PLAIN[tag & 0xff];
    }

    /**
     * Names the Java type of a tag, for messages: {@code "double[]"}, {@code "Integer"}, {@code "String"}.
     *
     * @param tag a tag.
     * @return its type's name, or {@code "tag n"}.
     */
    public static String typeName(byte tag) {
        switch (tag) {
            case NULL:
                return "null";
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
            case BYTE:
                return "Byte";
            case SHORT:
                return "Short";
            case CHAR:
                return "Character";
            case FLOAT:
                return "Float";
            default:
                return "tag " + (tag & 0xff);
        }
    }

    /**
     * Says who writes the messages that start with a tag, for messages: {@code "the JDK codec"},
     * {@code "a plain value (Integer)"}, {@code "nothing (first byte 0: zeroed or unwritten memory)"}.
     *
     * @param tag a message's first byte.
     * @return a description.
     */
    public static String describeTag(byte tag) {
        if (tag == KRYO) {
            return "the fast (Kryo) codec";
        } else if (tag == JDK) {
            return "the JDK codec";
        } else if (tag == CODEC) {
            return "a pipe's or queue's codec";
        } else if (tag == 0) {
            return "nothing (first byte 0: zeroed or unwritten memory)";
        } else if (isPlain(tag)) {
            return "a plain value (" + typeName(tag) + ")";
        }
        return "no codec (first byte " + (tag & 0xff) + " is not a known tag)";
    }

    /**
     * Returns the exception for bytes that are not a message: a {@link SerializationException} whose message
     * starts with "cannot decode: ".
     *
     * @param detail what is wrong.
     * @return the exception, to throw.
     */
    public static SerializationException corrupt(String detail) {
        return new SerializationException("cannot decode: " + detail, null);
    }

    /** "an Integer", "a double[]": a tag's type with its article, for messages. */
    private static String article(byte tag) {
        String name = typeName(tag);
        return ("AEIOUaeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static int elementSize(byte tag) {
        switch (tag) {
            case BYTES:
            case BOOLEANS:
            case LATIN1:
                return 1;
            case CHARS:
            case SHORTS:
            case UTF16:
                return 2;
            case INTS:
            case FLOATS:
                return 4;
            default:
                return 8;
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

    // ---------------------------------------------------------------------------------------- writing

    /**
     * Returns the encoded size of a value, or -1 if it is not plain: a class without a tag, or a tuple holding
     * something else or nested deeper than {@value #MAX_TUPLE_DEPTH}.
     *
     * @param value the value, may be {@code null}.
     * @return its size in bytes, at most {@link #MAX_LENGTH}, or -1.
     * @throws SerializationException if it is plain but longer than {@link #MAX_LENGTH} bytes (the message names
     *                                its type and size).
     */
    public static int encodedLength(Object value) {
        byte tag = tagOf(value);
        if (tag == 0) {
            return -1;
        }
        long n = encodedLength(tag, value, 0);
        if (n > MAX_LENGTH) {
            throw new SerializationException("cannot encode " + article(tag) + ": it needs " + n
                    + " bytes, more than a message can hold (" + MAX_LENGTH + ")", null);
        }
        return (int) n;
    }

    private static long encodedLength(byte tag, Object value, int depth) {
        switch (tag) {
            case NULL:
                return 1;
            case BOOLEAN:
            case BYTE:
                return 2;
            case SHORT:
            case CHAR:
                return 3;
            case INT:
            case FLOAT:
                return 5;
            case LONG:
            case DOUBLE:
                return 9;
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

    /**
     * Writes a plain value. The caller has checked with {@link #encodedLength(Object)} that it is plain and
     * that {@code dst} has room for it from {@code offset}.
     *
     * @param value  a plain value.
     * @param dst    where to write.
     * @param offset the first byte to write.
     * @return the number of bytes written.
     */
    public static int write(Object value, byte[] dst, int offset) {
        return writeAt(tagOf(value), value, dst, offset) - offset;
    }

    /** Writes a value with its tag at {@code at}; returns the index after it. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is exactly Latin-1's encoder
    private static int writeAt(byte tag, Object value, byte[] a, int at) {
        a[at++] = tag;
        switch (tag) {
            case NULL:
                return at;
            case INT:
                putInt(a, at, (Integer) value);
                return at + 4;
            case LONG:
                putLong(a, at, (Long) value);
                return at + 8;
            case DOUBLE:
                putLong(a, at, Double.doubleToRawLongBits((Double) value));
                return at + 8;
            case BOOLEAN:
                a[at] = (Boolean) value ? (byte) 1 : (byte) 0;
                return at + 1;
            case BYTE:
                a[at] = (Byte) value;
                return at + 1;
            case SHORT:
                putShort(a, at, (Short) value);
                return at + 2;
            case CHAR:
                putShort(a, at, (Character) value);
                return at + 2;
            case FLOAT:
                putInt(a, at, Float.floatToRawIntBits((Float) value));
                return at + 4;
            case LATIN1: {
                String s = (String) value;
                int n = s.length();
                putInt(a, at, n);
                at += 4;
                s.getBytes(0, n, a, at); // the low byte of each char, all below 256 here: Latin-1, in one copy
                return at + n;
            }
            case UTF16: {
                String s = (String) value;
                int n = s.length();
                putInt(a, at, n);
                at += 4;
                for (int i = 0; i < n; i++) {
                    putShort(a, at + 2 * i, s.charAt(i));
                }
                return at + 2 * n;
            }
            case TUPLE: {
                Object[] t = (Object[]) value;
                putInt(a, at, t.length);
                at += 4;
                for (Object e : t) {
                    at = writeAt(tagOf(e), e, a, at);
                }
                return at;
            }
            default:
                return writeArray(tag, value, a, at);
        }
    }

    private static int writeArray(byte tag, Object value, byte[] a, int at) {
        int count = java.lang.reflect.Array.getLength(value);
        putInt(a, at, count);
        at += 4;
        int size = count * elementSize(tag);
        if (tag == BYTES) {
            System.arraycopy((byte[]) value, 0, a, at, count);
        } else if (tag == BOOLEANS) {
            boolean[] v = (boolean[]) value;
            for (int i = 0; i < count; i++) {
                a[at + i] = v[i] ? (byte) 1 : (byte) 0;
            }
        } else if (count >= BULK) {
            ByteBuffer le = ByteBuffer.wrap(a, at, size).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (tag) {
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
        } else {
            switch (tag) {
                case CHARS: {
                    char[] v = (char[]) value;
                    for (int i = 0; i < count; i++) {
                        putShort(a, at + 2 * i, v[i]);
                    }
                    break;
                }
                case SHORTS: {
                    short[] v = (short[]) value;
                    for (int i = 0; i < count; i++) {
                        putShort(a, at + 2 * i, v[i]);
                    }
                    break;
                }
                case INTS: {
                    int[] v = (int[]) value;
                    for (int i = 0; i < count; i++) {
                        putInt(a, at + 4 * i, v[i]);
                    }
                    break;
                }
                case LONGS: {
                    long[] v = (long[]) value;
                    for (int i = 0; i < count; i++) {
                        putLong(a, at + 8 * i, v[i]);
                    }
                    break;
                }
                case FLOATS: {
                    float[] v = (float[]) value;
                    for (int i = 0; i < count; i++) {
                        putInt(a, at + 4 * i, Float.floatToRawIntBits(v[i]));
                    }
                    break;
                }
                default: {
                    double[] v = (double[]) value;
                    for (int i = 0; i < count; i++) {
                        putLong(a, at + 8 * i, Double.doubleToRawLongBits(v[i]));
                    }
                    break;
                }
            }
        }
        return at + size;
    }

    /**
     * Writes the tag and count of a {@code byte[]} message, for a sender that sends the elements from the
     * array itself.
     *
     * @param count  the array's length.
     * @param dst    where to write {@value #ARRAY_HEADER} bytes.
     * @param offset the first byte to write.
     * @return {@value #ARRAY_HEADER}.
     */
    public static int writeBytesHeader(int count, byte[] dst, int offset) {
        dst[offset] = BYTES;
        putInt(dst, offset + 1, count);
        return ARRAY_HEADER;
    }

    private static void putShort(byte[] a, int i, int v) {
        ARRAY_SHORT.set(a, i, (short) v);
    }

    private static void putInt(byte[] a, int i, int v) {
        ARRAY_INT.set(a, i, v);
    }

    private static void putLong(byte[] a, int i, long v) {
        ARRAY_LONG.set(a, i, v);
    }

    // ---------------------------------------------------------------------------------------- reading

    /**
     * Reads a plain message of exactly {@code length} bytes from an array.
     *
     * @param src    the array.
     * @param offset the message's first byte, its tag.
     * @param length the message's length.
     * @return the value, which may be {@code null}.
     * @throws SerializationException    if the bytes are not exactly one plain message (the message says why:
     *                                   a tag that is not plain, a truncated value, bytes left over).
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}.
     */
    public static Object read(byte[] src, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        return read(src, null, offset, length);
    }

    /**
     * Reads a plain message of exactly {@code length} bytes from a buffer, by absolute index (as
     * {@link ByteBuffer#get(int)} does): its position and byte order are neither used nor changed.
     *
     * @param src    the buffer, heap or direct, of any byte order.
     * @param index  the message's first byte, its tag.
     * @param length the message's length.
     * @return the value, which may be {@code null}.
     * @throws SerializationException    if the bytes are not exactly one plain message (the message says why).
     * @throws IndexOutOfBoundsException if {@code index} and {@code length} do not lie below the buffer's limit.
     */
    public static Object read(ByteBuffer src, int index, int length) {
        java.util.Objects.checkFromIndexSize(index, length, src.limit());
        if (src.hasArray()) {
            return read(src.array(), null, src.arrayOffset() + index, length);
        }
        return read(null, src, index, length);
    }

    private static Object read(byte[] a, ByteBuffer b, int offset, int length) {
        if (length < 1) {
            throw corrupt("the input is empty (a message is at least 1 byte)");
        }
        byte tag = get(a, b, offset);
        if (!isPlain(tag)) {
            throw corrupt("the bytes were written by " + describeTag(tag) + ", not as a plain value");
        }
        int end = offset + length;
        int fixed = FIXED[tag & 0xff];
        if (fixed > 0) {
            // a scalar: the common message
            need(fixed, offset, end, tag);
            if (length != fixed) {
                throw corrupt(article(tag) + " message ends after " + fixed + " bytes but " + length
                        + " were given (corrupt input, or a message boundary is wrong)");
            }
            return scalar(tag, a, b, offset + 1);
        }
        if (ARRAY[tag & 0xff]) {
            // a top-level array's length must match exactly: say so in those terms
            if (length < ARRAY_HEADER) {
                throw corrupt(article(tag) + " message needs at least " + ARRAY_HEADER + " bytes but "
                        + length + " were given (truncated input)");
            }
            int count = getInt(a, b, offset + 1);
            long expected = ARRAY_HEADER + (long) count * elementSize(tag);
            if (count < 0 || expected != length) {
                throw corrupt(article(tag) + " of " + count + " elements is " + expected + " bytes but "
                        + length + " were given (truncated or corrupt input)");
            }
            return elements(tag, a, b, offset + ARRAY_HEADER, count);
        }
        Reader reader = new Reader(a, b, offset, end);
        Object value = reader.value(0);
        if (reader.at != end) {
            throw corrupt(article(tag) + " message ends after " + (reader.at - offset) + " bytes but " + length
                    + " were given (corrupt input, or a message boundary is wrong)");
        }
        return value;
    }

    /**
     * Reads strings and tuples in one pass, checking each tag, count and nesting against the bytes left before
     * it allocates anything.
     */
    private static final class Reader {
        private final byte[] a;
        private final ByteBuffer b;
        private final int end;
        /** The next unread byte. */
        int at;

        Reader(byte[] a, ByteBuffer b, int at, int end) {
            this.a = a;
            this.b = b;
            this.at = at;
            this.end = end;
        }

        /** Reads the value at {@link #at}, which is below {@link #end}, and moves past it. */
        Object value(int depth) {
            int start = at;
            byte tag = get(a, b, start);
            int fixed = FIXED[tag & 0xff];
            if (fixed > 0) {
                need(fixed, start, end, tag);
                at = start + fixed;
                return scalar(tag, a, b, start + 1);
            }
            if (!isPlain(tag)) {
                throw corrupt("byte " + (tag & 0xff) + " inside a tuple is not a plain value's tag (corrupt input)");
            }
            need(ARRAY_HEADER, start, end, tag);
            int count = getInt(a, b, start + 1);
            if (count < 0) {
                throw corrupt(article(tag) + " of " + count + " elements (corrupt input)");
            }
            if (tag != TUPLE) {
                long size = ARRAY_HEADER + (long) count * elementSize(tag);
                need(size, start, end, tag);
                at = start + (int) size;
                return elements(tag, a, b, start + ARRAY_HEADER, count);
            }
            if (depth >= MAX_TUPLE_DEPTH) {
                throw corrupt("tuples nested deeper than " + MAX_TUPLE_DEPTH + " (corrupt input)");
            }
            need(ARRAY_HEADER + (long) count, start, end, tag); // every element is at least one byte
            Object[] t = new Object[count];
            at = start + ARRAY_HEADER;
            for (int i = 0; i < count; i++) {
                if (at >= end) {
                    throw corrupt("a tuple of " + count + " elements ends after " + i + " of them (truncated input)");
                }
                t[i] = value(depth + 1);
            }
            return t;
        }
    }

    private static void need(long size, int at, int end, byte tag) {
        if (size > end - at) {
            throw corrupt(article(tag) + " needs " + size + " bytes but " + (end - at)
                    + " are left (truncated or corrupt input)");
        }
    }

    /** Reads the scalar whose bytes start at {@code p} (after its tag), already checked to be there. */
    private static Object scalar(byte tag, byte[] a, ByteBuffer b, int p) {
        switch (tag) {
            case NULL:
                return null;
            case INT:
                return getInt(a, b, p);
            case LONG:
                return getLong(a, b, p);
            case DOUBLE:
                return Double.longBitsToDouble(getLong(a, b, p));
            case BOOLEAN:
                return get(a, b, p) != 0;
            case BYTE:
                return get(a, b, p);
            case SHORT:
                return getShort(a, b, p);
            case CHAR:
                return (char) getShort(a, b, p);
            default:
                return Float.intBitsToFloat(getInt(a, b, p));
        }
    }

    /** Reads the {@code count} elements of a string or array from {@code p}, already checked to be there. */
    private static Object elements(byte tag, byte[] a, ByteBuffer b, int p, int count) {
        switch (tag) {
            case LATIN1:
                if (a != null) {
                    return new String(a, p, count, StandardCharsets.ISO_8859_1);
                }
                return new String(bytes(b, p, count), StandardCharsets.ISO_8859_1);
            case UTF16: {
                char[] chars = new char[count];
                for (int i = 0; i < count; i++) {
                    chars[i] = (char) getShort(a, b, p + 2 * i);
                }
                return new String(chars);
            }
            case BYTES:
                return a != null ? java.util.Arrays.copyOfRange(a, p, p + count) : bytes(b, p, count);
            case BOOLEANS: {
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) {
                    v[i] = get(a, b, p + i) != 0;
                }
                return v;
            }
            default:
                return count >= BULK ? bulkArray(tag, a, b, p, count) : smallArray(tag, a, b, p, count);
        }
    }

    private static byte[] bytes(ByteBuffer b, int index, int count) {
        byte[] v = new byte[count];
        b.get(index, v);
        return v;
    }

    private static Object smallArray(byte tag, byte[] a, ByteBuffer b, int p, int count) {
        switch (tag) {
            case CHARS: {
                char[] v = new char[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (char) getShort(a, b, p + 2 * i);
                }
                return v;
            }
            case SHORTS: {
                short[] v = new short[count];
                for (int i = 0; i < count; i++) {
                    v[i] = getShort(a, b, p + 2 * i);
                }
                return v;
            }
            case INTS: {
                int[] v = new int[count];
                for (int i = 0; i < count; i++) {
                    v[i] = getInt(a, b, p + 4 * i);
                }
                return v;
            }
            case LONGS: {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = getLong(a, b, p + 8 * i);
                }
                return v;
            }
            case FLOATS: {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = Float.intBitsToFloat(getInt(a, b, p + 4 * i));
                }
                return v;
            }
            default: {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    v[i] = Double.longBitsToDouble(getLong(a, b, p + 8 * i));
                }
                return v;
            }
        }
    }

    private static Object bulkArray(byte tag, byte[] a, ByteBuffer b, int p, int count) {
        int size = count * elementSize(tag);
        ByteBuffer le = (a != null ? ByteBuffer.wrap(a, p, size) : b.duplicate().clear().position(p).limit(p + size))
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (tag) {
            case CHARS: {
                char[] v = new char[count];
                le.asCharBuffer().get(v);
                return v;
            }
            case SHORTS: {
                short[] v = new short[count];
                le.asShortBuffer().get(v);
                return v;
            }
            case INTS: {
                int[] v = new int[count];
                le.asIntBuffer().get(v);
                return v;
            }
            case LONGS: {
                long[] v = new long[count];
                le.asLongBuffer().get(v);
                return v;
            }
            case FLOATS: {
                float[] v = new float[count];
                le.asFloatBuffer().get(v);
                return v;
            }
            default: {
                double[] v = new double[count];
                le.asDoubleBuffer().get(v);
                return v;
            }
        }
    }

    private static byte get(byte[] a, ByteBuffer b, int i) {
        return a != null ? a[i] : b.get(i);
    }

    private static short getShort(byte[] a, ByteBuffer b, int i) {
        return a != null ? (short) ARRAY_SHORT.get(a, i) : (short) BUFFER_SHORT.get(b, i);
    }

    private static int getInt(byte[] a, ByteBuffer b, int i) {
        return a != null ? (int) ARRAY_INT.get(a, i) : (int) BUFFER_INT.get(b, i);
    }

    private static long getLong(byte[] a, ByteBuffer b, int i) {
        return a != null ? (long) ARRAY_LONG.get(a, i) : (long) BUFFER_LONG.get(b, i);
    }
}
