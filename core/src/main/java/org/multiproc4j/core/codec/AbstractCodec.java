package org.multiproc4j.core.codec;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;
import java.util.function.Supplier;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.Wire;

/**
 * What every codec shares: the fast path for plain values ({@link Wire}), the buffer forms of
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
        int n = Wire.encodedLength(value);
        if (n >= 0) {
            byte[] out = new byte[n];
            Wire.write(value, out, 0);
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
        int n = Wire.encodedLength(value);
        if (n >= 0) {
            byte[] array = out.reserve(n);
            Wire.write(value, array, start);
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
        int fast = Wire.encodedLength(value);
        if (fast >= 0 && target.hasArray()) {
            if (fast > target.remaining()) {
                return -fast;
            }
            Wire.write(value, target.array(), target.arrayOffset() + target.position());
            target.position(target.position() + fast);
            return fast;
        }
        CodecBuffer buffer = scratch.acquire();
        try {
            buffer.clear();
            if (fast >= 0) {
                // a direct buffer: written in an array first, as the codec's own path is
                Wire.write(value, buffer.reserve(fast), 0);
                buffer.length(fast);
            } else {
                encodeObject(value, buffer);
            }
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
        if (Wire.isPlain(tag)) {
            return Wire.read(bytes, offset, length);
        }
        return decodeObject(tag, bytes, offset, length);
    }

    @Override
    public final Object decode(ByteBuffer source) {
        int length = source.remaining();
        Object value;
        if (source.hasArray()) {
            value = decode(source.array(), source.arrayOffset() + source.position(), length);
        } else if (length > 0 && Wire.isPlain(source.get(source.position()))) {
            value = Wire.read(source, source.position(), length); // read in place
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
}
