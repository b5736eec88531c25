package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_END_HEAD;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_FINISHING;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_IDLE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_MSG_HEAD;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_STATE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_TAKING;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_ABORTING;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_COMMITTING;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_FRAG_META;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_FRAG_TAIL;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_IDLE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_MSG_TAIL;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_STATE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.P_WRITING;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.core.SerializationException;
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
 * {@link QueueRing}. Holding the producer lock for a whole message lets a message larger than a ring record be
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

    private static final int ZERO_COPY_BYTES = 16 * 1024;
    private static final int KEEP_ENCODE_BUFFER = 1 << 20;
    private static final long LIVENESS_NANOS = LockWord.LIVENESS_CHECK_NANOS;

    private final ChannelSegment segment;
    private final AtomicBuffer buffer;
    private final QueueRing ring;
    private final AtomicBuffer ringBuffer;
    /** The address of the producer lock word. */
    private final long producerLock;
    /** The address of the consumer lock word. */
    private final long consumerLock;
    private final int kind;
    private final int maxSize;
    private final ChannelOptions options;
    private final IdlePolicy idlePolicy;
    private final ValueCodec codec;
    private final IdleStrategy putIdle;
    private final IdleStrategy takeIdle;
    private final ReentrantLock putLock = new ReentrantLock();
    private final ReentrantLock takeLock = new ReentrantLock();
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[1]);
    private final Sink sink;
    private ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(256);
    private volatile boolean closed;
    private final BooleanSupplier closedCheck = () -> closed;

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
        this.ringBuffer = new UnsafeBuffer(buffer, QueueDescriptor.RING_OFFSET, capacity + TRAILER_LENGTH);
        this.ring = new QueueRing(ringBuffer);
        this.producerLock = buffer.addressOffset() + QueueDescriptor.PRODUCER_LOCK; // the buffer maps the segment
        this.consumerLock = buffer.addressOffset() + QueueDescriptor.CONSUMER_LOCK;
        this.kind = buffer.getInt(QueueDescriptor.KIND_OFFSET);
        this.maxSize = buffer.getInt(QueueDescriptor.MAX_SIZE_OFFSET);
        this.options = options;
        this.idlePolicy = options.idle();
        this.codec = ValueCodec.of(options.codec());
        this.sink = new Sink(codec);
        this.putIdle = idlePolicy.newIdleStrategy();
        this.takeIdle = idlePolicy.newIdleStrategy();
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ------------------------------------------------------------------------------------------- counts

    private long puts() {
        return buffer.getLongVolatile(P_STATE) >>> 2;
    }

    private long takes() {
        return buffer.getLongVolatile(C_STATE) >>> 2;
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
        return put(value, deadlineNanos, deadlineNanos);
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
        putLock.lockInterruptibly();
        try {
            checkOpen();
            Payload payload;
            if (value instanceof byte[] && ((byte[]) value).length >= ZERO_COPY_BYTES) {
                byte[] a = (byte[]) value;
                prefix.putByte(0, (byte) 'b');
                payload = Payload.of(prefix, 1, a, 0, a.length);
            } else {
                int n = codec.encode(value, encoded);
                payload = Payload.of(encoded, 0, n);
            }
            try {
                return putPayload(payload, Frames.WHOLE_OBJECT, lockDeadlineNanos, deadlineNanos);
            } finally {
                if (encoded.capacity() > KEEP_ENCODE_BUFFER) {
                    encoded = new ExpandableArrayBuffer(256);
                }
            }
        } finally {
            putLock.unlock();
        }
    }

    private boolean putPayload(Payload payload, int wholeType, long lockDeadlineNanos, long deadlineNanos)
            throws InterruptedException {
        LockWord.Acquired got = LockWord.lock(producerLock, putIdle, lockDeadlineNanos, closedCheck, true);
        if (got == LockWord.Acquired.TIMED_OUT) {
            return false;
        }
        if (got == LockWord.Acquired.ABANDONED) {
            throw new IllegalStateException(this + " was closed while putting");
        }
        boolean died = false;
        try {
            if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                repairProducer();
            }
            if (maxSize > 0) {
                while (puts() - takes() >= maxSize) {
                    if (!awaitProducer(deadlineNanos)) {
                        return false;
                    }
                }
                putIdle.reset();
            }
            return writeMessage(payload, wholeType, deadlineNanos);
        } catch (IOException e) {
            throw new IllegalStateException(e); // payloads of values never fail
        } catch (CrashPoints.SimulatedDeath d) {
            died = true;
            buffer.putLongVolatile(QueueDescriptor.PRODUCER_LOCK, CrashPoints.DEAD);
            throw d;
        } finally {
            if (!died) {
                if (stage(buffer.getLongVolatile(P_STATE)) != P_IDLE) {
                    repairProducer(); // an Error or exception mid-message: finish it as a repairer would
                }
                LockWord.unlock(producerLock);
            }
        }
    }

    /** Waits once while holding the producer lock; false at the deadline. */
    private boolean awaitProducer(long deadlineNanos) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException(this + " was closed while putting");
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
            return false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        putIdle.idle();
        return true;
    }

    private static int stage(long state) {
        return (int) (state & 3);
    }

    private boolean writeMessage(Payload payload, int wholeType, long deadlineNanos)
            throws IOException, InterruptedException {
        long total = payload.length();
        int max = ring.maxPayload();
        long puts = puts();
        if (total <= max) {
            int length = (int) total;
            while (!ring.hasRoom(length, 0)) {
                if (!awaitProducer(deadlineNanos)) {
                    return false;
                }
            }
            putIdle.reset();
            buffer.putLongRelease(P_MSG_TAIL, ring.tail());
            CrashPoints.hit(CrashPoints.P_MSG_TAIL);
            buffer.putLongRelease(P_FRAG_TAIL, -1);
            CrashPoints.hit(CrashPoints.P_MSG_FRAG_CLEARED);
            buffer.putLongRelease(P_STATE, ((puts + 1) << 2) | P_COMMITTING);
            CrashPoints.hit(CrashPoints.P_STAGE);
            writeFragment(wholeType, payload, -1, length);
            buffer.putLongRelease(P_STATE, (puts + 1) << 2 | P_IDLE);
            CrashPoints.hit(CrashPoints.P_DONE);
            return true;
        }
        // fragmented: BEGIN (total length + data), MIDDLE..., END
        boolean begun = false;
        long sent = 0;
        int beginType = wholeType == Frames.WHOLE_BYTES ? Frames.BEGIN_BYTES : Frames.BEGIN_OBJECT;
        while (sent < total) {
            int head = sent == 0 ? Frames.BEGIN_HEADER : 0;
            int chunk = (int) Math.min(max - head, total - sent);
            boolean last = sent + chunk == total;
            int type = sent == 0 ? beginType : last ? Frames.END : Frames.MIDDLE;
            int length = head + chunk;
            while (!ring.hasRoom(length, Frames.ABORT_RESERVE)) { // even the last: a repairer may need an ABORT
                if (!begun) {
                    if (!awaitProducer(deadlineNanos)) {
                        return false;
                    }
                } else {
                    // a message once begun is finished; a close or interrupt meanwhile aborts it
                    if (closed || Thread.currentThread().isInterrupted()) {
                        abortMessage(puts);
                        if (closed) {
                            throw new IllegalStateException(this + " was closed while putting");
                        }
                        Thread.interrupted();
                        throw new InterruptedException();
                    }
                    putIdle.idle();
                }
            }
            putIdle.reset();
            if (!begun) {
                buffer.putLongRelease(P_MSG_TAIL, ring.tail());
                CrashPoints.hit(CrashPoints.P_MSG_TAIL);
                buffer.putLongRelease(P_FRAG_TAIL, -1);
                CrashPoints.hit(CrashPoints.P_MSG_FRAG_CLEARED);
                buffer.putLongRelease(P_STATE, (puts << 2) | P_WRITING);
                CrashPoints.hit(CrashPoints.P_STAGE);
                begun = true;
            } else if (last) {
                buffer.putLongRelease(P_FRAG_TAIL, -1);
                CrashPoints.hit(CrashPoints.P_MSG_FRAG_CLEARED);
                buffer.putLongRelease(P_STATE, ((puts + 1) << 2) | P_COMMITTING);
                CrashPoints.hit(CrashPoints.P_STAGE);
            }
            writeFragment(type, payload, head == 0 ? -1 : total, chunk);
            sent += chunk;
        }
        buffer.putLongRelease(P_STATE, ((puts + 1) << 2) | P_IDLE);
        CrashPoints.hit(CrashPoints.P_DONE);
        return true;
    }

    /** Records the fragment in the markers, claims, copies and commits it. */
    private void writeFragment(int type, Payload payload, long beginTotal, int chunk) throws IOException {
        int length = beginTotal >= 0 ? chunk + Frames.BEGIN_HEADER : chunk;
        buffer.putLongRelease(P_FRAG_TAIL, -1);
        CrashPoints.hit(CrashPoints.P_FRAG_CLEARED);
        buffer.putLongRelease(P_FRAG_META, ((long) length << 32) | (type & 0xFFFF_FFFFL));
        CrashPoints.hit(CrashPoints.P_FRAG_META);
        buffer.putLongRelease(P_FRAG_TAIL, ring.tail());
        CrashPoints.hit(CrashPoints.P_FRAG_TAIL);
        int index = ring.claim(length);
        int at = index;
        if (beginTotal >= 0) {
            ringBuffer.putLong(at, beginTotal);
            CrashPoints.hit(CrashPoints.P_BEGIN_TOTAL);
            at += Frames.BEGIN_HEADER;
        }
        payload.next(ringBuffer, at, chunk);
        CrashPoints.hit(CrashPoints.P_COPIED);
        ring.commit(index, type, length);
    }

    private void abortMessage(long puts) {
        buffer.putLongRelease(P_FRAG_TAIL, -1);
        buffer.putLongRelease(P_STATE, (puts << 2) | P_ABORTING);
        try {
            writeFragment(Frames.ABORT, Payload.of(prefix, 0, new byte[0], 0, 0), -1, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        buffer.putLongRelease(P_STATE, (puts << 2) | P_IDLE);
    }

    /**
     * Finishes what the previous holder of the producer lock left undone (it died, or its thread failed). The
     * caller holds the producer lock. Idempotent: a repairer that dies is repaired in turn.
     */
    private void repairProducer() {
        long state = buffer.getLongVolatile(P_STATE);
        int stage = stage(state);
        if (stage == P_IDLE) {
            return;
        }
        long puts = state >>> 2;
        long msgTail = buffer.getLongVolatile(P_MSG_TAIL);
        long fragTail = buffer.getLongVolatile(P_FRAG_TAIL);
        long meta = buffer.getLongVolatile(P_FRAG_META);
        int status = QueueRing.NOT_CLAIMED;
        if (fragTail != -1) {
            status = ring.repair(fragTail, (int) (meta >>> 32), (int) meta);
        }
        int type = (int) meta;
        boolean committedBefore = fragTail == -1 ? ring.tail() != msgTail : fragTail != msgTail;
        switch (stage) {
            case P_COMMITTING:
                if (fragTail != -1 && status == QueueRing.COMMITTED && (type == Frames.END || Frames.isWhole(type))) {
                    buffer.putLongRelease(P_STATE, (puts << 2) | P_IDLE); // it was complete: it counts
                    return;
                }
                puts -= 1;
                if (committedBefore) {
                    forceAbort(puts);
                }
                break;
            case P_WRITING:
                if (committedBefore || status == QueueRing.COMMITTED) {
                    forceAbort(puts);
                }
                break;
            default: // P_ABORTING
                if (status != QueueRing.COMMITTED) {
                    forceAbort(puts);
                }
        }
        buffer.putLongRelease(P_STATE, (puts << 2) | P_IDLE);
    }

    private void forceAbort(long puts) {
        // room for it was reserved after every fragment of a fragmented message
        if (!ring.hasRoom(0, 0)) {
            throw new IllegalStateException("no room for an ABORT record in " + this + ": ring state is inconsistent");
        }
        abortMessage(puts);
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
        return take(deadlineNanos, deadlineNanos);
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
        takeLock.lockInterruptibly();
        try {
            checkOpen();
            long nextCheck = System.nanoTime() + LIVENESS_NANOS;
            while (true) {
                if (ring.hasRecord()) {
                    Object v = takeLocked(Math.max(lockDeadlineNanos, deadlineNanos));
                    if (v != NOTHING) {
                        takeIdle.reset();
                        return v;
                    }
                    if (ring.hasRecord()) {
                        continue; // padding, an orphan or an abort was passed: look again at once
                    }
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LIVENESS_NANOS;
                    repairDeadProducer();
                }
                if (!awaitConsumer(deadlineNanos, now)) {
                    return NOTHING;
                }
            }
        } finally {
            takeIdle.reset();
            sink.clear();
            takeLock.unlock();
        }
    }

    private boolean awaitConsumer(long deadlineNanos, long now) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException(this + " was closed while taking");
        }
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            return false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        takeIdle.idle();
        return true;
    }

    /** If the producer lock's holder died, takes it over and repairs, so consumers are not blocked by it. */
    private void repairDeadProducer() {
        if (LockWord.owner(producerLock) != 0 && LockWord.takeOverFromDead(producerLock) != 0) {
            try {
                repairProducer();
            } finally {
                LockWord.unlock(producerLock);
            }
        }
    }

    private Object takeLocked(long deadlineNanos) throws InterruptedException {
        LockWord.Acquired got = LockWord.lock(consumerLock, takeIdle, deadlineNanos, closedCheck, true);
        if (got == LockWord.Acquired.TIMED_OUT) {
            return NOTHING;
        }
        if (got == LockWord.Acquired.ABANDONED) {
            throw new IllegalStateException(this + " was closed while taking");
        }
        byte[] encodedCopy = null;
        Object result;
        boolean died = false;
        try {
            if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                repairConsumer();
            }
            result = consumeOne();
            if (result instanceof Encoded) {
                encodedCopy = ((Encoded) result).bytes;
            }
        } catch (CrashPoints.SimulatedDeath d) {
            died = true;
            buffer.putLongVolatile(QueueDescriptor.CONSUMER_LOCK, CrashPoints.DEAD);
            throw d;
        } finally {
            if (!died) {
                if (stage(buffer.getLongVolatile(C_STATE)) != C_IDLE) {
                    repairConsumer();
                }
                LockWord.unlock(consumerLock);
            }
        }
        if (encodedCopy != null) {
            // decoded after releasing the lock: other consumers need not wait for Java serialization
            return codec.decode(new UnsafeBuffer(encodedCopy), 0, encodedCopy.length);
        }
        return result;
    }

    /** An encoded value copied out under the lock, decoded after it is released. */
    private static final class Encoded {
        final byte[] bytes;

        Encoded(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** Reads one record at the head (the caller holds the consumer lock). */
    private Object consumeOne() throws InterruptedException {
        long head = ring.head();
        int length = ring.recordLength(head);
        if (length <= 0) {
            return NOTHING;
        }
        int type = ring.recordType(head);
        int index = ring.index(head);
        int aligned = QueueRing.aligned(length);
        switch (type) {
            case Frames.WHOLE_OBJECT:
            case Frames.WHOLE_BYTES: {
                int p = index + HEADER_LENGTH;
                int n = length - HEADER_LENGTH;
                Object value;
                if (type == Frames.WHOLE_OBJECT && n > 0 && ringBuffer.getByte(p) == ValueCodec.SERIALIZED) {
                    byte[] copy = new byte[n];
                    ringBuffer.getBytes(p, copy);
                    value = new Encoded(copy);
                } else {
                    sink.forObject();
                    try {
                        sink.whole(type == Frames.WHOLE_BYTES, ringBuffer, p, n);
                        value = sink.result();
                    } catch (SerializationException e) {
                        finish(head + aligned);
                        throw e;
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                CrashPoints.hit(CrashPoints.C_READ);
                finish(head + aligned);
                return value;
            }
            case Frames.BEGIN_OBJECT:
            case Frames.BEGIN_BYTES:
                return consumeFragmented(head, type);
            case Frames.END:
                finish(head + aligned); // an orphan: the rest of a message whose start a dead consumer took
                return NOTHING;
            default: // padding, orphan MIDDLE, stray ABORT
                ring.advance(head + aligned);
                return NOTHING;
        }
    }

    /** Completes a take: counts it and moves the head past the message, in a repairable order. */
    private void finish(long newHead) {
        long takes = takes() + 1;
        buffer.putLongRelease(C_END_HEAD, newHead);
        CrashPoints.hit(CrashPoints.C_END_HEAD);
        buffer.putLongRelease(C_STATE, (takes << 2) | C_FINISHING);
        CrashPoints.hit(CrashPoints.C_FINISHING);
        ring.advance(newHead);
        CrashPoints.hit(CrashPoints.C_HEAD);
        buffer.putLongRelease(C_STATE, (takes << 2) | C_IDLE);
        CrashPoints.hit(CrashPoints.C_DONE);
    }

    private Object consumeFragmented(long start, int beginType) throws InterruptedException {
        long takes = takes();
        int index = ring.index(start);
        int length = ring.recordLength(start);
        long total = ringBuffer.getLong(index + HEADER_LENGTH);
        sink.forObject();
        if (!sink.begin(Frames.isBytes(beginType), total)) {
            // cannot be held in memory: drop it whole rather than block the queue
            throw new IllegalStateException("a message of " + total + " bytes in " + this
                    + " is larger than a Java array");
        }
        buffer.putLongRelease(C_MSG_HEAD, start);
        CrashPoints.hit(CrashPoints.C_MSG_HEAD);
        buffer.putLongRelease(C_STATE, (takes << 2) | C_TAKING);
        CrashPoints.hit(CrashPoints.C_TAKING);
        try {
            sink.accept(ringBuffer, index + HEADER_LENGTH + Frames.BEGIN_HEADER,
                    length - HEADER_LENGTH - Frames.BEGIN_HEADER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long head = start + QueueRing.aligned(length);
        ring.advance(head);
        CrashPoints.hit(CrashPoints.C_FRAGMENT);
        long nextCheck = System.nanoTime() + LIVENESS_NANOS;
        while (true) {
            int len = ring.recordLength(head);
            if (len <= 0) {
                // the producer is writing the next fragment; a message once begun is read to its end
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LIVENESS_NANOS;
                    repairDeadProducer();
                }
                if (closed) {
                    throw new IllegalStateException(this + " was closed while taking");
                }
                takeIdle.idle();
                continue;
            }
            takeIdle.reset();
            int type = ring.recordType(head);
            int at = ring.index(head);
            int aligned = QueueRing.aligned(len);
            switch (type) {
                case Frames.MIDDLE:
                case Frames.END:
                    try {
                        sink.accept(ringBuffer, at + HEADER_LENGTH, len - HEADER_LENGTH);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    if (type == Frames.END) {
                        boolean complete = sink.finish();
                        Object value = sink.result();
                        finish(head + aligned);
                        if (!complete) {
                            throw new IllegalStateException("a fragmented message in " + this + " announced "
                                    + total + " bytes but carried " + sink.received());
                        }
                        return value;
                    }
                    head += aligned;
                    ring.advance(head);
                    CrashPoints.hit(CrashPoints.C_FRAGMENT);
                    break;
                case Frames.ABORT:
                    sink.discard();
                    ring.advance(head + aligned);
                    buffer.putLongRelease(C_STATE, (takes << 2) | C_IDLE);
                    return NOTHING;
                case Frames.PADDING:
                    head += aligned;
                    ring.advance(head);
                    break;
                default:
                    // a new message where a fragment was due: the producer was repaired without an ABORT
                    sink.discard();
                    buffer.putLongRelease(C_STATE, (takes << 2) | C_IDLE);
                    return NOTHING;
            }
        }
    }

    /**
     * Finishes what the previous holder of the consumer lock left undone. The caller holds the consumer lock.
     */
    private void repairConsumer() {
        long state = buffer.getLongVolatile(C_STATE);
        int stage = stage(state);
        if (stage == C_FINISHING) {
            long end = buffer.getLongVolatile(C_END_HEAD);
            if (ring.head() - end < 0) {
                ring.advance(end);
            }
        }
        if (stage != C_IDLE) {
            // C_TAKING: the head is at the message's start (it is read again) or in its middle (the rest is
            // skipped as orphans, and the orphan END counts the message as taken)
            buffer.putLongRelease(C_STATE, (state & ~3L) | C_IDLE);
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
    public java.util.List<Object> peek(int limit) throws InterruptedException {
        java.util.List<Object> raw = new java.util.ArrayList<>();
        takeLock.lockInterruptibly();
        try {
            checkOpen();
            LockWord.Acquired got = LockWord.lock(consumerLock, takeIdle, Long.MAX_VALUE, closedCheck, true);
            if (got == LockWord.Acquired.ABANDONED) {
                throw new IllegalStateException(this + " was closed while peeking");
            }
            try {
                if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                    repairConsumer();
                }
                long pos = ring.head();
                long tail = ring.tail();
                while (raw.size() < limit && pos - tail < 0) {
                    int len = ring.recordLength(pos);
                    if (len <= 0) {
                        break;
                    }
                    int type = ring.recordType(pos);
                    int at = ring.index(pos) + HEADER_LENGTH;
                    if (Frames.isWhole(type)) {
                        byte[] copy = new byte[len - HEADER_LENGTH];
                        ringBuffer.getBytes(at, copy);
                        raw.add(type == Frames.WHOLE_BYTES ? (Object) copy : new Encoded(copy));
                        pos += QueueRing.aligned(len);
                    } else if (Frames.isBegin(type)) {
                        long total = ringBuffer.getLong(at);
                        if (total > Sink.MAX_ARRAY) {
                            break;
                        }
                        byte[] whole = new byte[(int) total];
                        int got0 = len - HEADER_LENGTH - Frames.BEGIN_HEADER;
                        ringBuffer.getBytes(at + Frames.BEGIN_HEADER, whole, 0, got0);
                        long p = pos + QueueRing.aligned(len);
                        int filled = got0;
                        boolean complete = false;
                        boolean aborted = false;
                        while (p - tail < 0) {
                            int l = ring.recordLength(p);
                            if (l <= 0) {
                                break;
                            }
                            int t = ring.recordType(p);
                            if (t == Frames.MIDDLE || t == Frames.END) {
                                ringBuffer.getBytes(ring.index(p) + HEADER_LENGTH, whole, filled, l - HEADER_LENGTH);
                                filled += l - HEADER_LENGTH;
                            } else if (t == Frames.ABORT) {
                                aborted = true;
                            }
                            p += QueueRing.aligned(l);
                            if (t == Frames.END) {
                                complete = true;
                                break;
                            }
                            if (aborted) {
                                break;
                            }
                        }
                        if (aborted) {
                            pos = p;
                            continue;
                        }
                        if (!complete) {
                            break;
                        }
                        raw.add(type == Frames.BEGIN_BYTES ? (Object) whole : new Encoded(whole));
                        pos = p;
                    } else {
                        pos += QueueRing.aligned(len); // padding, orphans of a dead consumer's take, aborts
                    }
                }
            } finally {
                LockWord.unlock(consumerLock);
            }
        } finally {
            takeLock.unlock();
        }
        java.util.List<Object> values = new java.util.ArrayList<>(raw.size());
        for (Object r : raw) {
            values.add(r instanceof Encoded
                    ? codec.decode(new UnsafeBuffer(((Encoded) r).bytes), 0, ((Encoded) r).bytes.length)
                    : r);
        }
        return values;
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
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
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
        putLock.lock();
        takeLock.lock();
        try {
            segment.release();
        } finally {
            takeLock.unlock();
            putLock.unlock();
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
