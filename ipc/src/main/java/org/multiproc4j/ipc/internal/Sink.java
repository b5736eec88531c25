package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where a received message goes: decoded into an object, copied into a new {@code byte[]}, into the caller's
 * array or buffer, or written to a channel. A whole message is handled in one call, straight from the ring; a
 * fragmented one is announced with its total length, then arrives piece by piece.
 *
 * <p>A sink may refuse a message before taking any of it (the caller's buffer is too small, or a
 * {@code byte[]} cannot hold it); the receiver then leaves the message where it is. One reusable instance per
 * receiving channel end, set up for each receive; not thread-safe.
 */
public final class Sink {
    /** The largest {@code byte[]} the JVM allocates reliably. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private enum Mode { OBJECT, BYTES, ARRAY, BUFFER, CHANNEL }

    private final AgronaWire codec;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);

    private Mode mode;

    /**
     * Creates a sink decoding with a channel's codec.
     *
     * @param codec the codec.
     */
    public Sink(AgronaWire codec) {
        this.codec = codec;
    }

    private byte[] array;
    private int arrayOffset;
    private ByteBuffer target;
    private WritableByteChannel channel;

    private boolean bytesKind;
    private long total;
    private long received;
    private byte[] assembly;
    private Object result;
    private long refusedLength = -1;

    /** Sets up for {@code recv()}: a value (raw bytes come back as a {@code byte[]}). */
    public void forObject() {
        reset(Mode.OBJECT);
    }

    /** Sets up for {@code recvBytes()}: a new array of the message's bytes. */
    public void forBytes() {
        reset(Mode.BYTES);
    }

    /**
     * Sets up for {@code recvBytesInto(byte[], offset)}.
     *
     * @param dst    the caller's array.
     * @param offset where the message goes.
     */
    public void forArray(byte[] dst, int offset) {
        reset(Mode.ARRAY);
        array = dst;
        arrayOffset = offset;
    }

    /**
     * Sets up for {@code recvBytesInto(ByteBuffer)}.
     *
     * @param dst the caller's buffer; the message goes at its position.
     */
    public void forBuffer(ByteBuffer dst) {
        reset(Mode.BUFFER);
        target = dst;
    }

    /**
     * Sets up for {@code recvBytesInto(WritableByteChannel)}.
     *
     * @param dst the channel.
     */
    public void forChannel(WritableByteChannel dst) {
        reset(Mode.CHANNEL);
        channel = dst;
    }

    private void reset(Mode m) {
        mode = m;
        array = null;
        target = null;
        channel = null;
        assembly = null;
        result = null;
        refusedLength = -1;
        total = 0;
        received = 0;
    }

    /**
     * Tells whether a whole raw-bytes message comes back as a new array of its bytes and nothing else
     * ({@code recv()} and {@code recvBytes()}), so that a receiver may take it the short way.
     *
     * @return {@code true} in those modes.
     */
    public boolean returnsArray() {
        return mode == Mode.OBJECT || mode == Mode.BYTES;
    }

    /** Forgets the caller's targets after a receive, so they are not kept reachable. */
    public void clear() {
        reset(Mode.OBJECT);
    }

    /**
     * Returns the received value or length, once complete.
     *
     * @return the value ({@link Mode#OBJECT}), the array ({@link Mode#BYTES}), or the length as a {@code Long}.
     */
    public Object result() {
        return result;
    }

    /**
     * Returns the length of the message this sink refused, or -1.
     *
     * @return the refused message's length.
     */
    public long refusedLength() {
        return refusedLength;
    }

    /**
     * Describes the room this sink had, for the refusal message.
     *
     * @return a phrase such as "the 16-byte space left in the array".
     */
    public String room() {
        switch (mode) {
            case ARRAY:
                return "the " + (array.length - arrayOffset) + " bytes from offset " + arrayOffset + " of a "
                        + array.length + "-byte array";
            case BUFFER:
                return "the " + target.remaining() + " bytes remaining in the buffer";
            default:
                return "a byte[] (at most " + MAX_ARRAY + " bytes)";
        }
    }

    private boolean fits(long length) {
        switch (mode) {
            case ARRAY:
                return length <= array.length - arrayOffset;
            case BUFFER:
                return length <= target.remaining();
            case CHANNEL:
                return true;
            default:
                return length <= MAX_ARRAY;
        }
    }

    /**
     * Takes a whole message, straight from the ring.
     *
     * @param bytes  whether it is raw bytes (else an encoded value).
     * @param src    the ring's buffer.
     * @param index  the message's first byte.
     * @param length its length.
     * @return {@code false} if refused (nothing taken; {@link #refusedLength()} says why).
     * @throws IOException if the channel fails.
     */
    public boolean whole(boolean bytes, DirectBuffer src, int index, int length) throws IOException {
        if (!fits(length)) {
            refusedLength = length;
            return false;
        }
        bytesKind = bytes;
        if (mode == Mode.OBJECT && !bytes) {
            result = codec.decode(src, index, length);
            return true;
        }
        switch (mode) {
            case OBJECT: // raw bytes come back as a byte[]
            case BYTES: {
                byte[] a = new byte[length];
                src.getBytes(index, a);
                result = a;
                return true;
            }
            default:
                total = length;
                accept(src, index, length);
                result = (long) length;
                return true;
        }
    }

    /**
     * Starts a fragmented message.
     *
     * @param bytes  whether it is raw bytes.
     * @param length its total length.
     * @return {@code false} if refused (nothing taken).
     */
    public boolean begin(boolean bytes, long length) {
        if (!fits(length)) {
            refusedLength = length;
            return false;
        }
        bytesKind = bytes;
        total = length;
        received = 0;
        if (mode == Mode.OBJECT || mode == Mode.BYTES) {
            assembly = new byte[(int) length];
        }
        return true;
    }

    /**
     * Takes the next piece of a message.
     *
     * @param src    the ring's buffer.
     * @param index  the piece's first byte.
     * @param length its length.
     * @throws IOException if the channel fails.
     */
    public void accept(DirectBuffer src, int index, int length) throws IOException {
        switch (mode) {
            case OBJECT:
            case BYTES:
                src.getBytes(index, assembly, (int) received, length);
                break;
            case ARRAY:
                src.getBytes(index, array, arrayOffset + (int) received, length);
                break;
            case BUFFER:
                src.getBytes(index, target, length);
                break;
            default: {
                int done = 0;
                while (done < length) {
                    int n = Math.min(chunk.capacity(), length - done);
                    chunk.clear().limit(n);
                    src.getBytes(index + done, chunk, n);
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                    done += n;
                }
            }
        }
        received += length;
    }

    /**
     * Completes a fragmented message.
     *
     * @return {@code true} if every announced byte arrived.
     */
    public boolean finish() {
        if (received != total) {
            return false;
        }
        switch (mode) {
            case OBJECT:
                result = bytesKind ? assembly : codec.decode(new UnsafeBuffer(assembly), 0, assembly.length);
                break;
            case BYTES:
                result = assembly;
                break;
            default:
                result = total;
        }
        assembly = null;
        return true;
    }

    /** Drops a fragmented message that was abandoned by its sender. */
    public void discard() {
        assembly = null;
        if (mode == Mode.BUFFER && target != null) {
            target.position(target.position() - (int) received);
        }
        received = 0;
        total = 0;
    }

    /**
     * Returns the number of bytes of the current message taken so far.
     *
     * @return the count.
     */
    public long received() {
        return received;
    }
}
