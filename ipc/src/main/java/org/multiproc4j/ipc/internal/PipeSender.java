package org.multiproc4j.ipc.internal;

import static org.agrona.BitUtil.align;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.core.internal.Wire;
import org.multiproc4j.ipc.BrokenPipeException;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;

/**
 * The sending side of a {@link PipeEnd}: it writes messages into the ring the end writes, fragmenting those longer
 * than the ring's maximum record, and notices a peer that is gone (see {@link PipeEnd} for ownership and end of
 * file). Sends are serialized by {@link #sendLock}.
 */
public final class PipeSender {
    /**
     * How often a sender checks that the other end's owner still lives, on every send as well as while it
     * waits for room: a send made this long after the owner's death was observable fails.
     */
    public static final long SEND_LIVENESS_NANOS = 1_000_000L;
    /** Encode buffers larger than this are dropped after use, not kept. */
    private static final int KEEP_ENCODE_BUFFER = 1 << 20;
    /** {@code byte[]} values at least this long are copied straight from the array. */
    private static final int ZERO_COPY_BYTES = 16 * 1024;

    /** Serializes sends; {@link PipeEnd#close()} and the hand-over take it too. */
    final ReentrantLock sendLock = new ReentrantLock();
    private final PipeEnd pipe;
    private final AtomicBuffer header;
    private final int capacity;
    private final OneToOneRingBuffer out;
    private final AtomicBuffer outBuffer;
    private final AgronaWire codec;
    private final IdleStrategy sendIdle;
    private static final UnsafeBuffer NO_PREFIX = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[Wire.ARRAY_HEADER]);
    private ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(256);
    private long nextSendLivenessCheck;

    PipeSender(PipeEnd pipe, AtomicBuffer header, int capacity, AtomicBuffer outBuffer, AgronaWire codec,
            IdlePolicy idlePolicy) {
        this.pipe = pipe;
        this.header = header;
        this.capacity = capacity;
        this.outBuffer = outBuffer;
        this.out = outBuffer == null ? null : new OneToOneRingBuffer(outBuffer);
        this.codec = codec;
        this.sendIdle = idlePolicy.newIdleStrategy();
    }

    /**
     * Tells whether this side writes a ring (not the receiving end of a one-way pipe).
     *
     * @return {@code true} if it can send.
     */
    boolean canSend() {
        return out != null;
    }

    /**
     * Sends a value.
     *
     * @param value         the value.
     * @param deadlineNanos when to give up waiting for room ({@link Long#MAX_VALUE}: never).
     * @throws IOException          if the other end is gone ({@link BrokenPipeException}) or this end closed.
     * @throws InterruptedException if interrupted while waiting for room.
     * @throws TimeoutException     if the deadline passed; nothing was sent.
     */
    public void send(Object value, long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        if (value instanceof byte[] && ((byte[]) value).length >= ZERO_COPY_BYTES) {
            byte[] a = (byte[]) value;
            Wire.writeBytesHeader(a.length, prefix.byteArray(), 0);
            // encoded form of a byte[]: the tag and count, then the bytes, sent from the array itself
            sendLock.lockInterruptibly();
            try {
                checkWritable();
                write(Frames.WHOLE_OBJECT, Frames.BEGIN_OBJECT, Payload.of(prefix, Wire.ARRAY_HEADER, a, 0, a.length), deadlineNanos);
                checkPeerAfterSend();
            } finally {
                sendLock.unlock();
            }
            return;
        }
        sendLock.lockInterruptibly();
        try {
            checkWritable();
            int n = codec.encode(value, encoded);
            try {
                if (n <= out.maxMsgLength()) {
                    writeWhole(Frames.WHOLE_OBJECT, encoded, 0, n, deadlineNanos);
                } else {
                    write(Frames.WHOLE_OBJECT, Frames.BEGIN_OBJECT, Payload.of(encoded, 0, n), deadlineNanos);
                }
                checkPeerAfterSend();
            } finally {
                if (encoded.capacity() > KEEP_ENCODE_BUFFER) {
                    encoded = new ExpandableArrayBuffer(256);
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends raw bytes.
     *
     * @param payload       the bytes.
     * @param deadlineNanos when to give up waiting for room.
     * @throws IOException          if the other end is gone or this end closed, or a channel source fails.
     * @throws InterruptedException if interrupted while waiting for room.
     * @throws TimeoutException     if the deadline passed before the message began; nothing was sent.
     */
    public void sendBytes(Payload payload, long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        sendLock.lockInterruptibly();
        try {
            checkWritable();
            write(Frames.WHOLE_BYTES, Frames.BEGIN_BYTES, payload, deadlineNanos);
            checkPeerAfterSend();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a region of an array as one raw-bytes message. One that fits in a ring record (the usual case: a
     * request or an answer of a few bytes) takes the short way, with no payload object: claim, copy, commit.
     *
     * @param buf           the array.
     * @param offset        the region's first byte.
     * @param length        the region's length.
     * @param deadlineNanos when to give up waiting for room.
     * @throws IOException          if the other end is gone or this end closed.
     * @throws InterruptedException if interrupted while waiting for room.
     * @throws TimeoutException     if the deadline passed before the message began; nothing was sent.
     */
    public void sendArray(byte[] buf, int offset, int length, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        OneToOneRingBuffer ring = out;
        if (ring == null || length > ring.maxMsgLength()) {
            sendBytes(Payload.of(NO_PREFIX, 0, buf, offset, length), deadlineNanos);
            return;
        }
        sendLock.lockInterruptibly();
        try {
            checkWritable();
            if (!SmallRecords.write(outBuffer, capacity, Frames.WHOLE_BYTES, buf, offset, length)) {
                int index;
                while ((index = ring.tryClaim(Frames.WHOLE_BYTES, length)) < 0) {
                    awaitRoom(deadlineNanos);
                }
                sendIdle.reset();
                outBuffer.putBytes(index, buf, offset, length);
                ring.commit(index);
            }
            checkPeerAfterSend();
        } finally {
            sendLock.unlock();
        }
    }

    private void checkWritable() throws IOException {
        if (pipe.isClosed()) {
            throw ClosedExceptions.closed(pipe.describe());
        }
        if (out == null) {
            throw new IllegalStateException(pipe.describe() + " is the receiving end of a one-way pipe: it cannot send");
        }
        if (header.getIntVolatile(pipe.peerState() + PipeDescriptor.CLOSED) != 0) {
            throw new BrokenPipeException("cannot send on " + pipe.describe() + ": the other end was closed by "
                    + ProcessIdentity.describe(header.getLongVolatile(pipe.peerState() + PipeDescriptor.OWNER)));
        }
        if (pipe.knownDead()) {
            throw peerDied(pipe.deadPeer(), "; nothing was sent");
        }
    }

    /**
     * Checks, at most every {@link #SEND_LIVENESS_NANOS}, that the other end's owner still lives, after a message
     * was written: on the message's way to the receiver the check costs nothing, and a message written to a dead
     * peer is lost whether or not its send fails.
     */
    private void checkPeerAfterSend() throws BrokenPipeException {
        long now = System.nanoTime();
        if (now - nextSendLivenessCheck >= 0) {
            nextSendLivenessCheck = now + SEND_LIVENESS_NANOS;
            checkPeerAlive("; this message and those the other end had not yet received are lost");
        }
    }

    private void checkPeerAlive(String consequence) throws BrokenPipeException {
        if (!pipe.isPeerAlive()) {
            throw peerDied(pipe.deadPeer(), consequence);
        }
    }

    private BrokenPipeException peerDied(long owner, String consequence) {
        return new BrokenPipeException("cannot send on " + pipe.describe() + ": the process "
                + (pipe.handedOver(owner) ? "the other end was handed to (" + ProcessIdentity.describe(owner)
                        + ") died before attaching it" : "holding the other end (" + ProcessIdentity.describe(owner)
                        + ") died") + consequence);
    }

    private void writeWhole(int type, DirectBuffer src, int offset, int length, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        byte[] array = src.byteArray();
        if (array != null && SmallRecords.write(outBuffer, capacity, type, array, offset, length)) {
            return;
        }
        int index;
        while ((index = out.tryClaim(type, length)) < 0) {
            awaitRoom(deadlineNanos);
        }
        sendIdle.reset();
        outBuffer.putBytes(index, src, offset, length);
        out.commit(index);
    }

    private void write(int wholeType, int beginType, Payload payload, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        long total = payload.length();
        int max = out.maxMsgLength();
        if (total <= max) {
            int length = (int) total;
            int index;
            while ((index = out.tryClaim(wholeType, length)) < 0) {
                awaitRoom(deadlineNanos);
            }
            sendIdle.reset();
            try {
                payload.next(outBuffer, index, length);
            } catch (IOException | RuntimeException | Error e) {
                out.abort(index);
                throw e;
            }
            out.commit(index);
            return;
        }
        long sent = 0;
        boolean begun = false;
        try {
            while (sent < total) {
                int head = sent == 0 ? Frames.BEGIN_HEADER : 0;
                int chunk = (int) Math.min(max - head, total - sent);
                int type = sent == 0 ? beginType : sent + chunk == total ? Frames.END : Frames.MIDDLE;
                int length = head + chunk;
                int index;
                while (true) {
                    if (pipe.isClosed()) {
                        throw ClosedExceptions.closedWhileWaiting(pipe.describe());
                    }
                    if (hasRoomWithAbortReserve(length)) { // even the last: if its copy fails an ABORT must fit
                        index = out.tryClaim(type, length);
                        if (index >= 0) {
                            break;
                        }
                    }
                    awaitRoom(begun ? Long.MAX_VALUE : deadlineNanos);
                }
                sendIdle.reset();
                try {
                    if (head != 0) {
                        outBuffer.putLong(index, total);
                    }
                    payload.next(outBuffer, index + head, chunk);
                } catch (IOException | RuntimeException | Error e) {
                    out.abort(index);
                    throw e;
                }
                out.commit(index);
                begun = true;
                sent += chunk;
            }
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException | Error e) {
            if (begun && sent < total) {
                writeAbort();
            }
            throw e;
        }
    }

    /** Whether the next fragment fits and leaves room for an ABORT record after it. */
    private boolean hasRoomWithAbortReserve(int length) {
        long tail = out.producerPosition();
        long head = out.consumerPosition();
        int aligned = align(length + HEADER_LENGTH, ALIGNMENT);
        int index = (int) tail & (capacity - 1);
        int toEnd = capacity - index;
        int padding = (aligned == toEnd || aligned + HEADER_LENGTH <= toEnd) ? 0 : toEnd;
        return capacity - (tail - head) >= (long) padding + aligned + HEADER_LENGTH + Frames.ABORT_RESERVE;
    }

    private void writeAbort() {
        for (int i = 0; i < 1000; i++) {
            int index = out.tryClaim(Frames.ABORT, 0);
            if (index >= 0) {
                out.commit(index);
                return;
            }
            Thread.onSpinWait();
        }
        // cannot happen while the reserve holds; the receiver also drops a partial message at the next BEGIN
    }

    private void awaitRoom(long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        if (pipe.isClosed()) {
            throw ClosedExceptions.closedWhileWaiting(pipe.describe());
        }
        if (header.getIntVolatile(pipe.peerState() + PipeDescriptor.CLOSED) != 0) {
            throw new BrokenPipeException("cannot send on " + pipe.describe() + ": the other end was closed by "
                    + ProcessIdentity.describe(header.getLongVolatile(pipe.peerState() + PipeDescriptor.OWNER))
                    + " before receiving what fills the ring");
        }
        long now = System.nanoTime();
        if (now - nextSendLivenessCheck >= 0) {
            nextSendLivenessCheck = now + SEND_LIVENESS_NANOS;
            checkPeerAlive(" while this end waited for room");
        }
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            throw new TimeoutException("no room in " + pipe.describe() + "'s " + capacity + "-byte ring before the deadline");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sendIdle.idle();
    }
}
