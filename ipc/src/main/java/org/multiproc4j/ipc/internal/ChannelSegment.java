package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.AtomicBuffer;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.Segment;

/**
 * The shared memory of one pipe or queue: a sharedmem {@link Segment} of kind pipe or queue, whose data holds
 * the channel's layout ({@link PipeDescriptor}, {@link QueueDescriptor}).
 *
 * <p>Its lifetime is every segment's (sharedmem's users table): the name stays while a live process has the
 * channel open, was handed it by {@code JvmProcess.start()} and has not attached it yet, or wrote a handle of it
 * that is still in flight; the close that leaves no such use removes it, whichever process makes it, and a sweep
 * removes what only dead processes used.
 *
 * <p>Within one process, one mapping serves several objects (the two ends of a pipe created here):
 * {@link #retain()} counts them, and the last {@link #release()} closes the segment.
 */
public final class ChannelSegment {
    private final Segment segment;
    private final AtomicBuffer buffer;
    private final AtomicInteger references = new AtomicInteger(1);

    private ChannelSegment(Segment segment) {
        this.segment = segment;
        this.buffer = segment.window(0, (int) segment.dataLength());
    }

    /**
     * Creates a zero-filled segment.
     *
     * @param kind        {@code SegmentDescriptor.KIND_PIPE} or {@code KIND_QUEUE}.
     * @param kindVersion the layout version of the channel.
     * @param size        bytes.
     * @return the segment; this process is its creator.
     * @throws SharedMemoryException if it cannot be created.
     */
    public static ChannelSegment create(int kind, int kindVersion, int size) {
        return new ChannelSegment(Segment.create(null, kind, kindVersion, size, null));
    }

    /**
     * Attaches a segment by name, for a handle written by {@code sender}.
     *
     * @param name        the name.
     * @param kind        the kind the caller expects.
     * @param kindVersion the layout version the caller reads.
     * @param what        what the caller attaches it as, for messages ("a pipe").
     * @param sender      the token the handle carries.
     * @return the segment.
     * @throws IOException if no segment has that name any more (every user closed it or died), it holds
     *                     something else, or it cannot be mapped.
     */
    public static ChannelSegment attach(String name, int kind, int kindVersion, String what, long sender)
            throws IOException {
        try {
            return new ChannelSegment(Segment.attach(name, kind, kindVersion, what, sender));
        } catch (SharedMemoryException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Returns the name other processes attach by.
     *
     * @return the name.
     */
    public String name() {
        return segment.name();
    }

    /**
     * Returns the memory.
     *
     * @return the buffer over the whole data.
     */
    public AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * Records that a handle of the channel was written for another process.
     *
     * @return this process's token, for the handle.
     * @throws IllegalStateException if the segment is closed.
     */
    public long sending() {
        return segment.sending();
    }

    /**
     * Records which process will attach the handle written last ({@code null}: none will).
     *
     * @param recipient the process, or {@code null}.
     */
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
    }

    /**
     * Counts one more local object using this mapping.
     *
     * @return this segment.
     */
    public ChannelSegment retain() {
        references.incrementAndGet();
        return this;
    }

    /** Drops one local object's use; the last closes the segment (which removes it if no live process uses it). */
    public void release() {
        if (references.decrementAndGet() == 0) {
            segment.close();
        }
    }

    @Override
    public String toString() {
        return "segment " + segment.name();
    }
}
