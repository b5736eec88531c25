package org.multiproc4j.ipc.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.ipc.BufferTooShortException;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;

/**
 * The receiving side of a {@link PipeEnd}: it reads whole messages from the ring the end reads, reassembling
 * fragmented ones into a {@link Sink}, and reports end of file once the peer is gone and every message was
 * received (see {@link PipeEnd}). Receives are serialized by {@link #recvLock}.
 */
public final class PipeReceiver {
    /** How often a waiting receiver checks that the other end's owner still lives. */
    private static final long LIVENESS_NANOS = 10_000_000L;

    /** Serializes receives; {@link PipeEnd#close()} takes it too. */
    final ReentrantLock recvLock = new ReentrantLock();
    private final PipeEnd pipe;
    private final AtomicBuffer header;
    private final int capacity;
    private final OneToOneRingBuffer in;
    private final AtomicBuffer inBuffer;
    private final IdlePolicy idlePolicy;
    private final IdleStrategy recvIdle;
    private final RecordHandler handler = new RecordHandler();
    private final Sink sink;
    private long nextRecvLivenessCheck;

    PipeReceiver(PipeEnd pipe, AtomicBuffer header, int capacity, AtomicBuffer inBuffer, AgronaWire codec,
            IdlePolicy idlePolicy) {
        this.pipe = pipe;
        this.header = header;
        this.capacity = capacity;
        this.inBuffer = inBuffer;
        this.in = inBuffer == null ? null : new OneToOneRingBuffer(inBuffer);
        this.idlePolicy = idlePolicy;
        this.recvIdle = idlePolicy.newIdleStrategy();
        this.sink = new Sink(codec);
    }

    /**
     * Tells whether this side reads a ring (not the sending end of a one-way pipe).
     *
     * @return {@code true} if it can receive.
     */
    boolean canReceive() {
        return in != null;
    }

    /**
     * The ring this side reads (for tests).
     *
     * @return the ring, or {@code null}.
     */
    OneToOneRingBuffer inRing() {
        return in;
    }

    /**
     * Receives a value (raw bytes come back as a {@code byte[]}).
     *
     * @param deadlineNanos when to give up.
     * @return the value.
     * @throws IOException          {@link EOFException} once the other end is gone and everything it sent was
     *                              received; {@link ClosedChannelException} if this end is closed.
     * @throws InterruptedException if interrupted while waiting.
     * @throws TimeoutException     if the deadline passed first.
     */
    public Object receive(long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        recvLock.lockInterruptibly();
        try {
            sink.forObject();
            return receiveInto(deadlineNanos);
        } finally {
            sink.clear();
            recvLock.unlock();
        }
    }

    /**
     * Receives a message's bytes as a new array.
     *
     * @param deadlineNanos when to give up.
     * @return the bytes.
     * @throws IOException          as {@link #receive}, and {@link BufferTooShortException} for a message
     *                              longer than a {@code byte[]} can hold (not consumed).
     * @throws InterruptedException if interrupted while waiting.
     * @throws TimeoutException     if the deadline passed first.
     */
    public byte[] receiveBytes(long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        recvLock.lockInterruptibly();
        try {
            sink.forBytes();
            return (byte[]) receiveInto(deadlineNanos);
        } finally {
            sink.clear();
            recvLock.unlock();
        }
    }

    /**
     * Receives a message into the caller's array.
     *
     * @param dst           the array.
     * @param offset        where the message goes.
     * @param deadlineNanos when to give up.
     * @return the message length.
     * @throws IOException          as {@link #receive}, and {@link BufferTooShortException} if it does not fit
     *                              (not consumed).
     * @throws InterruptedException if interrupted while waiting.
     * @throws TimeoutException     if the deadline passed first.
     */
    public int receiveInto(byte[] dst, int offset, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        recvLock.lockInterruptibly();
        try {
            sink.forArray(dst, offset);
            return (int) (long) (Long) receiveInto(deadlineNanos);
        } finally {
            sink.clear();
            recvLock.unlock();
        }
    }

    /**
     * Receives a message into the caller's buffer, at its position (which advances).
     *
     * @param dst           the buffer.
     * @param deadlineNanos when to give up.
     * @return the message length.
     * @throws IOException          as {@link #receiveInto(byte[], int, long)}.
     * @throws InterruptedException if interrupted while waiting.
     * @throws TimeoutException     if the deadline passed first.
     */
    public int receiveInto(ByteBuffer dst, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        recvLock.lockInterruptibly();
        try {
            sink.forBuffer(dst);
            return (int) (long) (Long) receiveInto(deadlineNanos);
        } finally {
            sink.clear();
            recvLock.unlock();
        }
    }

    /**
     * Receives a message of any length into a channel.
     *
     * @param dst           the channel.
     * @param deadlineNanos when to give up waiting for the message to begin.
     * @return the message length.
     * @throws IOException          as {@link #receive}, or if the channel fails (the rest of the message is
     *                              then dropped).
     * @throws InterruptedException if interrupted while waiting.
     * @throws TimeoutException     if the deadline passed first.
     */
    public long receiveInto(WritableByteChannel dst, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        recvLock.lockInterruptibly();
        try {
            sink.forChannel(dst);
            return (Long) receiveInto(deadlineNanos);
        } finally {
            sink.clear();
            recvLock.unlock();
        }
    }

    private Object receiveInto(long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        if (pipe.isClosed()) {
            throw ClosedExceptions.closed(pipe.describe());
        }
        if (in == null) {
            throw new IllegalStateException(pipe.describe() + " is the sending end of a one-way pipe: it cannot receive");
        }
        RecordHandler r = handler;
        r.start();
        boolean quick = sink.returnsArray();
        try {
            while (true) {
                if (quick && !r.assembling) {        // a whole raw-bytes message at the head: the short way
                    byte[] m = SmallRecords.take(inBuffer, capacity, Frames.WHOLE_BYTES);
                    if (m == SmallRecords.NOTHING) {
                        // nothing committed at the head: the ring's reader would find nothing either, so wait
                        // without it (a waiting client's poll is then this method, take and the wait alone)
                        awaitMessage(deadlineNanos);
                        continue;
                    }
                    if (m != null) {
                        recvIdle.reset();
                        return m;
                    }
                }
                r.progress = false;
                in.controlledRead(r, 1);
                if (r.failure != null) {
                    Throwable t = r.failure;
                    r.failure = null;
                    if (t instanceof IOException) {
                        throw (IOException) t;
                    }
                    if (t instanceof RuntimeException) {
                        throw (RuntimeException) t;
                    }
                    throw (Error) t;
                }
                if (r.done) {
                    recvIdle.reset();
                    return sink.result();
                }
                if (sink.refusedLength() >= 0) {
                    recvIdle.reset();
                    long len = sink.refusedLength();
                    throw new BufferTooShortException("the next message on " + pipe.describe() + " is " + len
                            + " bytes long and does not fit in " + sink.room()
                            + "; it was not received: call again with room for it", len);
                }
                if (r.progress) {
                    recvIdle.reset();
                    continue;
                }
                awaitMessage(deadlineNanos);
            }
        } finally {
            if (r.assembling && !r.done) {
                // interrupted, timed out or closed in the middle of a fragmented message: the rest is dropped
                r.assembling = false;
                sink.discard();
            }
        }
    }

    private void awaitMessage(long deadlineNanos) throws IOException, InterruptedException, TimeoutException {
        if (pipe.isClosed()) {
            throw ClosedExceptions.closedWhileWaiting(pipe.describe());
        }
        long now = System.nanoTime();
        boolean peerClosed = header.getIntVolatile(pipe.peerState() + PipeDescriptor.CLOSED) != 0;
        boolean peerDead = false;
        if (!peerClosed) {
            if (pipe.knownDead()) {
                peerDead = true;
            } else if (now - nextRecvLivenessCheck >= 0) {
                nextRecvLivenessCheck = now + LIVENESS_NANOS;
                peerDead = !pipe.isPeerAlive();
            }
        }
        if ((peerClosed || peerDead) && !hasCommittedRecord()) {
            long owner = header.getLongVolatile(pipe.peerState() + PipeDescriptor.OWNER);
            handler.assembling = false;
            sink.discard();
            throw new EOFException(pipe.describe() + ": the other end was " + (peerClosed
                    ? "closed by " + ProcessIdentity.describe(owner) + "; every message it sent has been received"
                    : pipe.handedOver(owner) ? "handed to " + ProcessIdentity.describe(owner) + ", which died before "
                    + "attaching it" : "held by " + ProcessIdentity.describe(owner) + ", which died; every message it "
                    + "sent has been received"));
        }
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            throw new TimeoutException("no message on " + pipe.describe() + " before the deadline");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        recvIdle.idle();
    }

    /** Whether the ring holds a committed record (possibly after a padding record). */
    private boolean hasCommittedRecord() {
        long head = in.consumerPosition();
        int index = (int) head & (capacity - 1);
        int length = inBuffer.getIntVolatile(index);
        if (length <= 0) {
            return false;
        }
        if (inBuffer.getInt(index + 4) == Frames.PADDING) {
            return index + length >= capacity && inBuffer.getIntVolatile(0) > 0;
        }
        return true;
    }

    /**
     * Tells, without blocking, whether a receive would find a message or the end of the stream.
     *
     * @return {@code true} if a message (or end of file) is waiting.
     * @throws IOException if this end is closed.
     */
    public boolean poll() throws IOException {
        if (in == null) {
            throw new IllegalStateException(pipe.describe() + " is the sending end of a one-way pipe: it cannot receive");
        }
        recvLock.lock();
        try {
            if (pipe.isClosed()) {
                throw ClosedExceptions.closed(pipe.describe());
            }
            return messageOrEndWaiting();
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Tells, without blocking, whether a receive would return or throw at once; a side another thread is
     * receiving on is not ready (that thread takes what comes), nor is one that cannot receive.
     *
     * @return {@code true} if a message or end of file is waiting, or the end is closed.
     */
    public boolean isReady() {
        if (pipe.isClosed()) {
            return true;
        }
        if (in == null || !recvLock.tryLock()) {
            return false;
        }
        try {
            return pipe.isClosed() || messageOrEndWaiting();
        } finally {
            recvLock.unlock();
        }
    }

    /** Whether a message or end of file is waiting; called holding the receive lock. */
    private boolean messageOrEndWaiting() {
        if (hasCommittedRecord()) {
            return true;
        }
        if (header.getIntVolatile(pipe.peerState() + PipeDescriptor.CLOSED) != 0) {
            return true;
        }
        if (pipe.knownDead()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextRecvLivenessCheck >= 0) {
            nextRecvLivenessCheck = now + LIVENESS_NANOS;
            return !pipe.isPeerAlive();
        }
        return false;
    }

    /**
     * Waits until a receive would not block.
     *
     * @param deadlineNanos when to give up.
     * @return {@code true} if a message or end of file is waiting, {@code false} at the deadline.
     * @throws IOException          if this end is closed: {@link AsynchronousCloseException} if by another
     *                              thread while this one waited.
     * @throws InterruptedException if interrupted.
     */
    public boolean poll(long deadlineNanos) throws IOException, InterruptedException {
        IdleStrategy idle = idlePolicy.newIdleStrategy();
        while (!poll()) {
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
            if (pipe.isClosed()) {
                throw ClosedExceptions.closedWhileWaiting(pipe.describe());
            }
        }
        return true;
    }

    /** The record handler: one record per call of {@code controlledRead(handler, 1)}. */
    private final class RecordHandler implements ControlledMessageHandler {
        boolean progress;
        boolean done;
        boolean assembling;
        Throwable failure;

        void start() {
            done = false;
            failure = null;
        }

        @Override
        public Action onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            progress = true;
            try {
                switch (type) {
                    case Frames.WHOLE_OBJECT:
                    case Frames.WHOLE_BYTES:
                        if (assembling) {
                            assembling = false; // the sender gave up on a fragmented message without an ABORT
                            sink.discard();
                        }
                        if (!sink.whole(Frames.isBytes(type), buffer, index, length)) {
                            return Action.ABORT;
                        }
                        done = true;
                        return Action.COMMIT;
                    case Frames.BEGIN_OBJECT:
                    case Frames.BEGIN_BYTES:
                        if (assembling) {
                            assembling = false;
                            sink.discard();
                        }
                        if (!sink.begin(Frames.isBytes(type), buffer.getLong(index))) {
                            return Action.ABORT;
                        }
                        assembling = true;
                        sink.accept(buffer, index + Frames.BEGIN_HEADER, length - Frames.BEGIN_HEADER);
                        return Action.COMMIT;
                    case Frames.MIDDLE:
                        if (assembling) {
                            sink.accept(buffer, index, length);
                        }
                        return Action.COMMIT;
                    case Frames.END:
                        if (assembling) {
                            sink.accept(buffer, index, length);
                            assembling = false;
                            if (sink.finish()) {
                                done = true;
                            }
                        }
                        return Action.COMMIT;
                    case Frames.ABORT:
                        if (assembling) {
                            assembling = false;
                            sink.discard();
                        }
                        return Action.COMMIT;
                    default:
                        return Action.COMMIT; // unknown: skip
                }
            } catch (IOException | RuntimeException | Error e) {
                // a decode or channel failure consumes the record: the rest of a fragmented message is dropped
                if (assembling) {
                    assembling = false;
                    sink.discard();
                }
                failure = e;
                return Action.COMMIT;
            }
        }
    }
}
