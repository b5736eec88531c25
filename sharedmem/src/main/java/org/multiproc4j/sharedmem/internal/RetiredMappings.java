package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The mappings of closed segments, which stay mapped until nothing in this JVM can reach them, and the bound
 * on how much of them may wait for the garbage collector.
 *
 * <p><b>Why closing does not unmap.</b> Accessors check that their object is open and then touch its memory
 * through a raw address, without a per-access count (a locked increment would double the cost of a
 * {@code get}). A thread that found the object open a nanosecond before another thread closed it still
 * touches the memory; if {@code close()} unmapped it, that touch would crash the JVM. So a closed segment's
 * mappings are left to their {@link MappedByteBuffer}s, which the JDK unmaps once they are unreachable (the
 * JDK's own rule for mapped memory): every path that uses a raw address keeps the segment (and so its
 * buffers) reachable while it does, and buffer views handed out wrap the mapped buffer itself.
 *
 * <p><b>The bound.</b> Pages of a segment stay allocated in {@code /dev/shm} until its last mapping is gone,
 * even once its name is removed; a program that creates and closes large segments in a loop allocates little
 * Java heap, so the collector may not run for a long time. As {@code java.nio.Bits} bounds direct memory, this
 * class counts the bytes and mappings retired and not yet released: when a segment is mapped while more than
 * {@value #MAX_BYTES_PROPERTY} bytes (default: a quarter of the segment directory's size, at least 16 MiB and
 * at most 256 MiB) or {@value #MAX_MAPPINGS} mappings wait, the mapping thread runs {@link System#gc()} and
 * waits (at most about half a second) while the cleaners release them; when a close pushes the count over the
 * bound, a background thread does the same once no segment was created, attached or closed for a second, so
 * that a program that closes a large segment and then goes on without shared memory gets its memory back,
 * and a program busy with shared memory is not collected in the middle of its work. What survives a collection is still reachable (the program
 * holds a closed object or a buffer view): it raises the bound for the next collection by as much, so that
 * nobody collects again and again for memory the program holds.
 */
public final class RetiredMappings {
    /** System property: the most bytes of closed segments that may wait for the collector. */
    public static final String MAX_BYTES_PROPERTY = "multiproc4j.sharedmem.maxRetainedBytes";
    /** The most mappings of closed segments that may wait for the collector. */
    public static final int MAX_MAPPINGS = 1024;

    private static final long MAX_BYTES = maxBytes();
    private static final long QUIET_NS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong MAPPINGS = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static final Object LOCK = new Object();
    private static final Object COLLECT_LOCK = new Object();
    private static volatile long bytesThreshold = MAX_BYTES;
    private static volatile long mappingsThreshold = MAX_MAPPINGS;
    private static volatile Cleaner cleaner;
    private static volatile long lastActivity = System.nanoTime();
    private static Thread collector;
    private static boolean collectRequested;

    private RetiredMappings() {
    }

    private static long maxBytes() {
        Long configured = Long.getLong(MAX_BYTES_PROPERTY);
        if (configured != null) {
            return Math.max(0, configured);
        }
        long total = 0;
        try {
            total = Files.getFileStore(Segments.directory()).getTotalSpace();
        } catch (IOException | RuntimeException e) {
            // unknown: use the ceiling
        }
        long ceiling = 256L << 20;
        return total <= 0 ? ceiling : Math.max(16L << 20, Math.min(ceiling, total / 4));
    }

    /**
     * Hands over the mappings of a closed segment: they stay mapped while reachable and are counted until
     * their cleaners run.
     *
     * @param maps       the segment's buffers.
     * @param fileLength the segment file's length (its pages are what {@code /dev/shm} holds).
     */
    static void retire(MappedByteBuffer[] maps, long fileLength) {
        lastActivity = System.nanoTime();
        Cleaner c = cleaner();
        for (int i = 0; i < maps.length; i++) {
            long start = (long) i << Segment.CHUNK_SHIFT;
            long bytes = maps.length == 1 ? fileLength : Math.min(Segment.CHUNK, fileLength - start);
            BYTES.addAndGet(bytes);
            MAPPINGS.incrementAndGet();
            c.register(maps[i], new Released(bytes));
        }
        if (overThreshold()) {
            requestCollection();
        }
    }

    /**
     * Called before mapping a segment: if too much closed memory waits for the collector, collects and waits
     * a little for its release.
     */
    static void beforeMapping() {
        lastActivity = System.nanoTime();
        if (!overThreshold()) {
            return;
        }
        collect();
    }

    /**
     * Returns the bytes of closed segments still mapped in this JVM (reachable, or waiting for the collector).
     *
     * @return bytes.
     */
    public static long retainedBytes() {
        return BYTES.get();
    }

    /**
     * Returns how many mappings of closed segments are still mapped in this JVM.
     *
     * @return the count.
     */
    public static long retainedMappings() {
        return MAPPINGS.get();
    }

    /**
     * Returns the bound on {@link #retainedBytes()} beyond which mapping a segment first collects.
     *
     * @return bytes.
     */
    public static long maxRetainedBytes() {
        return MAX_BYTES;
    }

    /**
     * Returns how many times this class asked for a collection (for tests).
     *
     * @return the count.
     */
    public static long collections() {
        return COLLECTIONS.get();
    }

    private static boolean overThreshold() {
        return BYTES.get() > bytesThreshold || MAPPINGS.get() > mappingsThreshold;
    }

    private static boolean overBound() {
        return BYTES.get() > MAX_BYTES || MAPPINGS.get() > MAX_MAPPINGS;
    }

    /** Runs the collector and waits while the cleaners release what it found, as {@code java.nio.Bits} does. */
    private static void collect() {
        synchronized (COLLECT_LOCK) {
            if (!overThreshold()) {
                return;
            }
            COLLECTIONS.incrementAndGet();
            System.gc();
            long before = BYTES.get() + MAPPINGS.get();
            int idle = 0;
            long waited = 0;
            boolean interrupted = false;
            for (long sleepMs = 1; sleepMs <= 256 && overBound(); sleepMs <<= 1) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
                waited += sleepMs;
                long now = BYTES.get() + MAPPINGS.get();
                idle = now < before ? 0 : idle + 1;
                before = now;
                if (idle >= 2 && waited >= 15) {
                    break; // nothing more is being released: the rest is reachable
                }
            }
            // what is left is held by the program: collect again only once as much more is retired
            bytesThreshold = Math.max(MAX_BYTES, BYTES.get() + MAX_BYTES);
            mappingsThreshold = Math.max(MAX_MAPPINGS, MAPPINGS.get() + MAX_MAPPINGS);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void requestCollection() {
        synchronized (LOCK) {
            collectRequested = true;
            if (collector == null) {
                Thread t = new Thread(RetiredMappings::collectLoop, "mp4j-shm-release");
                t.setDaemon(true);
                collector = t;
                t.start();
            } else {
                LockSupport.unpark(collector);
            }
        }
    }

    private static void collectLoop() {
        while (true) {
            synchronized (LOCK) {
                if (!collectRequested) {
                    collector = null;
                    return;
                }
                collectRequested = false;
            }
            // wait for a quiet second: no collection in the middle of the program's work (a thread that maps a
            // segment meanwhile collects itself, before it maps), and the closing thread has left the methods
            // that still held the closed object
            for (long quiet = System.nanoTime() - lastActivity; quiet < QUIET_NS; quiet = System.nanoTime() - lastActivity) {
                LockSupport.parkNanos(QUIET_NS - quiet);
            }
            if (overThreshold()) {
                collect();
            }
        }
    }

    private static Cleaner cleaner() {
        Cleaner c = cleaner;
        if (c == null) {
            synchronized (LOCK) {
                c = cleaner;
                if (c == null) {
                    c = Cleaner.create(r -> {
                        Thread t = new Thread(r, "mp4j-shm-released");
                        t.setDaemon(true);
                        return t;
                    });
                    cleaner = c;
                }
            }
        }
        return c;
    }

    /** Counts a retired mapping as released once its buffer is unreachable (the JDK unmaps it then). */
    private static final class Released implements Runnable {
        private final long bytes;

        Released(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void run() {
            long left = BYTES.addAndGet(-bytes);
            long mappings = MAPPINGS.decrementAndGet();
            if (left + MAX_BYTES < bytesThreshold) {
                bytesThreshold = Math.max(MAX_BYTES, left + MAX_BYTES);
            }
            if (mappings + MAX_MAPPINGS < mappingsThreshold) {
                mappingsThreshold = Math.max(MAX_MAPPINGS, mappings + MAX_MAPPINGS);
            }
        }
    }
}
