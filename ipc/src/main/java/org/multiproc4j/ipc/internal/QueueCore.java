package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_FRAG_TAIL;

import java.io.IOException;
import java.util.List;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.LockWord;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * The machinery shared by {@code SharedQueue}, {@code SimpleSharedQueue} and {@code JoinableSharedQueue}: a
 * multi-producer, multi-consumer queue of encoded values in one segment ({@link QueueDescriptor}).
 *
 * <p><b>Design.</b> Producers take turns through one cross-process lock (a {@link LockWord}), consumers
 * through another, as in {@code java.util.concurrent.LinkedBlockingQueue}'s two-lock design; between them a
 * {@link QueueRing}. The two sides are {@link QueueProducer} and {@link QueueConsumer}, each with its lock, its
 * markers and the repair of its own dead; this class holds the segment, the counts, the joinable queue's
 * counter and the lifecycle. Holding the producer lock for a whole message lets a message larger than a ring record be
 * written as consecutive fragments (and one larger than the whole ring be streamed through it while a consumer
 * reads); holding the consumer lock lets one consumer read them all.
 *
 * <p><b>Crash safety.</b> Each side writes its progress to its markers (release stores, in program order) before
 * it touches the ring, so that whoever takes a lock over from a dead holder can finish or undo exactly what the
 * holder was doing:
 * <ul>
 *   <li>A dead <em>producer</em>: a claimed but uncommitted record becomes padding; a message with fragments
 *       already committed gets an {@link Frames#ABORT} record, and consumers drop what they assembled of it; a
 *       message whose last record was committed stays. The count of puts is corrected. Consumers waiting at the
 *       ring check the producer lock's holder every few milliseconds, so they make progress within
 *       {@value LockWord#LIVENESS_CHECK_NANOS} ns plus the time to repair (well under 100 ms).</li>
 *   <li>A dead <em>consumer</em>: consumers never write records, only the head. A consumer killed before the
 *       message's last record was passed leaves the head at the message's start (it is taken again by the next
 *       consumer: nothing lost) or, if fragments of it were already passed, in the middle of the message (the
 *       rest is skipped: that one message is lost). A consumer killed after passing the last record had the
 *       whole message in its memory: that one message is lost. Never more than one, never a torn message.</li>
 * </ul>
 *
 * <p><b>Counts.</b> {@code puts} (in pState) counts messages whose last record is committed or being committed;
 * {@code takes} (in cState) messages taken or skipped; size is their difference. A joinable queue counts
 * {@code taskDone} calls in a separate word updated with compare-and-set.
 *
 * <p><b>Threads.</b> A process-local lock per side orders this process's threads before the shared lock.
 */
public final class QueueCore implements AutoCloseable {
    /** Default ring capacity. */
    public static final int DEFAULT_CAPACITY = 4 << 20;
    /** What {@link #take} returns on timeout. */
    public static final Object NOTHING = new Object();
    /** How long {@link #offerNow} and {@link #takeNow} wait for a lock held by another process. */
    public static final long LOCK_PATIENCE_NANOS = 2_000_000L;

    private final ChannelSegment segment;
    private final AtomicBuffer buffer;
    private final QueueRing ring;
    private final int kind;
    private final int maxSize;
    private final ChannelOptions options;
    private final IdlePolicy idlePolicy;
    private final QueueProducer producer;
    private final QueueConsumer consumer;
    private volatile boolean closed;

    private QueueCore(ChannelSegment segment, ChannelOptions options) {
        this.segment = segment;
        this.buffer = segment.buffer();
        if (buffer.getLongVolatile(QueueDescriptor.MAGIC_OFFSET) != QueueDescriptor.MAGIC) {
            throw new IllegalStateException(segment + " is not a queue (bad magic)");
        }
        if (buffer.getInt(QueueDescriptor.VERSION_OFFSET) != QueueDescriptor.VERSION) {
            throw new IllegalStateException(segment + " has queue layout version "
                    + buffer.getInt(QueueDescriptor.VERSION_OFFSET) + ", this code reads " + QueueDescriptor.VERSION);
        }
        int capacity = buffer.getInt(QueueDescriptor.CAPACITY_OFFSET);
        this.ring = new QueueRing(new UnsafeBuffer(buffer, QueueDescriptor.RING_OFFSET, capacity + TRAILER_LENGTH));
        this.kind = buffer.getInt(QueueDescriptor.KIND_OFFSET);
        this.maxSize = buffer.getInt(QueueDescriptor.MAX_SIZE_OFFSET);
        this.options = options;
        this.idlePolicy = options.idle();
        AgronaWire codec = AgronaWire.of(options.codec());
        this.producer = new QueueProducer(this, buffer, ring, codec, idlePolicy.newIdleStrategy());
        this.consumer = new QueueConsumer(this, producer, buffer, ring, codec, idlePolicy.newIdleStrategy());
    }

    /**
     * Creates a queue.
     *
     * @param kind     one of {@code QueueDescriptor.KIND_*}.
     * @param capacity ring capacity, a power of two.
     * @param maxSize  the most messages it holds, 0 for no limit but the ring's.
     * @param options  the idle policy and codec.
     * @return the queue, used once by this process.
     */
    public static QueueCore create(int kind, int capacity, int maxSize, ChannelOptions options) {
        ChannelSegment segment = ChannelSegment.create(SegmentDescriptor.KIND_QUEUE, QueueDescriptor.VERSION,
                QueueDescriptor.segmentLength(capacity));
        AtomicBuffer b = segment.buffer();
        b.putInt(QueueDescriptor.VERSION_OFFSET, QueueDescriptor.VERSION);
        b.putInt(QueueDescriptor.KIND_OFFSET, kind);
        b.putInt(QueueDescriptor.CAPACITY_OFFSET, capacity);
        b.putInt(QueueDescriptor.MAX_SIZE_OFFSET, maxSize);
        b.putLong(QueueDescriptor.CREATOR_OFFSET, ProcessIdentity.SELF_TOKEN);
        b.putLong(P_FRAG_TAIL, -1);
        b.putLongRelease(QueueDescriptor.MAGIC_OFFSET, QueueDescriptor.MAGIC);
        return new QueueCore(segment, options);
    }

    /**
     * Attaches to a queue in a process that received its handle.
     *
     * @param name   the segment name.
     * @param sender the token of the process that wrote the handle (see {@link #sending()}).
     * @param options the idle policy and codec.
     * @return the queue.
     * @throws IOException if the queue no longer exists.
     */
    public static QueueCore attach(String name, long sender, ChannelOptions options) throws IOException {
        ChannelSegment segment;
        try {
            segment = ChannelSegment.attach(name, SegmentDescriptor.KIND_QUEUE, QueueDescriptor.VERSION, "a queue",
                    sender);
        } catch (IOException e) {
            throw new IOException("cannot attach queue " + name + ": " + e.getMessage()
                    + " (every process that used it closed it?)", e);
        }
        try {
            return new QueueCore(segment, options);
        } catch (RuntimeException e) {
            segment.release();
            throw e;
        }
    }

    /**
     * Returns the segment name.
     *
     * @return the name.
     */
    public String name() {
        return segment.name();
    }

    /**
     * Returns the queue kind.
     *
     * @return one of {@code QueueDescriptor.KIND_*}.
     */
    public int kind() {
        return kind;
    }

    /**
     * Returns the most messages the queue holds.
     *
     * @return the bound, 0 for none.
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * Returns the ring capacity.
     *
     * @return bytes.
     */
    public int capacity() {
        return ring.capacity();
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
     * Returns the options (idle policy and codec), which travel with the queue.
     *
     * @return the options.
     */
    public ChannelOptions options() {
        return options;
    }

    /**
     * Records that a handle is being written for another process: the queue stays until a process attaches it,
     * {@link #handedOver} names its recipient, or this process dies.
     *
     * @return this process's token, for the handle.
     * @throws IllegalStateException if this queue is closed.
     */
    public long sending() {
        checkOpen();
        return segment.sending();
    }

    /**
     * Names the process the handle written last was handed to: the queue stays for it until it attaches the
     * queue or dies; {@code null} (the handle will never arrive) keeps nothing.
     *
     * @param recipient the process, or {@code null}.
     */
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ------------------------------------------------------------------------------------------- counts

    /** The number of messages put (whose last record is committed or being committed). */
    long puts() {
        return QueueDescriptor.count(buffer.getLongVolatile(QueueDescriptor.P_STATE));
    }

    /** The number of messages taken or skipped. */
    long takes() {
        return QueueDescriptor.count(buffer.getLongVolatile(QueueDescriptor.C_STATE));
    }

    /**
     * Returns the number of messages in the queue (put and not yet taken).
     *
     * @return the size, at least 0.
     */
    public int size() {
        checkOpen();
        long takes = takes();
        long size = puts() - takes;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, size));
    }

    // ------------------------------------------------------------------------------------------- producing

    /**
     * Puts a value, waiting for room.
     *
     * @param value         the value.
     * @param deadlineNanos when to give up, {@link Long#MAX_VALUE} for never.
     * @return {@code false} if the deadline passed before the message began; nothing was put.
     * @throws InterruptedException   if interrupted before the message began; nothing was put.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws IllegalStateException  if this queue is closed.
     */
    public boolean put(Object value, long deadlineNanos) throws InterruptedException {
        return producer.put(value, deadlineNanos, deadlineNanos);
    }

    /**
     * Puts a value, waiting for the producer lock until {@code lockDeadlineNanos} and for room until
     * {@code deadlineNanos} ({@code offer} waits a little for the lock, which is held only briefly, and not
     * at all for room).
     *
     * @param value             the value.
     * @param lockDeadlineNanos when to give up waiting for the producer lock.
     * @param deadlineNanos     when to give up waiting for room.
     * @return {@code false} if a deadline passed before the message began; nothing was put.
     * @throws InterruptedException   if interrupted before the message began; nothing was put.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws IllegalStateException  if this queue is closed.
     */
    public boolean put(Object value, long lockDeadlineNanos, long deadlineNanos) throws InterruptedException {
        return producer.put(value, lockDeadlineNanos, deadlineNanos);
    }

    /**
     * Puts a value if there is room now, waiting at most {@link #LOCK_PATIENCE_NANOS} for another process to
     * finish its own put ({@code offer(e)}). An interrupt makes it give up, the interrupt status kept.
     *
     * @param value the value.
     * @return {@code false} if the queue or its ring is full; nothing was put.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws IllegalStateException  if this queue is closed.
     */
    public boolean offerNow(Object value) {
        long now = System.nanoTime();
        try {
            return producer.put(value, now + LOCK_PATIENCE_NANOS, now);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------- consuming

    /**
     * Takes a value, waiting for one.
     *
     * @param deadlineNanos when to give up, {@link Long#MAX_VALUE} for never.
     * @return the value, or {@link #NOTHING} at the deadline.
     * @throws InterruptedException   if interrupted while waiting (nothing taken).
     * @throws SerializationException if the message cannot be decoded (it is consumed).
     * @throws IllegalStateException  if this queue is closed.
     */
    public Object take(long deadlineNanos) throws InterruptedException {
        return consumer.take(deadlineNanos, deadlineNanos);
    }

    /**
     * Takes a value, waiting for the consumer lock until {@code lockDeadlineNanos} and for a message until
     * {@code deadlineNanos}.
     *
     * @param lockDeadlineNanos when to give up waiting for the consumer lock.
     * @param deadlineNanos     when to give up waiting for a message.
     * @return the value, or {@link #NOTHING} at a deadline.
     * @throws InterruptedException   if interrupted while waiting (nothing taken).
     * @throws SerializationException if the message cannot be decoded (it is consumed).
     * @throws IllegalStateException  if this queue is closed.
     */
    public Object take(long lockDeadlineNanos, long deadlineNanos) throws InterruptedException {
        return consumer.take(lockDeadlineNanos, deadlineNanos);
    }

    /**
     * Takes a value if there is one now, waiting at most {@link #LOCK_PATIENCE_NANOS} for another process to
     * finish its own take ({@code poll()}). An interrupt makes it give up, the interrupt status kept.
     *
     * @return the value, or {@link #NOTHING}.
     * @throws SerializationException if the message cannot be decoded (it is consumed).
     * @throws IllegalStateException  if this queue is closed.
     */
    public Object takeNow() {
        long now = System.nanoTime();
        try {
            return consumer.take(now + LOCK_PATIENCE_NANOS, now);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return NOTHING;
        }
    }

    /**
     * Returns, without taking them, up to {@code limit} values from the head of the queue: those whose records
     * are all in the ring (a message larger than the ring, still being written, ends the list).
     *
     * @param limit the most values to return.
     * @return the values, head first.
     * @throws InterruptedException  if interrupted while waiting for the consumer lock.
     * @throws IllegalStateException if this queue is closed.
     */
    public List<Object> peek(int limit) throws InterruptedException {
        return consumer.peek(limit);
    }

    // ------------------------------------------------------------------------------------------- joinable

    /**
     * Records that a task taken from a joinable queue is done.
     *
     * @throws IllegalStateException if called more times than values were put.
     */
    public void taskDone() {
        checkOpen();
        while (true) {
            long done = buffer.getLongVolatile(QueueDescriptor.DONE);
            long puts = puts();
            if (done >= puts) {
                throw new IllegalStateException("taskDone() called more times than values were put on " + this
                        + " (" + puts + " put, " + done + " already done)");
            }
            if (buffer.compareAndSetLong(QueueDescriptor.DONE, done, done + 1)) {
                return;
            }
        }
    }

    /**
     * Returns the number of values put whose {@link #taskDone()} has not been called.
     *
     * @return the count.
     * @throws IllegalStateException if this queue is closed.
     */
    public long unfinished() {
        checkOpen();
        long done = buffer.getLongVolatile(QueueDescriptor.DONE);
        return Math.max(0, puts() - done);
    }

    /**
     * Waits until every value put has been marked done.
     *
     * @param deadlineNanos when to give up.
     * @return {@code false} at the deadline.
     * @throws InterruptedException  if interrupted.
     * @throws IllegalStateException if this queue is closed, also by another thread while this one waits.
     */
    public boolean join(long deadlineNanos) throws InterruptedException {
        IdleStrategy idle = idlePolicy.newIdleStrategy();
        while (unfinished() > 0) { // checks that this queue is open before reading the counts
            if (!pause(idle, deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits one idle period, unless the deadline has passed.
     *
     * @param idle          how to wait.
     * @param deadlineNanos a {@link Deadlines} deadline.
     * @return {@code false} if the deadline has passed (nothing waited).
     * @throws InterruptedException if the thread is interrupted (checked before waiting).
     */
    static boolean pause(IdleStrategy idle, long deadlineNanos) throws InterruptedException {
        return pause(idle, deadlineNanos, deadlineNanos == Deadlines.NEVER ? 0 : System.nanoTime());
    }

    /**
     * Waits one idle period, unless the deadline had passed at {@code now}.
     *
     * @param idle          how to wait.
     * @param deadlineNanos a {@link Deadlines} deadline.
     * @param now           the caller's latest {@link System#nanoTime()}.
     * @return {@code false} if the deadline had passed (nothing waited).
     * @throws InterruptedException if the thread is interrupted (checked before waiting).
     */
    static boolean pause(IdleStrategy idle, long deadlineNanos, long now) throws InterruptedException {
        if (deadlineNanos != Deadlines.NEVER && now - deadlineNanos >= 0) {
            return false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        idle.idle();
        return true;
    }

    // ------------------------------------------------------------------------------------------- close

    /**
     * Closes this queue in this process; the last user unlinks the segment. Threads blocked in it fail with
     * {@link IllegalStateException} within one idle period: close marks the queue closed, then waits for this
     * process's putting and taking threads to leave (a put of a fragmented message aborts it), then releases
     * the segment. Calls that wait for nothing ({@code size}, {@code taskDone}, {@code join}'s checks) are not
     * waited for: they check the flag first and the segment's memory stays mapped until this object is
     * unreachable, so a call racing with the close never touches unmapped memory. Harmless if repeated.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        producer.lockOut();
        consumer.lockOut();
        try {
            segment.release();
        } finally {
            consumer.unlockOut();
            producer.unlockOut();
        }
    }

    /**
     * Tells whether this object was closed.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------- testing

    /**
     * The ring (for tests that stage crashes).
     *
     * @return the ring.
     */
    QueueRing ring() {
        return ring;
    }

    /**
     * The segment buffer (for tests that stage crashes).
     *
     * @return the buffer.
     */
    AtomicBuffer buffer() {
        return buffer;
    }

    @Override
    public String toString() {
        String k = kind == QueueDescriptor.KIND_SIMPLE ? "simple queue" : kind == QueueDescriptor.KIND_JOINABLE
                ? "joinable queue" : "queue";
        return k + " " + segment.name();
    }
}
