package org.multiproc4j.core.codec;

import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one message that checks every length it is asked to allocate for against the
 * bytes that remain, so that a corrupt length fails at once instead of allocating gigabytes.
 *
 * <p>Arrays and strings need at least one byte per element, so their lengths are checked strictly. An element
 * of a collection normally takes a byte too, but can take none (a {@code null} in a list whose elements are
 * all {@code null}, an object without fields); such elements are allowed up to a budget of
 * {@value #ZERO_BYTE_ELEMENTS} per message, so a corrupt count can cost at most that many list slots.
 */
final class BoundedInput extends Input {

    /** Elements per message that may take no bytes at all (see the class comment). */
    static final int ZERO_BYTE_ELEMENTS = 1 << 20;

    private static final byte[] EMPTY = new byte[0];

    private long zeroByteBudget;

    BoundedInput() {
        super(EMPTY);
    }

    /** Points this input at one message. */
    void reset(byte[] bytes, int offset, int length) {
        setBuffer(bytes, offset, length);
        zeroByteBudget = ZERO_BYTE_ELEMENTS;
    }

    /** Drops the reference to the caller's array. */
    void release() {
        setBuffer(EMPTY);
    }

    /** Fails unless {@code count} elements of {@code bytesEach} bytes fit in what remains. */
    void checkLength(long count, int bytesEach, String what) {
        long remaining = limit - position;
        if (count < 0 || count * bytesEach > remaining) {
            throw new CodecKryoException("cannot decode: " + what + " of " + count + " elements needs "
                    + count * bytesEach + " bytes but " + remaining + " remain (truncated or corrupt input)");
        }
    }

    /** Fails unless a collection of {@code count} elements can be held by what remains (see class comment). */
    void checkElements(long count, String what) {
        long remaining = limit - position;
        if (count < 0) {
            throw new CodecKryoException("cannot decode: " + what + " of " + count + " elements (corrupt input)");
        }
        if (count <= remaining) {
            return;
        }
        long excess = count - remaining;
        if (excess > zeroByteBudget) {
            throw new CodecKryoException("cannot decode: " + what + " claims " + count + " elements but only "
                    + remaining + " bytes remain (truncated or corrupt input)");
        }
        zeroByteBudget -= excess;
    }

    /** Reads the varint length prefix Kryo's array serializers write (length + 1, 0 for null) without consuming it. */
    int peekLengthPrefix() {
        int start = position;
        int n = readVarInt(true);
        position = start;
        return n;
    }

    @Override
    public byte[] readBytes(int length) {
        checkLength(length, 1, "a byte[]");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkLength(length, 4, "an int[]");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkLength(length, 1, "an int[]");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkLength(length, 8, "a long[]");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkLength(length, 1, "a long[]");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkLength(length, 4, "a float[]");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkLength(length, 8, "a double[]");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkLength(length, 2, "a short[]");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkLength(length, 2, "a char[]");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkLength(length, 1, "a boolean[]");
        return super.readBooleans(length);
    }

    @Override
    public String readString() {
        int p = position;
        if (p < limit && (buffer[p] & 0x80) != 0) {
            checkUtf8Length(p);
        }
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        int p = position;
        if (p < limit && (buffer[p] & 0x80) != 0) {
            checkUtf8Length(p);
        }
        return super.readStringBuilder();
    }

    /**
     * Checks the char count of a UTF-8 string at {@code p} (bit 7 of its first byte set): a varint of the count
     * + 1 (0 for null) after the flag bit, and at least one byte per char after it. Kryo's format: 6 bits in
     * the first byte (bit 6: more), then 7 bits per byte (bit 7: more).
     */
    private void checkUtf8Length(int p) {
        int b = buffer[p++];
        long n = b & 0x3f;
        int shift = 6;
        boolean more = (b & 0x40) != 0;
        while (more && shift <= 34 && p < limit) {
            b = buffer[p++];
            n |= (long) (b & 0x7f) << shift;
            shift += 7;
            more = (b & 0x80) != 0;
        }
        if (n > 1) {
            long remaining = limit - p;
            if (n - 1 > remaining) {
                throw new CodecKryoException("cannot decode: a String of " + (n - 1) + " chars needs at least "
                        + (n - 1) + " bytes but " + remaining + " remain (truncated or corrupt input)");
            }
        }
    }
}
