package org.multiproc4j.ipc.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bytes of one message on their way into a ring, read front to back in pieces as fragments are claimed:
 * an encoded value, a region of a {@code byte[]} (sent without an intermediate copy), a {@code ByteBuffer}, or a
 * channel (for messages larger than 2 GiB). Not thread-safe; used once.
 */
public abstract class Payload {

    /**
     * Returns the total number of bytes.
     *
     * @return the length.
     */
    public abstract long length();

    /**
     * Copies the next {@code n} bytes into {@code dst}.
     *
     * @param dst   the ring's buffer.
     * @param index where to put them.
     * @param n     how many; the sum over all calls is {@link #length()}.
     * @throws IOException if a channel source fails or ends early.
     */
    public abstract void next(MutableDirectBuffer dst, int index, int n) throws IOException;

    /**
     * A payload of an Agrona buffer region (an encoded value).
     *
     * @param src    the buffer.
     * @param offset the first byte.
     * @param length how many bytes.
     * @return the payload.
     */
    public static Payload of(DirectBuffer src, int offset, int length) {
        return new Payload() {
            private int pos = offset;

            @Override
            public long length() {
                return length;
            }

            @Override
            public void next(MutableDirectBuffer dst, int index, int n) {
                dst.putBytes(index, src, pos, n);
                pos += n;
            }
        };
    }

    /**
     * A payload of a prefix (a codec tag) followed by a region of an array, copied straight from the array.
     *
     * @param prefix       bytes sent first, may be empty.
     * @param prefixLength how many of them.
     * @param body         the array.
     * @param offset       the region's first byte.
     * @param length       the region's length.
     * @return the payload.
     */
    public static Payload of(DirectBuffer prefix, int prefixLength, byte[] body, int offset, int length) {
        return new Payload() {
            private long pos;

            @Override
            public long length() {
                return (long) prefixLength + length;
            }

            @Override
            public void next(MutableDirectBuffer dst, int index, int n) {
                int at = index;
                int left = n;
                if (pos < prefixLength) {
                    int p = (int) Math.min(left, prefixLength - pos);
                    dst.putBytes(at, prefix, (int) pos, p);
                    at += p;
                    left -= p;
                    pos += p;
                }
                if (left > 0) {
                    dst.putBytes(at, body, offset + (int) (pos - prefixLength), left);
                    pos += left;
                }
            }
        };
    }

    /**
     * A payload of a buffer's remaining bytes; its position advances as they are sent.
     *
     * @param src the buffer.
     * @return the payload.
     */
    public static Payload of(ByteBuffer src) {
        int length = src.remaining();
        return new Payload() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void next(MutableDirectBuffer dst, int index, int n) {
                dst.putBytes(index, src, src.position(), n);
                src.position(src.position() + n);
            }
        };
    }

    /**
     * A payload of the next {@code length} bytes of a channel.
     *
     * @param src    the channel.
     * @param length how many bytes to send; any length, 2 GiB and beyond.
     * @return the payload.
     */
    public static Payload of(ReadableByteChannel src, long length) {
        return new Payload() {
            private ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
            private long sent;

            @Override
            public long length() {
                return length;
            }

            @Override
            public void next(MutableDirectBuffer dst, int index, int n) throws IOException {
                int at = index;
                int left = n;
                while (left > 0) {
                    chunk.clear().limit(Math.min(chunk.capacity(), left));
                    while (chunk.hasRemaining()) {
                        if (src.read(chunk) < 0) {
                            throw new EOFException("the channel ended after " + (sent + (n - left) + chunk.position())
                                    + " of the " + length + " bytes to send");
                        }
                    }
                    chunk.flip();
                    int got = chunk.remaining();
                    dst.putBytes(at, chunk, 0, got);
                    at += got;
                    left -= got;
                }
                sent += n;
            }
        };
    }
}
