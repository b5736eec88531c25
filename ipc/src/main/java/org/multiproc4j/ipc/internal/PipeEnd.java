package org.multiproc4j.ipc.internal;

import static org.agrona.BitUtil.align;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.multiproc4j.ipc.BrokenPipeException;
import org.multiproc4j.ipc.BufferTooShortException;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * One end of a pipe: the machinery behind {@code org.multiproc4j.ipc.Connection}. It writes messages into one
 * Agrona {@link OneToOneRingBuffer} of the pipe's segment and reads them from the other (see
 * {@link PipeDescriptor}), fragmenting messages longer than the ring's maximum record.
 *
 * <p><b>Ownership and end of file.</b> Each end has an owner word: the process that holds it. Writing a handle
 * for another process marks the end "in transit" (owned by the sender until a receiver attaches); when
 * {@code JvmProcess.start()} names the process the handle was handed to ({@link #handedOver}), that process
 * owns the end, not attached yet; attaching makes the receiver the owner. When the owner closes the end its
 * closed flag is set; when the owner dies (attached or not) its identity no longer names a live process.
 * Either way the other end receives what was sent, then
 * {@link EOFException}, and its sends fail with {@link BrokenPipeException}: every send reads the closed flag
 * before writing, and looks at the owner's identity (a read of {@code /proc}) at most every
 * {@link #SEND_LIVENESS_NANOS}, after writing, so that the check adds nothing to a message's way to the
 * receiver and one clock read to a send. A non-owner closing its object only ends its own use of the segment.
 *
 * <p><b>Threads.</b> Sends are serialized by a send lock and receives by a receive lock, so several threads may
 * use one end (messages never interleave). {@link #close()} takes both locks; threads blocked in a send or
 * receive notice the close within one idle period and fail with {@link AsynchronousCloseException}. The
 * segment's memory stays mapped until this object is unreachable (sharedmem's rule), so nothing racing with a
 * close touches unmapped memory.
 */
public final class PipeEnd implements AutoCloseable {
    /** Default ring capacity per direction. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** How often a waiting receiver checks that the other end's owner still lives. */
    private static final long LIVENESS_NANOS = 10_000_000L;
    /**
     * How often a sender checks that the other end's owner still lives, on every send as well as while it
     * waits for room: a send made this long after the owner's death was observable fails.
     */
    public static final long SEND_LIVENESS_NANOS = 1_000_000L;
    /** Encode buffers larger than this are dropped after use, not kept. */
    private static final int KEEP_ENCODE_BUFFER = 1 << 20;
    /** {@code byte[]} values at least this long are copied straight from the array. */
    private static final int ZERO_COPY_BYTES = 16 * 1024;

    private final ChannelSegment segment;
    private final AtomicBuffer header;
    private final String name;
    private final int end;
    private final int peer;
    private final boolean duplex;
    private final int capacity;
    private final OneToOneRingBuffer out;
    private final OneToOneRingBuffer in;
    private final AtomicBuffer outBuffer;
    private final AtomicBuffer inBuffer;
    private final ChannelOptions options;
    private final IdlePolicy idlePolicy;
    private final ValueCodec codec;
    private final IdleStrategy sendIdle;
    private final IdleStrategy recvIdle;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final Receiver receiver = new Receiver();
    private final Sink sink;
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[1]);
    private ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(256);

    private volatile boolean closed;
    /** Whether {@link #close()} gave up this object's use of the mapping; guarded by both locks. */
    private boolean released;
    private long nextSendLivenessCheck;
    private long nextRecvLivenessCheck;
    /** The identity of the other end's owner once a send or a receive found it dead (0: not found dead). */
    private volatile long deadPeer;

    private PipeEnd(ChannelSegment segment, int end, ChannelOptions options) {
        this.segment = segment;
        this.header = segment.buffer();
        this.name = segment.name();
        if (header.getLongVolatile(PipeDescriptor.MAGIC_OFFSET) != PipeDescriptor.MAGIC) {
            throw new IllegalStateException(segment + " is not a pipe (bad magic)");
        }
        if (header.getInt(PipeDescriptor.VERSION_OFFSET) != PipeDescriptor.VERSION) {
            throw new IllegalStateException(segment + " has pipe layout version "
                    + header.getInt(PipeDescriptor.VERSION_OFFSET) + ", this code reads " + PipeDescriptor.VERSION);
        }
        this.end = end;
        this.peer = 1 - end;
        this.duplex = (header.getInt(PipeDescriptor.FLAGS_OFFSET) & PipeDescriptor.DUPLEX) != 0;
        this.capacity = header.getInt(PipeDescriptor.CAPACITY_OFFSET);
        int writeRing = duplex ? end : (end == 1 ? 0 : -1);
        int readRing = duplex ? 1 - end : (end == 0 ? 0 : -1);
        this.outBuffer = writeRing < 0 ? null : ring(writeRing);
        this.inBuffer = readRing < 0 ? null : ring(readRing);
        this.out = outBuffer == null ? null : new OneToOneRingBuffer(outBuffer);
        this.in = inBuffer == null ? null : new OneToOneRingBuffer(inBuffer);
        this.options = options;
        this.idlePolicy = options.idle();
        this.codec = ValueCodec.of(options.codec());
        this.sink = new Sink(codec);
        this.sendIdle = idlePolicy.newIdleStrategy();
        this.recvIdle = idlePolicy.newIdleStrategy();
    }

    private AtomicBuffer ring(int ring) {
        return new UnsafeBuffer(header, PipeDescriptor.ringOffset(ring, capacity), capacity + TRAILER_LENGTH);
    }

    /**
     * Creates a pipe: a new segment and both its ends, owned by this process.
     *
     * @param duplex   two directions, or one (end 0 receives, end 1 sends).
     * @param capacity ring capacity per direction, a power of two.
     * @param options  the idle policy and codec.
     * @return the two ends.
     */
    public static PipeEnd[] open(boolean duplex, int capacity, ChannelOptions options) {
        ChannelSegment segment = ChannelSegment.create(SegmentDescriptor.KIND_PIPE, PipeDescriptor.VERSION,
                PipeDescriptor.segmentLength(capacity, duplex));
        AtomicBuffer b = segment.buffer();
        b.putInt(PipeDescriptor.VERSION_OFFSET, PipeDescriptor.VERSION);
        b.putInt(PipeDescriptor.FLAGS_OFFSET, duplex ? PipeDescriptor.DUPLEX : 0);
        b.putInt(PipeDescriptor.CAPACITY_OFFSET, capacity);
        b.putLong(PipeDescriptor.CREATOR_OFFSET, ProcessIdentity.SELF_TOKEN);
        for (int e = 0; e < 2; e++) {
            b.putLong(PipeDescriptor.endOffset(e) + PipeDescriptor.OWNER, ProcessIdentity.SELF_TOKEN);
        }
        b.putLongRelease(PipeDescriptor.MAGIC_OFFSET, PipeDescriptor.MAGIC);
        return new PipeEnd[] {new PipeEnd(segment, 0, options), new PipeEnd(segment.retain(), 1, options)};
    }

    /**
     * Attaches to one end of an existing pipe, in a process that received its handle; this process becomes
     * the end's owner.
     *
     * @param name   the segment name.
     * @param end    0 or 1.
     * @param sender the token of the process that wrote the handle (see {@link #sending()}).
     * @param options the idle policy and codec.
     * @return the end.
     * @throws IOException if the pipe no longer exists.
     */
    public static PipeEnd attach(String name, int end, long sender, ChannelOptions options) throws IOException {
        ChannelSegment segment;
        try {
            segment = ChannelSegment.attach(name, SegmentDescriptor.KIND_PIPE, PipeDescriptor.VERSION, "a pipe",
                    sender);
        } catch (IOException e) {
            throw new EOFException("cannot attach pipe " + name + ": " + e.getMessage()
                    + " (every process that used it closed it?)");
        }
        try {
            PipeEnd p = new PipeEnd(segment, end, options);
            p.header.putLongRelease(p.endState() + PipeDescriptor.OWNER, ProcessIdentity.SELF_TOKEN);
            return p;
        } catch (RuntimeException e) {
            segment.release();
            throw e;
        }
    }

    private int endState() {
        return PipeDescriptor.endOffset(end);
    }

    private int peerState() {
        return PipeDescriptor.endOffset(peer);
    }

    /**
     * Returns the segment name.
     *
     * @return the name.
     */
    public String name() {
        return name;
    }

    /**
     * Returns which end this is.
     *
     * @return 0 or 1.
     */
    public int end() {
        return end;
    }

    /**
     * Tells whether this end can receive.
     *
     * @return {@code true} if it reads a ring.
     */
    public boolean isReadable() {
        return in != null;
    }

    /**
     * Tells whether this end can send.
     *
     * @return {@code true} if it writes a ring.
     */
    public boolean isWritable() {
        return out != null;
    }

    /**
     * Returns the idle policy.
     *
     * @return the policy.
     */
    public IdlePolicy idlePolicy() {
        return idlePolicy;
    }

    /**
     * Returns the options (idle policy and codec), which travel with the end.
     *
     * @return the options.
     */
    public ChannelOptions options() {
        return options;
    }

    /**
     * Returns the ring capacity per direction.
     *
     * @return bytes.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Tells whether this object was closed.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Prepares this end to travel to another process: marks it in transit (owned by this process until the
     * receiver attaches, or {@link #handedOver} names it) and counts the handle as a use of the segment.
     *
     * @return this process's token, which the handle carries.
     * @throws IllegalStateException if this end is closed.
     */
    public long sending() {
        sendLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(describe() + " is closed: it cannot be sent to another process");
            }
            long token = segment.sending();
            header.putInt(endState() + PipeDescriptor.HANDED, 0);
            header.putLongRelease(endState() + PipeDescriptor.OWNER,
                    PipeDescriptor.IN_TRANSIT | ProcessIdentity.SELF_TOKEN);
            return token;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Names the process the handle written last ({@link #sending()}) was handed to: the end is now owned by that
     * process, not attached yet, so that the other end sees it dead (end of file, broken pipe) as soon as that
     * process is dead, as if it had attached. With {@code null} (the handle will never arrive) the end is this
     * process's again: closing this object ends it. (If this object was closed by another thread while the
     * handle was being written, its mapping may be gone: the end then stays as it is.)
     *
     * @param recipient the process, or {@code null}.
     */
    public void handedOver(ProcessHandle recipient) {
        sendLock.lock();
        try {
            if (released) {
                return;
            }
            int state = endState();
            long owner = header.getLongVolatile(state + PipeDescriptor.OWNER);
            long me = ProcessIdentity.SELF_TOKEN;
            if (recipient != null) {
                if ((owner & PipeDescriptor.IN_TRANSIT) != 0) { // not attached by anyone yet: the last call counts
                    header.putInt(state + PipeDescriptor.HANDED, 1);
                    header.putLongRelease(state + PipeDescriptor.OWNER,
                            PipeDescriptor.IN_TRANSIT | ProcessIdentity.identityOf(recipient.pid()));
                }
            } else if (owner == (PipeDescriptor.IN_TRANSIT | me)) {
                header.putLongRelease(state + PipeDescriptor.OWNER, me); // a close waiting for the lock ends it
            }
        } finally {
            sendLock.unlock();
        }
        segment.handedOver(recipient);
    }

    /** Whether the other end's owner word names the process it was handed to, not attached yet (for messages). */
    private boolean handedOver(long owner) {
        return (owner & PipeDescriptor.IN_TRANSIT) != 0
                && header.getIntVolatile(peerState() + PipeDescriptor.HANDED) != 0;
    }

    private String describe() {
        return "end " + end + " of pipe " + name;
    }

    // ---------------------------------------------------------------------------------------------- sending

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
            prefix.putByte(0, (byte) 'b');
            // encoded form of a byte[]: the tag, then the bytes, sent from the array itself
            sendLock.lockInterruptibly();
            try {
                checkWritable();
                write(Frames.WHOLE_OBJECT, Frames.BEGIN_OBJECT, Payload.of(prefix, 1, a, 0, a.length), deadlineNanos);
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

    private void checkWritable() throws IOException {
        if (closed) {
            throw ClosedExceptions.closed(describe());
        }
        if (out == null) {
            throw new IllegalStateException(describe() + " is the receiving end of a one-way pipe: it cannot send");
        }
        if (header.getIntVolatile(peerState() + PipeDescriptor.CLOSED) != 0) {
            throw new BrokenPipeException("cannot send on " + describe() + ": the other end was closed by "
                    + ProcessIdentity.describe(header.getLongVolatile(peerState() + PipeDescriptor.OWNER)));
        }
        if (knownDead()) {
            throw peerDied(deadPeer, "; nothing was sent");
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
        if (!isPeerAlive()) {
            throw peerDied(deadPeer, consequence);
        }
    }

    /** Whether the other end's owner lives (a read of {@code /proc}); remembers it if it does not. */
    private boolean isPeerAlive() {
        long owner = header.getLongVolatile(peerState() + PipeDescriptor.OWNER);
        if (ProcessIdentity.isAlive(owner)) {
            return true;
        }
        deadPeer = owner;
        return false;
    }

    /** Whether the other end's owner is one a look found dead already (death is final; a new owner is not). */
    private boolean knownDead() {
        long dead = deadPeer;
        return dead != 0 && header.getLongVolatile(peerState() + PipeDescriptor.OWNER) == dead;
    }

    private BrokenPipeException peerDied(long owner, String consequence) {
        return new BrokenPipeException("cannot send on " + describe() + ": the process "
                + (handedOver(owner) ? "the other end was handed to (" + ProcessIdentity.describe(owner)
                        + ") died before attaching it" : "holding the other end (" + ProcessIdentity.describe(owner)
                        + ") died") + consequence);
    }

    private void writeWhole(int type, DirectBuffer src, int offset, int length, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
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
                    if (closed) {
                        throw ClosedExceptions.closedWhileWaiting(describe());
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
        if (closed) {
            throw ClosedExceptions.closedWhileWaiting(describe());
        }
        if (header.getIntVolatile(peerState() + PipeDescriptor.CLOSED) != 0) {
            throw new BrokenPipeException("cannot send on " + describe() + ": the other end was closed by "
                    + ProcessIdentity.describe(header.getLongVolatile(peerState() + PipeDescriptor.OWNER))
                    + " before receiving what fills the ring");
        }
        long now = System.nanoTime();
        if (now - nextSendLivenessCheck >= 0) {
            nextSendLivenessCheck = now + SEND_LIVENESS_NANOS;
            checkPeerAlive(" while this end waited for room");
        }
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            throw new TimeoutException("no room in " + describe() + "'s " + capacity + "-byte ring before the deadline");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sendIdle.idle();
    }

    // -------------------------------------------------------------------------------------------- receiving

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
        if (closed) {
            throw ClosedExceptions.closed(describe());
        }
        if (in == null) {
            throw new IllegalStateException(describe() + " is the sending end of a one-way pipe: it cannot receive");
        }
        Receiver r = receiver;
        r.start();
        try {
            while (true) {
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
                    throw new BufferTooShortException("the next message on " + describe() + " is " + len
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
        if (closed) {
            throw ClosedExceptions.closedWhileWaiting(describe());
        }
        long now = System.nanoTime();
        boolean peerClosed = header.getIntVolatile(peerState() + PipeDescriptor.CLOSED) != 0;
        boolean peerDead = false;
        if (!peerClosed) {
            if (knownDead()) {
                peerDead = true;
            } else if (now - nextRecvLivenessCheck >= 0) {
                nextRecvLivenessCheck = now + LIVENESS_NANOS;
                peerDead = !isPeerAlive();
            }
        }
        if ((peerClosed || peerDead) && !hasCommittedRecord()) {
            long owner = header.getLongVolatile(peerState() + PipeDescriptor.OWNER);
            receiver.assembling = false;
            sink.discard();
            throw new EOFException(describe() + ": the other end was " + (peerClosed
                    ? "closed by " + ProcessIdentity.describe(owner) + "; every message it sent has been received"
                    : handedOver(owner) ? "handed to " + ProcessIdentity.describe(owner) + ", which died before "
                    + "attaching it" : "held by " + ProcessIdentity.describe(owner) + ", which died; every message it "
                    + "sent has been received"));
        }
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            throw new TimeoutException("no message on " + describe() + " before the deadline");
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
            throw new IllegalStateException(describe() + " is the sending end of a one-way pipe: it cannot receive");
        }
        recvLock.lock();
        try {
            if (closed) {
                throw ClosedExceptions.closed(describe());
            }
            if (hasCommittedRecord()) {
                return true;
            }
            if (header.getIntVolatile(peerState() + PipeDescriptor.CLOSED) != 0) {
                return true;
            }
            if (knownDead()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - nextRecvLivenessCheck >= 0) {
                nextRecvLivenessCheck = now + LIVENESS_NANOS;
                return !isPeerAlive();
            }
            return false;
        } finally {
            recvLock.unlock();
        }
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
            if (closed) {
                throw ClosedExceptions.closedWhileWaiting(describe());
            }
        }
        return true;
    }

    /** The record handler: one record per call of {@code controlledRead(handler, 1)}. */
    private final class Receiver implements ControlledMessageHandler {
        boolean progress;
        boolean done;
        boolean assembling;
        Throwable failure;

        void start() {
            done = false;
            failure = null;
        }

        @Override
        public Action onMessage(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
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

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Closes this end in this process. If this process owns the end, the other end sees end of file after
     * receiving everything sent; the last user of the segment unlinks it. Harmless if repeated.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sendLock.lock();
        recvLock.lock();
        try {
            if (header.getLongVolatile(endState() + PipeDescriptor.OWNER) == ProcessIdentity.SELF_TOKEN) {
                header.putIntRelease(endState() + PipeDescriptor.CLOSED, 1);
            }
            released = true;
            segment.release();
        } finally {
            recvLock.unlock();
            sendLock.unlock();
        }
    }

    /**
     * Creates a payload from a channel (for the public API).
     *
     * @param src    the channel.
     * @param length the bytes to send.
     * @return the payload.
     */
    public static Payload payload(ReadableByteChannel src, long length) {
        return Payload.of(src, length);
    }

    /**
     * The ring this end reads (for tests).
     *
     * @return the ring, or {@code null}.
     */
    RingBuffer inRing() {
        return in;
    }

    @Override
    public String toString() {
        return describe();
    }
}
