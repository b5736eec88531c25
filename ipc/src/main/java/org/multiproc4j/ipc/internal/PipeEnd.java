package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.multiproc4j.ipc.BrokenPipeException;
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
 * {@link PipeSender#SEND_LIVENESS_NANOS}, after writing, so that the check adds nothing to a message's way to the
 * receiver and one clock read to a send. A non-owner closing its object only ends its own use of the segment.
 *
 * <p><b>Sides.</b> The sending side ({@link PipeSender}) and the receiving side ({@link PipeReceiver}) each have
 * their ring, their idle strategy and their lock; this class holds what they share: the segment, the ownership
 * words and what is known of the other end's owner.
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

    private final ChannelSegment segment;
    private final AtomicBuffer header;
    private final String name;
    private final int end;
    private final int peer;
    private final boolean duplex;
    private final int capacity;
    private final ChannelOptions options;
    private final IdlePolicy idlePolicy;
    private final PipeSender sender;
    private final PipeReceiver receiver;

    private volatile boolean closed;
    /** Whether {@link #close()} gave up this object's use of the mapping; guarded by both sides' locks. */
    private boolean released;
    /** The identity of the other end's owner once a send or a receive found it dead (0: not found dead). */
    private volatile long deadPeer;
    /** Looks at the other end's owner (an open {@code /proc} file, not a new read of it each time). */
    private final PeerWatch peerWatch = new PeerWatch();

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
        this.options = options;
        this.idlePolicy = options.idle();
        AgronaWire codec = AgronaWire.of(options.codec());
        this.sender = new PipeSender(this, header, capacity, writeRing < 0 ? null : ring(writeRing), codec, idlePolicy);
        this.receiver = new PipeReceiver(this, header, capacity, readRing < 0 ? null : ring(readRing), codec,
                idlePolicy);
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

    int peerState() {
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
        return receiver.canReceive();
    }

    /**
     * Tells whether this end can send.
     *
     * @return {@code true} if it writes a ring.
     */
    public boolean isWritable() {
        return sender.canSend();
    }

    /**
     * Returns the sending side.
     *
     * @return the side that sends on this end.
     */
    public PipeSender sender() {
        return sender;
    }

    /**
     * Returns the receiving side.
     *
     * @return the side that receives on this end.
     */
    public PipeReceiver receiver() {
        return receiver;
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
        sender.sendLock.lock();
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
            sender.sendLock.unlock();
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
        sender.sendLock.lock();
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
            sender.sendLock.unlock();
        }
        segment.handedOver(recipient);
    }

    /** Whether the other end's owner word names the process it was handed to, not attached yet (for messages). */
    boolean handedOver(long owner) {
        return (owner & PipeDescriptor.IN_TRANSIT) != 0
                && header.getIntVolatile(peerState() + PipeDescriptor.HANDED) != 0;
    }

    String describe() {
        return "end " + end + " of pipe " + name;
    }

    // ------------------------------------------------------------------------------------- the other end

    /**
     * Whether the other end's owner lives (a seek and a read of its {@code /proc} stat file, kept open: see
     * {@link PeerWatch}); remembers it if it does not.
     */
    boolean isPeerAlive() {
        long owner = header.getLongVolatile(peerState() + PipeDescriptor.OWNER);
        if (peerWatch.isAlive(owner)) {
            return true;
        }
        deadPeer = owner;
        return false;
    }

    /** Whether the other end's owner is one a look found dead already (death is final; a new owner is not). */
    boolean knownDead() {
        long dead = deadPeer;
        return dead != 0 && header.getLongVolatile(peerState() + PipeDescriptor.OWNER) == dead;
    }

    /**
     * Returns the identity of the other end's owner once a send or a receive found it dead.
     *
     * @return the identity, or 0 if none was found dead.
     */
    long deadPeer() {
        return deadPeer;
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
        sender.sendLock.lock();
        receiver.recvLock.lock();
        try {
            if (header.getLongVolatile(endState() + PipeDescriptor.OWNER) == ProcessIdentity.SELF_TOKEN) {
                header.putIntRelease(endState() + PipeDescriptor.CLOSED, 1);
            }
            released = true;
            peerWatch.close();
            segment.release();
        } finally {
            receiver.recvLock.unlock();
            sender.sendLock.unlock();
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
        return receiver.inRing();
    }

    @Override
    public String toString() {
        return describe();
    }
}
