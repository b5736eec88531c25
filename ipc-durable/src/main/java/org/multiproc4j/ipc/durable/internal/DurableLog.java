package org.multiproc4j.ipc.durable.internal;

import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.FREE;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.RELEASED;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.UnrecoverableTimeoutException;

/**
 * One queue object's view of a durable queue's files, and the claim/sweep protocol that turns Chronicle Queue's
 * broadcast log into a work queue: Chronicle's cycle files hold the messages, and every message has a marker
 * ({@link QueueDescriptor}) that consumers change by compare-and-set, so that exactly one of them takes it. It
 * knows bytes only; {@code DurableQueue} encodes, decodes and waits.
 *
 * <p><b>Claiming.</b> A consumer takes a consumer slot of the claim file on its first claim (its session) and
 * reads the queue with a tailer from the low-water mark on; it claims a message by changing its marker from
 * {@link QueueDescriptor#FREE} (or {@link QueueDescriptor#RELEASED}) to "consumed by me" (a take) or "delivered
 * to me" (a delivery, settled later by an ack or a release).
 *
 * <p><b>Sweeping.</b> At most once per recovery interval a claim first looks back from the low-water mark: it
 * raises the mark over the consumed messages and takes the first message that is free, released, or delivered
 * to a consumer whose slot is no longer held (its process died or it closed without acknowledging). That is
 * how a message comes back after its consumer's death, and how a tailer that Chronicle left behind catches up.
 *
 * <p><b>Thread safety.</b> Thread-safe: appends are serialised by one lock, claims, settlements and sweeps by
 * another.
 */
public final class DurableLog implements AutoCloseable {
    private static final long BLOCK_SIZE = 64L << 20;
    /**
     * Chronicle's lock timeout: a process that died holding the queue's write lock (killed inside an append)
     * is found dead and its lock broken after 1.5 times this, by the processes that already have the queue
     * open (one that opens it breaks such a lock at once). A live holder is waited for, however long.
     */
    private static final long LOCK_TIMEOUT_MS = 2_000;
    /** The marker bits that name a consumer (slot and epoch), without the state. */
    private static final long HOLDER_BITS = ~(3L << 62);

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final RollingResourcesCache files;
    private final ClaimFile claims;
    private final Markers markers;
    private final long recoveryNanos;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock consumeLock = new ReentrantLock();
    private ExcerptAppender appender;
    private ExcerptTailer tailer;
    private ExcerptTailer sweeper;
    private ClaimFile.Session session;
    private long nextSweep;
    private volatile boolean closed;

    /** A message this consumer has just claimed: its marker is now {@code marker}. */
    public record Claimed(long index, long marker, byte[] bytes, boolean redelivered) {
    }

    /** What a look over the messages from the low-water mark on found. */
    public record Backlog(long notConsumed, long firstNotConsumed, long last) {
    }

    /** Receives a message read from the files, with its index. */
    @FunctionalInterface
    public interface Reader {
        /**
         * Takes one message.
         *
         * @param index the message's Chronicle index.
         * @param bytes the message as appended.
         */
        void read(long index, byte[] bytes);
    }

    private DurableLog(Path directory, SingleChronicleQueue queue, ClaimFile claims, Markers markers,
                       Duration recoveryInterval) {
        this.directory = directory;
        this.queue = queue;
        this.claims = claims;
        this.markers = markers;
        this.recoveryNanos = recoveryInterval.toNanos();
        this.rollCycle = queue.rollCycle();
        this.files = new RollingResourcesCache(rollCycle, queue.epoch(),
                name -> new File(directory.toFile(), name + SingleChronicleQueue.SUFFIX),
                f -> f.getName().substring(0, f.getName().length() - SingleChronicleQueue.SUFFIX.length()));
    }

    /**
     * Opens the queue's files in {@code directory}, creating them if needed.
     *
     * @param directory        the queue's directory, which exists.
     * @param rollPeriod       one of {@link RollPeriods}' periods; an existing queue keeps its own.
     * @param recoveryInterval how often a claim sweeps, positive.
     * @return the log; close it when done.
     * @throws IOException if a file cannot be created or opened, or is not a multiproc4j queue file.
     */
    public static DurableLog open(Path directory, Duration rollPeriod, Duration recoveryInterval) throws IOException {
        ClaimFile c = null;
        Markers m = null;
        SingleChronicleQueue q = null;
        try {
            c = ClaimFile.open(directory);
            m = new Markers(directory);
            q = SingleChronicleQueueBuilder.single(directory.toFile())
                    .rollCycle(RollPeriods.cycle(rollPeriod))
                    .blockSize(BLOCK_SIZE)
                    .timeoutMS(LOCK_TIMEOUT_MS)
                    .checkInterrupts(false)
                    .build();
            return new DurableLog(directory, q, c, m, recoveryInterval);
        } catch (IOException | RuntimeException | Error e) {
            if (q != null) {
                q.close();
            }
            if (m != null) {
                m.close();
            }
            if (c != null) {
                c.release();
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------- appending

    /**
     * Appends a message, a format byte then a payload, whole or not at all.
     *
     * @param format  the first byte.
     * @param payload the rest.
     * @return the message's index.
     * @throws IllegalStateException if the log is closed.
     */
    public long append(byte format, byte[] payload) {
        appendLock.lock();
        try {
            ensureOpen();
            if (appender == null) {
                appender = queue.createAppender();
                appender.singleThreadedCheckDisabled(true);
            }
            while (true) {
                DocumentContext dc;
                try {
                    dc = appender.writingDocument();
                } catch (UnrecoverableTimeoutException e) {
                    // the write lock is held by a live process (a long pause): keep waiting for it
                    continue;
                }
                try (dc) {
                    try {
                        Bytes<?> out = dc.wire().bytes();
                        out.writeByte(format);
                        out.write(payload);
                    } catch (RuntimeException | Error e) {
                        dc.rollbackOnClose();
                        throw e;
                    }
                }
                return appender.lastIndexAppended();
            }
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- claiming

    /**
     * Claims the next message this consumer may take, sweeping first when the recovery interval has passed.
     *
     * @param delivery {@code true} to mark it delivered (to be settled), {@code false} to mark it consumed.
     * @return the message, or {@code null} if none is waiting.
     * @throws IllegalStateException if the log is closed.
     * @throws UncheckedIOException  if the claim file cannot be read.
     */
    public Claimed claim(boolean delivery) {
        consumeLock.lock();
        try {
            ensureOpen();
            startConsuming();
            long mine = delivery ? QueueDescriptor.claimed(session.slot(), session.epoch())
                    : QueueDescriptor.done(session.slot(), session.epoch());
            long now = System.nanoTime();
            if (now - nextSweep >= 0) {
                nextSweep = now + recoveryNanos;
                Claimed c = sweep(mine);
                if (c != null) {
                    if (!c.redelivered()) {
                        resumeTailerAt(c.index());
                    }
                    return c;
                }
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    long index = dc.index();
                    long m = markerOf(index);
                    if ((m == FREE || m == RELEASED) && changeMarker(index, m, mine)) {
                        return new Claimed(index, mine, readBytes(dc), m != FREE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queue in " + directory + ": " + e, e);
        } finally {
            consumeLock.unlock();
        }
    }

    /** Takes a consumer slot and positions the tailer, on the first claim. Called under the consume lock. */
    private void startConsuming() throws IOException {
        if (session != null) {
            return;
        }
        session = claims.acquire();
        tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        position(tailer, claims.lowWater());
        nextSweep = System.nanoTime();
    }

    /**
     * Moves the consuming tailer on to a message the sweep found free, which the tailer should have found itself.
     * Usually the tailer simply had not got there yet, and the move skips nothing free: a marker never becomes
     * free again, and the sweep takes the first takeable message from the low-water mark on. But a Chronicle
     * tailer that looked at a cycle file while its first header was incomplete (a producer killed while creating
     * the file; Chronicle waits for the header, then sets the file aside as {@code *.discard} and starts the cycle
     * anew) reads nothing ever after; repositioning it is what brings it back. Without this, such a consumer got
     * one message per recovery interval, from the sweep alone.
     */
    private void resumeTailerAt(long index) {
        position(tailer, index);
    }

    private static void position(ExcerptTailer t, long index) {
        if (index == 0 || !t.moveToIndex(index)) {
            t.toStart();
        }
    }

    /**
     * Looks at every message from the low-water mark on: raises the mark over the consumed ones and takes the
     * first that is free, released, or delivered to a consumer that is gone.
     */
    private Claimed sweep(long mine) throws IOException {
        if (sweeper == null) {
            sweeper = queue.createTailer();
            sweeper.singleThreadedCheckDisabled(true);
        }
        long low = claims.lowWater();
        long newLow = low;
        boolean contiguous = true;
        Map<Long, Boolean> live = new HashMap<>();
        position(sweeper, low);
        try {
            while (true) {
                try (DocumentContext dc = sweeper.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    long index = dc.index();
                    long m = markerOf(index);
                    if (QueueDescriptor.isDone(m)) {
                        if (contiguous) {
                            newLow = index;
                        }
                        continue;
                    }
                    contiguous = false;
                    boolean takeable = m == FREE || m == RELEASED
                            || (QueueDescriptor.isClaimed(m) && !isLive(m, live));
                    if (takeable && changeMarker(index, m, mine)) {
                        return new Claimed(index, mine, readBytes(dc), m != FREE);
                    }
                }
            }
        } finally {
            if (newLow != low) {
                claims.advanceLowWater(newLow);
            }
        }
    }

    private boolean isLive(long marker, Map<Long, Boolean> cache) throws IOException {
        long key = marker & HOLDER_BITS;
        Boolean alive = cache.get(key);
        if (alive == null) {
            alive = claims.isLive(QueueDescriptor.slot(marker), QueueDescriptor.epoch(marker));
            cache.put(key, alive);
        }
        return alive;
    }

    private static byte[] readBytes(DocumentContext dc) {
        Bytes<?> in = dc.wire().bytes();
        byte[] bytes = new byte[(int) in.readRemaining()];
        in.read(bytes);
        return bytes;
    }

    /**
     * Moves a delivered message's marker on, if this consumer still holds it.
     *
     * @param index    the message's index.
     * @param expected the marker its delivery set.
     * @param update   {@link #consumedMarker()} or {@link QueueDescriptor#RELEASED}.
     * @return {@code true} if it moved; {@code false} if this log is closed (the delivery went back to the
     *         queue) or the marker was changed meanwhile.
     */
    public boolean settle(long index, long expected, long update) {
        consumeLock.lock();
        try {
            if (closed) {
                return false;
            }
            return changeMarker(index, expected, update);
        } finally {
            consumeLock.unlock();
        }
    }

    /**
     * Returns the marker of a message consumed by this consumer.
     *
     * @return the marker.
     * @throws IllegalStateException if this log has not claimed anything yet.
     */
    public long consumedMarker() {
        ClaimFile.Session s = session;
        if (s == null) {
            throw new IllegalStateException(this + " has no consumer session yet");
        }
        return QueueDescriptor.done(s.slot(), s.epoch());
    }

    // ------------------------------------------------------------------------------------------- reading

    /**
     * Reads every message still in the files, from the oldest, consumed or not, without claiming anything.
     *
     * @param reader called with each message, in this thread.
     * @return how many messages were read.
     * @throws IllegalStateException if the log is closed.
     */
    public long replay(Reader reader) {
        ensureOpen();
        long n = 0;
        try (ExcerptTailer t = queue.createTailer()) {
            t.toStart();
            while (true) {
                long index;
                byte[] bytes;
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return n;
                    }
                    index = dc.index();
                    bytes = readBytes(dc);
                }
                reader.read(index, bytes);
                n++;
            }
        }
    }

    /**
     * Tells whether a claim would find a message now: one from the low-water mark on is free or released. (A
     * message delivered to a consumer that died is found by a claim's sweep only, so it is not counted here.)
     *
     * @return {@code true} if a message may be claimed.
     * @throws IllegalStateException if the log is closed.
     */
    public boolean hasClaimable() {
        ensureOpen();
        try (ExcerptTailer t = queue.createTailer()) {
            position(t, claims.lowWater());
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return false;
                    }
                    long m = markerOf(dc.index());
                    if (m == FREE || m == RELEASED) {
                        return true;
                    }
                }
            }
        }
    }

    /**
     * Reads every message from the low-water mark on, raising the mark over the consumed ones.
     *
     * @return the messages not consumed (delivered ones included), the first of them and the last message.
     * @throws IllegalStateException if the log is closed.
     */
    public Backlog scan() {
        ensureOpen();
        long count = 0;
        long firstNotDone = -1;
        long last = -1;
        long low = claims.lowWater();
        long newLow = low;
        try (ExcerptTailer t = queue.createTailer()) {
            position(t, low);
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long index = dc.index();
                    last = index;
                    if (QueueDescriptor.isDone(markerOf(index))) {
                        if (firstNotDone < 0) {
                            newLow = index;
                        }
                    } else {
                        if (firstNotDone < 0) {
                            firstNotDone = index;
                        }
                        count++;
                    }
                }
            }
        }
        claims.advanceLowWater(newLow);
        return new Backlog(count, firstNotDone, last);
    }

    /**
     * Deletes the Chronicle files and markers of the roll cycles that are over and whose messages are all
     * consumed: every cycle before that of the first message not consumed, and never the last cycle.
     *
     * @return how many cycle files were deleted.
     * @throws IOException           if a file cannot be deleted.
     * @throws IllegalStateException if the log is closed.
     */
    public int deleteConsumedCycles() throws IOException {
        Backlog backlog = scan();
        if (backlog.last() < 0) {
            return 0;
        }
        // keep the cycle of the first message not consumed, and the last cycle (it may still be written)
        int keepFrom = rollCycle.toCycle(backlog.firstNotConsumed() >= 0 ? backlog.firstNotConsumed() : backlog.last());
        int deleted = 0;
        try (DirectoryStream<Path> cq4 = Files.newDirectoryStream(directory, "*" + SingleChronicleQueue.SUFFIX)) {
            for (Path f : cq4) {
                String name = f.getFileName().toString();
                int cycle;
                try {
                    cycle = files.parseCount(name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length()));
                } catch (RuntimeException e) {
                    continue;
                }
                if (cycle < keepFrom) {
                    Files.deleteIfExists(f);
                    markers.deleteCycle(cycle);
                    deleted++;
                }
            }
        }
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory.resolve(QueueDescriptor.MARKS_DIR),
                "*" + QueueDescriptor.MARKS_SUFFIX)) {
            for (Path f : marks) {
                String name = f.getFileName().toString();
                try {
                    int cycle = Integer.parseInt(name.substring(0, name.length() - QueueDescriptor.MARKS_SUFFIX.length()));
                    if (cycle < keepFrom) {
                        markers.deleteCycle(cycle);
                    }
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        queue.refreshDirectoryListing();
        return deleted;
    }

    /** The marker of a message, as every process sees it. Package-private: tests read it through a probe. */
    long markerOf(long index) {
        return markers.get(rollCycle.toCycle(index), rollCycle.toSequenceNumber(index));
    }

    private boolean changeMarker(long index, long expected, long update) {
        return markers.compareAndSet(rollCycle.toCycle(index), rollCycle.toSequenceNumber(index), expected, update);
    }

    // ------------------------------------------------------------------------------------------- test hooks

    /** Starts consuming, as the first claim would (takes a slot), and returns this consumer's session. */
    ClaimFile.Session session() throws IOException {
        consumeLock.lock();
        try {
            ensureOpen();
            startConsuming();
            return session;
        } finally {
            consumeLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- the rest

    /**
     * Tells whether this view was closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Closes this view (not the queue: its files stay, and other processes' views): deliveries not settled go
     * back to the queue, since the consumer slot is given up. Harmless twice.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumeLock.lock();
        try {
            if (tailer != null) {
                tailer.close();
            }
            if (sweeper != null) {
                sweeper.close();
            }
            if (session != null) {
                claims.release(session);
            }
        } finally {
            consumeLock.unlock();
        }
        appendLock.lock();
        try {
            if (appender != null) {
                appender.close();
            }
        } finally {
            appendLock.unlock();
        }
        queue.close();
        markers.close();
        claims.release();
    }

    @Override
    public String toString() {
        return "DurableQueue[" + directory + (closed ? ", closed" : "") + "]";
    }
}
