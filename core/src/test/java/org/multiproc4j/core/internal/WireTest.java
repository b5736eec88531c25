package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializationException;

/**
 * The one format of plain values: every kind, at its edges, in every form it is read from (an array at an
 * offset, heap and direct buffers of both byte orders), its exact bytes, and what malformed input gets.
 */
class WireTest {

    /** Every kind of plain value, with its edges. */
    static List<Object> plainValues() {
        List<Object> values = new ArrayList<>(Arrays.asList(
                null,
                0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                0.0d, -0.0d, Math.PI, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY,
                0.0f, -0.0f, 2.5f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
                true, false,
                (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE,
                (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
                'x', '\u0000', '\u00ff', '\u0100', '\uffff', '\ud800',
                "", "hello", "\u00ff\u0000", "x".repeat(10_000), "\u4e2d\u6587!", "emoji \ud83d\ude00",
                "lone \ud800 surrogate", "\ud800",
                new byte[0], new byte[] {1, -2, 3, Byte.MIN_VALUE, Byte.MAX_VALUE},
                new boolean[0], new boolean[] {true, false, true},
                new char[0], new char[] {'a', '\u4e2d', '\uffff', '\ud800'},
                new short[0], new short[] {1, -1, Short.MIN_VALUE, Short.MAX_VALUE},
                new int[0], new int[] {1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE},
                new long[0], new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE},
                new float[0], new float[] {1.5f, Float.NaN, -0.0f, Float.MAX_VALUE},
                new double[0], new double[] {Math.PI, -0.0, Double.MAX_VALUE, Double.NaN},
                new Object[0], new Object[] {null}, new Object[] {123456789, 3.14159, "hello"},
                new Object[] {new Object[] {1L, true}, new int[] {1, 2}, new double[0], null, "\u4e2d", (byte) 1,
                    (short) 2, 'c', 4f},
                new Object[] {new Object[] {new Object[] {new Object[] {"four deep"}}}}));
        // either side of the size from which arrays are copied in bulk, with values that show a byte order
        Random random = new Random(42);
        for (int n : new int[] {63, 64, 65, 1000}) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            boolean[] z = new boolean[n];
            char[] c = new char[n];
            short[] s = new short[n];
            int[] i = new int[n];
            long[] j = new long[n];
            float[] f = new float[n];
            double[] d = new double[n];
            for (int k = 0; k < n; k++) {
                z[k] = random.nextBoolean();
                c[k] = (char) random.nextInt();
                s[k] = (short) random.nextInt();
                i[k] = random.nextInt();
                j[k] = random.nextLong();
                f[k] = random.nextFloat() - 0.5f;
                d[k] = random.nextGaussian();
            }
            values.addAll(List.of(b, z, c, s, i, j, f, d));
        }
        return values;
    }

    /** Encodes a plain value, at an offset in a larger array, checking what it says about its size. */
    private static byte[] encode(Object value) {
        int n = Wire.encodedLength(value);
        assertTrue(n > 0, () -> "plain: " + describe(value));
        byte[] out = new byte[n];
        assertEquals(n, Wire.write(value, out, 0), () -> "write's count for " + describe(value));
        byte[] shifted = new byte[n + 7];
        Arrays.fill(shifted, (byte) 0x5a);
        assertEquals(n, Wire.write(value, shifted, 3));
        assertArrayEquals(out, Arrays.copyOfRange(shifted, 3, 3 + n), "the same bytes at any offset");
        assertEquals(0x5a, shifted[2]);
        assertEquals(0x5a, shifted[3 + n], () -> "nothing written past the message for " + describe(value));
        return out;
    }

    @Test
    void shouldRoundTripEveryKindOfPlainValueFromArraysAndBuffers() {
        for (Object value : plainValues()) {
            byte[] bytes = encode(value);
            assertTrue(Wire.isPlain(bytes[0]), () -> "a plain tag for " + describe(value));
            assertSame(value, Wire.read(bytes, 0, bytes.length), "array");
            byte[] padded = new byte[bytes.length + 10];
            System.arraycopy(bytes, 0, padded, 6, bytes.length);
            assertSame(value, Wire.read(padded, 6, bytes.length), "array at an offset");
            for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).order(order);
                direct.put(padded).position(2);
                assertSame(value, Wire.read(direct, 6, bytes.length), "direct buffer, " + order);
                assertEquals(2, direct.position(), "position untouched");
                assertEquals(order, direct.order(), "order untouched");
                ByteBuffer whole = ByteBuffer.wrap(Arrays.copyOfRange(padded, 0, padded.length)).order(order);
                assertSame(value, Wire.read(whole, 6, bytes.length), "heap buffer, " + order);
                ByteBuffer sliced = ByteBuffer.wrap(padded).position(1).slice().order(order);
                assertSame(value, Wire.read(sliced, 5, bytes.length), "heap buffer with an array offset, " + order);
                assertSame(value, Wire.read(sliced.asReadOnlyBuffer(), 5, bytes.length), "read-only buffer");
            }
        }
    }

    @Test
    void shouldWriteTheDocumentedBytes() {
        assertArrayEquals(new byte[] {Wire.NULL}, encode(null));
        assertArrayEquals(new byte[] {Wire.INT, 0x04, 0x03, 0x02, 0x01}, encode(0x01020304));
        assertArrayEquals(new byte[] {Wire.LONG, 8, 7, 6, 5, 4, 3, 2, 1}, encode(0x0102030405060708L));
        assertArrayEquals(new byte[] {Wire.DOUBLE, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f}, encode(1.0d));
        assertArrayEquals(new byte[] {Wire.FLOAT, 0, 0, (byte) 0x80, 0x3f}, encode(1.0f));
        assertArrayEquals(new byte[] {Wire.BOOLEAN, 1}, encode(true));
        assertArrayEquals(new byte[] {Wire.BYTE, -5}, encode((byte) -5));
        assertArrayEquals(new byte[] {Wire.SHORT, 0x02, 0x01}, encode((short) 0x0102));
        assertArrayEquals(new byte[] {Wire.CHAR, 0x2d, 0x4e}, encode('\u4e2d'));
        assertArrayEquals(new byte[] {Wire.LATIN1, 2, 0, 0, 0, 'h', (byte) 0xe9}, encode("h\u00e9"));
        assertArrayEquals(new byte[] {Wire.UTF16, 2, 0, 0, 0, 'h', 0, 0x2d, 0x4e}, encode("h\u4e2d"));
        assertArrayEquals(new byte[] {Wire.BYTES, 3, 0, 0, 0, 9, 8, 7}, encode(new byte[] {9, 8, 7}));
        assertArrayEquals(new byte[] {Wire.BOOLEANS, 2, 0, 0, 0, 1, 0}, encode(new boolean[] {true, false}));
        assertArrayEquals(new byte[] {Wire.CHARS, 1, 0, 0, 0, 'a', 0}, encode(new char[] {'a'}));
        assertArrayEquals(new byte[] {Wire.SHORTS, 1, 0, 0, 0, 2, 1}, encode(new short[] {0x0102}));
        assertArrayEquals(new byte[] {Wire.INTS, 1, 0, 0, 0, 4, 3, 2, 1}, encode(new int[] {0x01020304}));
        assertArrayEquals(new byte[] {Wire.LONGS, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, encode(new long[] {1}));
        assertArrayEquals(new byte[] {Wire.FLOATS, 1, 0, 0, 0, 0, 0, (byte) 0x80, 0x3f}, encode(new float[] {1}));
        assertArrayEquals(new byte[] {Wire.DOUBLES, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f},
                encode(new double[] {1}));
        assertArrayEquals(new byte[] {Wire.TUPLE, 2, 0, 0, 0, Wire.NULL, Wire.BOOLEAN, 0},
                encode(new Object[] {null, false}));
        // the bulk path writes what the element-by-element path writes
        int[] ints = new int[200];
        Arrays.setAll(ints, k -> k * 0x01010101);
        ByteBuffer le = ByteBuffer.wrap(encode(ints)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(200, le.getInt(1));
        for (int k = 0; k < ints.length; k++) {
            assertEquals(ints[k], le.getInt(Wire.ARRAY_HEADER + 4 * k));
        }
        assertEquals(Wire.ARRAY_HEADER, Wire.writeBytesHeader(300, new byte[5], 0));
        byte[] header = new byte[Wire.ARRAY_HEADER + 300];
        Wire.writeBytesHeader(300, header, 0);
        assertArrayEquals(Arrays.copyOf(encode(new byte[300]), Wire.ARRAY_HEADER),
                Arrays.copyOf(header, Wire.ARRAY_HEADER), "a byte[]'s header, for senders that send the array itself");
    }

    @Test
    void shouldTellPlainValuesFromOthers() {
        for (Object other : new Object[] {new Object(), List.of(1), new String[] {"a"}, new Integer[] {1},
                                          new int[][] {{1}}, new StringBuilder("s"), java.math.BigInteger.ONE,
                                          new Object[] {1, List.of()}, new Object[] {new String[0]},
                                          new Object[] {new Object[] {new Object[] {new Object[] {new Object[0]}}}}}) {
            assertEquals(-1, Wire.encodedLength(other), () -> "not plain: " + describe(other));
        }
        assertEquals(0, Wire.tagOf(new Object()));
        assertEquals(Wire.TUPLE, Wire.tagOf(new Object[] {List.of()}), "a tuple's tag, whatever it holds");
        for (byte tag = Wire.NULL; tag <= Wire.FLOAT; tag++) {
            assertTrue(Wire.isPlain(tag));
            assertFalse(Wire.typeName(tag).startsWith("tag "), "named: " + tag);
        }
        for (byte tag : new byte[] {0, 21, Wire.KRYO, Wire.JDK, Wire.CODEC, (byte) 0xff}) {
            assertFalse(Wire.isPlain(tag), "not plain: " + tag);
        }
        assertEquals("the JDK codec", Wire.describeTag(Wire.JDK));
        assertEquals("the fast (Kryo) codec", Wire.describeTag(Wire.KRYO));
        assertEquals("a pipe's or queue's codec", Wire.describeTag(Wire.CODEC));
        assertEquals("a plain value (double[])", Wire.describeTag(Wire.DOUBLES));
        assertTrue(Wire.describeTag((byte) 0).contains("zeroed"));
        assertTrue(Wire.describeTag((byte) 200).contains("first byte 200"));
    }

    @Test
    void shouldRefuseAPlainValueLongerThanAMessageBeforeWritingIt() {
        byte[] mebibyte = new byte[1 << 20];
        Object[] tuple = new Object[2048]; // 2 GiB and a little more, in one MiB of memory
        Arrays.fill(tuple, mebibyte);
        SerializationException e = assertThrows(SerializationException.class, () -> Wire.encodedLength(tuple));
        long needed = Wire.ARRAY_HEADER + 2048L * (Wire.ARRAY_HEADER + mebibyte.length);
        assertEquals("cannot encode an Object[]: it needs " + needed + " bytes, more than a message can hold ("
                + Wire.MAX_LENGTH + ")", e.getMessage());
    }

    @Test
    void shouldRefuseEmptyForeignAndOverlongInput() {
        assertMessage(() -> Wire.read(new byte[0], 0, 0), "the input is empty");
        assertMessage(() -> Wire.read(new byte[3], 0, 3), "first byte 0: zeroed");
        assertMessage(() -> Wire.read(new byte[] {Wire.JDK, 1}, 0, 2), "written by the JDK codec, not as a plain value");
        assertMessage(() -> Wire.read(new byte[] {Wire.CODEC, 1}, 0, 2), "written by a pipe's or queue's codec");
        assertMessage(() -> Wire.read(new byte[] {(byte) 99}, 0, 1), "first byte 99 is not a known tag");
        byte[] two = {Wire.NULL, Wire.NULL};
        assertMessage(() -> Wire.read(two, 0, 2), "a null message ends after 1 bytes but 2 were given");
        byte[] intAndMore = Arrays.copyOf(encode(7), 6);
        assertMessage(() -> Wire.read(intAndMore, 0, 6), "an Integer message ends after 5 bytes but 6 were given");
        assertThrows(IndexOutOfBoundsException.class, () -> Wire.read(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Wire.read(ByteBuffer.allocateDirect(4), 2, 3));
        ByteBuffer limited = ByteBuffer.allocateDirect(8).put(new byte[] {Wire.INT, 1, 0, 0, 0}).flip().limit(3);
        assertThrows(IndexOutOfBoundsException.class, () -> Wire.read(limited, 0, 5), "nothing read past the limit");
        assertThrows(IndexOutOfBoundsException.class, () -> Wire.read(new byte[4], -1, 2));
    }

    @Test
    void shouldRefuseBogusCountsWithoutAllocatingWhatTheyClaim() {
        byte[] array = encode(new double[4]);
        ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN).putInt(1, Integer.MAX_VALUE);
        assertMessage(() -> Wire.read(array, 0, array.length), "double[] of 2147483647 elements is 17179869181 bytes but 37");
        ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN).putInt(1, -1);
        assertMessage(() -> Wire.read(array, 0, array.length), "double[] of -1 elements");
        byte[] truncated = Arrays.copyOf(encode(new int[] {1, 2, 3}), 13);
        assertMessage(() -> Wire.read(truncated, 0, 13), "int[] of 3 elements is 17 bytes but 13 were given");
        assertMessage(() -> Wire.read(new byte[] {Wire.LONGS, 1}, 0, 2), "needs at least 5 bytes but 2 were given");
        byte[] string = {Wire.UTF16, -1, -1, -1, 0x7f, 'a'};
        assertMessage(() -> Wire.read(string, 0, string.length), "a String needs 4294967299 bytes but 6 are left");
        byte[] negative = {Wire.LATIN1, -1, -1, -1, -1};
        assertMessage(() -> Wire.read(negative, 0, negative.length), "a String of -1 elements (corrupt input)");
        byte[] tuple = {Wire.TUPLE, -1, -1, -1, 0x7f, Wire.NULL};
        assertMessage(() -> Wire.read(tuple, 0, tuple.length), "an Object[] needs 2147483652 bytes but 6 are left");
        byte[] shortTuple = {Wire.TUPLE, 3, 0, 0, 0, Wire.NULL, Wire.INT, 1, 2, 3, 4, Wire.NULL};
        assertEquals(3, ((Object[]) Wire.read(shortTuple, 0, shortTuple.length)).length);
        byte[] cut = Arrays.copyOf(shortTuple, shortTuple.length - 1);
        assertMessage(() -> Wire.read(cut, 0, cut.length), "a tuple of 3 elements ends after 2 of them");
        byte[] badElement = {Wire.TUPLE, 1, 0, 0, 0, Wire.JDK, 0};
        assertMessage(() -> Wire.read(badElement, 0, badElement.length), "byte 74 inside a tuple is not a plain");
        byte[] zeroElement = {Wire.TUPLE, 1, 0, 0, 0, 0};
        assertMessage(() -> Wire.read(zeroElement, 0, zeroElement.length), "byte 0 inside a tuple");
    }

    @Test
    void shouldRefuseTuplesNestedDeeperThanItWrites() {
        byte[] five = new byte[5 * Wire.ARRAY_HEADER + 1];
        for (int level = 0; level < 5; level++) {
            five[level * Wire.ARRAY_HEADER] = Wire.TUPLE;
            five[level * Wire.ARRAY_HEADER + 1] = 1;
        }
        five[five.length - 1] = Wire.NULL;
        assertMessage(() -> Wire.read(five, 0, five.length), "tuples nested deeper than 4");
        byte[] four = Arrays.copyOfRange(five, Wire.ARRAY_HEADER, five.length);
        Object[] decoded = (Object[]) Wire.read(four, 0, four.length);
        assertNull(((Object[]) ((Object[]) ((Object[]) decoded[0])[0])[0])[0]);
    }

    @Test
    void shouldRefuseTruncatedInputAtEveryLengthFromArraysAndBuffers() {
        for (Object value : plainValues()) {
            byte[] bytes = encode(value);
            if (bytes.length > 2_000) {
                continue; // the long ones are cut like the short ones; spare the time
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes);
            for (int n = 1; n < bytes.length; n++) {
                int length = n;
                assertThrows(SerializationException.class, () -> Wire.read(bytes, 0, length),
                        () -> "decoded " + length + " of " + bytes.length + " bytes of " + describe(value));
                assertThrows(SerializationException.class, () -> Wire.read(direct, 0, length),
                        () -> "decoded from a direct buffer " + length + " of " + bytes.length + " bytes of "
                                + describe(value));
            }
        }
    }

    /**
     * Corrupts every byte of encoded values in several ways: each read either returns a value or throws
     * {@link SerializationException}; nothing else escapes (no index error, no huge allocation).
     */
    @Test
    void shouldReturnAValueOrAClearExceptionForAnyCorruption() {
        byte[] replacements = {0, 1, -1, 0x7f, (byte) 0x80, Wire.TUPLE, Wire.UTF16, Wire.DOUBLES};
        for (Object value : plainValues()) {
            byte[] good = encode(value);
            if (good.length > 300) {
                continue;
            }
            for (int i = 0; i < good.length; i++) {
                for (byte replacement : replacements) {
                    byte[] bad = good.clone();
                    bad[i] = replacement;
                    try {
                        Wire.read(bad, 0, bad.length);
                        Wire.read(ByteBuffer.allocateDirect(bad.length).put(bad), 0, bad.length);
                    } catch (SerializationException expected) {
                        assertTrue(expected.getMessage().startsWith("cannot decode: "), expected.getMessage());
                    } catch (RuntimeException | OutOfMemoryError e) {
                        fail(describe(value) + " corrupted at byte " + i + " of " + good.length + " threw " + e, e);
                    }
                }
            }
        }
    }

    private static void assertSame(Object expected, Object actual, String where) {
        assertTrue(Objects.deepEquals(expected, actual) && sameType(expected, actual),
                () -> where + ": expected " + describe(expected) + " but got " + describe(actual));
    }

    private static boolean sameType(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected.getClass() != actual.getClass()) {
            return false;
        }
        if (expected instanceof Object[]) {
            Object[] e = (Object[]) expected;
            Object[] a = (Object[]) actual;
            for (int i = 0; i < e.length; i++) {
                if (!sameType(e[i], a[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            String text = value instanceof Object[] ? Arrays.deepToString((Object[]) value)
                    : value.getClass().getSimpleName() + " of " + java.lang.reflect.Array.getLength(value);
            return text.length() > 80 ? text.substring(0, 80) + "..." : text;
        }
        String text = value.getClass().getSimpleName() + " " + value;
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static SerializationException assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        SerializationException e = assertThrows(SerializationException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        return e;
    }
}
