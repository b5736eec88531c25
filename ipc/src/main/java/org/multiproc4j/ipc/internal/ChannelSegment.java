package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.AtomicBuffer;
import org.multiproc4j.sharedmem.SharedMemory;
import org.multiproc4j.sharedmem.SharedMemoryException;

/**
 * The shared memory of one pipe or queue: a {@link SharedMemory} block, with the lifetime rules channels need.
 *
 * <p>A {@code SharedMemory} block is unlinked when its creator closes it. A channel's segment must instead live
 * as long as any process uses it, including a child that was handed a pipe end or queue and has not attached
 * yet (the creator may close its own objects right after starting the child, Python's idiom). So the
 * segment's {@link SegmentUsers} table decides: the process whose close leaves no live user unlinks it,
 * whichever it is; a creator that closes while others still use the segment keeps its mapping open (and the
 * name linked) until the table says the segment is retired, or its JVM exits. Segments of a creator killed
 * with {@code kill -9} are swept by sharedmem's {@code ResourceTracker}.
 *
 * <p>Within one process, one mapping serves several objects (the two ends of a pipe created here):
 * {@link #retain()} counts them, and the last {@link #release(boolean)} unmaps.
 */
public final class ChannelSegment {
    private static final Set<ChannelSegment> LINGERING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean REAPER = new AtomicBoolean();

    private final SharedMemory memory;
    private final AtomicBuffer buffer;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile int retiredOffset = -1;

    private ChannelSegment(SharedMemory memory) {
        this.memory = memory;
        this.buffer = memory.buffer();
    }

    /**
     * Creates a zero-filled segment.
     *
     * @param size bytes.
     * @return the segment; this process is its creator.
     * @throws SharedMemoryException if it cannot be created.
     */
    public static ChannelSegment create(int size) {
        return new ChannelSegment(SharedMemory.create(size));
    }

    /**
     * Attaches a segment by name.
     *
     * @param name the name.
     * @return the segment.
     * @throws IOException if no segment has that name any more (every user closed it) or it cannot be mapped.
     */
    public static ChannelSegment attach(String name) throws IOException {
        try {
            return new ChannelSegment(SharedMemory.attach(name));
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
        return memory.name();
    }

    /**
     * Returns the memory.
     *
     * @return the buffer over the whole block.
     */
    public AtomicBuffer buffer() {
        return buffer;
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

    /**
     * Drops one local object's use.
     *
     * @param unused        whether the segment's users table says no live process uses it any more (it is
     *                      then unlinked).
     * @param retiredOffset where the users table's retired flag is, for a creator that must linger.
     */
    public void release(boolean unused, int retiredOffset) {
        if (unused) {
            memory.unlink();
        }
        if (references.decrementAndGet() != 0) {
            return;
        }
        if (!unused && memory.isCreator()) {
            // closing a creator's SharedMemory unlinks it: keep it until the last user retires it
            this.retiredOffset = retiredOffset;
            LINGERING.add(this);
            startReaper();
            return;
        }
        memory.close();
    }

    private static void startReaper() {
        if (REAPER.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (ChannelSegment s : LINGERING) {
                        if (s.buffer.getLongVolatile(s.retiredOffset) != 0) {
                            LINGERING.remove(s);
                            s.memory.close();
                        }
                    }
                }
            }, "mp4j-ipc-lingering-segments");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    @Override
    public String toString() {
        return "segment " + memory.name();
    }
}
