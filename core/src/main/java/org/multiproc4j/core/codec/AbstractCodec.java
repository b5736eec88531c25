package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;
import java.util.function.Supplier;

import org.multiproc4j.core.SerializationException;

/**
 * What every codec shares: the fast path for {@code null} and primitive arrays, the buffer forms of
 * encode and decode, and the per-thread scratch buffer. Subclasses encode and decode everything else.
 */
abstract class AbstractCodec implements Codec {

    /** A scratch buffer that grew past this is dropped after use, so one huge message does not pin memory. */
    static final int MAX_RETAINED_SCRATCH = 1 << 20;

    private final transient PerThread<CodecBuffer> scratch = new PerThread<>(new Supplier<CodecBuffer>() {
        @Override
        public CodecBuffer get() {
            return new CodecBuffer();
        }
    });

    /**
     * Appends the encoded form of {@code value}, which is neither {@code null} nor a primitive array, tag
     * first. On failure, bytes past {@code out}'s length on entry are garbage (the caller resets the length).
     */
    abstract void encodeObject(Object value, CodecBuffer out);

    /** Decodes a message whose first byte, {@code tag}, is not a fast-path tag. */
    abstract Object decodeObject(byte tag, byte[] bytes, int offset, int length);

    /** "the fast (Kryo) codec", "the JDK codec": for messages. */
    abstract String kind();

    @Override
    public final byte[] encode(Object value) {
        byte tag = Wire.tagOf(value);
        int n = fastPathLength(tag, value);
        if (n >= 0) {
            byte[] out = new byte[n];
            Wire.write(tag, value, ByteBuffer.wrap(out));
            return out;
        }
        CodecBuffer buffer = scratch.acquire();
        try {
            buffer.clear();
            encodeObject(value, buffer);
            return buffer.toByteArray();
        } finally {
            buffer.trim(MAX_RETAINED_SCRATCH);
            scratch.release(buffer);
        }
    }

    @Override
    public final int encode(Object value, CodecBuffer out) {
        Objects.requireNonNull(out, "out");
        int start = out.length();
        byte tag = Wire.tagOf(value);
        int n = fastPathLength(tag, value);
        if (n >= 0) {
            byte[] array = out.reserve(n);
            Wire.write(tag, value, ByteBuffer.wrap(array, start, n));
            out.length(start + n);
            return n;
        }
        boolean done = false;
        try {
            encodeObject(value, out);
            done = true;
            return out.length() - start;
        } finally {
            if (!done) {
                out.length(start);
            }
        }
    }

    @Override
    public final int encode(Object value, ByteBuffer target) {
        if (target.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        byte tag = Wire.tagOf(value);
        int fast = fastPathLength(tag, value);
        if (fast >= 0) {
            if (fast > target.remaining()) {
                return -fast;
            }
            Wire.write(tag, value, target);
            return fast;
        }
        CodecBuffer buffer = scratch.acquire();
        try {
            buffer.clear();
            encodeObject(value, buffer);
            int n = buffer.length();
            if (n > target.remaining()) {
                return -n;
            }
            target.put(buffer.array(), 0, n);
            return n;
        } finally {
            buffer.trim(MAX_RETAINED_SCRATCH);
            scratch.release(buffer);
        }
    }

    @Override
    public final Object decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            throw Wire.corrupt("the input is empty (a message is at least 1 byte)");
        }
        byte tag = bytes[offset];
        if (Wire.isFastPath(tag)) {
            return Wire.read(tag, bytes, offset, length);
        }
        return decodeObject(tag, bytes, offset, length);
    }

    @Override
    public final Object decode(ByteBuffer source) {
        int length = source.remaining();
        Object value;
        if (source.hasArray()) {
            value = decode(source.array(), source.arrayOffset() + source.position(), length);
        } else {
            CodecBuffer buffer = scratch.acquire();
            try {
                buffer.clear();
                byte[] copy = buffer.reserve(length);
                source.duplicate().get(copy, 0, length);
                value = decode(copy, 0, length);
            } finally {
                buffer.trim(MAX_RETAINED_SCRATCH);
                scratch.release(buffer);
            }
        }
        source.position(source.limit());
        return value;
    }

    /** The error for a message whose tag belongs to another kind of codec, or to none. */
    final SerializationException foreignTag(byte tag) {
        return Wire.corrupt("the bytes were written by " + Wire.describeTag(tag) + ", not by " + kind()
                + ": decode them with the codec that encoded them");
    }

    /** The fast-path size of a value, or -1 if it takes the codec's own path. */
    private static int fastPathLength(byte tag, Object value) {
        long n = tag == 0 ? -1 : Wire.encodedLength(tag, value);
        if (n > CodecBuffer.MAX_LENGTH) {
            throw new SerializationException("cannot encode a " + Wire.typeName(tag) + ": it needs " + n
                    + " bytes, more than a message can hold (" + CodecBuffer.MAX_LENGTH + ")", null);
        }
        return (int) n;
    }
}
