package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_END_HEAD;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_FINISHING;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_IDLE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_MSG_HEAD;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_STATE;
import static org.multiproc4j.ipc.internal.QueueDescriptor.C_TAKING;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.core.internal.Wire;
import org.multiproc4j.sharedmem.internal.LockWord;

/**
 * The consumer side of a {@link QueueCore}: the consumer lock, the consumer's progress markers (cState, cMsgHead,
 * cEndHead in {@link QueueDescriptor}), reading a message from the ring (whole, or fragment by fragment while
 * its producer writes the rest), moving the head past it, and the recovery of a consumer that died mid-take
 * ({@link #repair()}), which the next consumer runs when it takes the lock over. While it waits for a message,
 * or for the rest of one, a consumer also repairs a dead producer ({@link QueueProducer#repairIfDead()}) every
 * {@value LockWord#LIVENESS_CHECK_NANOS} ns.
 *
 * <p>Threads of this process take turns through a local lock before the shared one; the markers and the ring's
 * head are written only by the holder of the consumer lock.
 */
final class QueueConsumer {
    private final QueueCore core;
    private final QueueProducer producer;
    private final AtomicBuffer buffer;
    private final QueueRing ring;
    private final AtomicBuffer ringBuffer;
    /** The address of the consumer lock word. */
    private final long lock;
    private final BooleanSupplier closed;
    private final AgronaWire codec;
    private final Sink sink;
    private final IdleStrategy idle;
    /** Orders this process's taking threads before the shared lock. */
    private final ReentrantLock threads = new ReentrantLock();

    QueueConsumer(QueueCore core, QueueProducer producer, AtomicBuffer buffer, QueueRing ring, AgronaWire codec,
                  IdleStrategy idle) {
        this.core = core;
        this.producer = producer;
        this.buffer = buffer;
        this.ring = ring;
        this.ringBuffer = ring.buffer();
        this.lock = buffer.addressOffset() + QueueDescriptor.CONSUMER_LOCK; // the buffer maps the segment
        this.closed = core::isClosed;
        this.codec = codec;
        this.sink = new Sink(codec);
        this.idle = idle;
    }

    /**
     * Takes a value, waiting for the consumer lock until {@code lockDeadlineNanos} and for a message until
     * {@code deadlineNanos}.
     *
     * @param lockDeadlineNanos when to give up waiting for the consumer lock.
     * @param deadlineNanos     when to give up waiting for a message.
     * @return the value, or {@link QueueCore#NOTHING} at a deadline.
     * @throws InterruptedException   if interrupted while waiting (nothing taken).
     * @throws SerializationException if the message cannot be decoded (it is consumed).
     * @throws IllegalStateException  if this queue is closed.
     */
    Object take(long lockDeadlineNanos, long deadlineNanos) throws InterruptedException {
        threads.lockInterruptibly();
        try {
            core.checkOpen();
            long nextCheck = System.nanoTime() + LockWord.LIVENESS_CHECK_NANOS;
            while (true) {
                if (ring.hasRecord()) {
                    Object v = takeLocked(Math.max(lockDeadlineNanos, deadlineNanos));
                    if (v != QueueCore.NOTHING) {
                        idle.reset();
                        return v;
                    }
                    if (ring.hasRecord()) {
                        continue; // padding, an orphan or an abort was passed: look again at once
                    }
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LockWord.LIVENESS_CHECK_NANOS;
                    producer.repairIfDead();
                }
                if (!awaitConsumer(deadlineNanos, now)) {
                    return QueueCore.NOTHING;
                }
            }
        } finally {
            idle.reset();
            sink.clear();
            threads.unlock();
        }
    }

    private boolean awaitConsumer(long deadlineNanos, long now) throws InterruptedException {
        if (core.isClosed()) {
            throw new IllegalStateException(core + " was closed while taking");
        }
        return QueueCore.pause(idle, deadlineNanos, now);
    }

    private Object takeLocked(long deadlineNanos) throws InterruptedException {
        LockWord.Acquired got = LockWord.lock(lock, idle, deadlineNanos, closed, true);
        if (got == LockWord.Acquired.TIMED_OUT) {
            return QueueCore.NOTHING;
        }
        if (got == LockWord.Acquired.ABANDONED) {
            throw new IllegalStateException(core + " was closed while taking");
        }
        byte[] encodedCopy = null;
        Object result;
        boolean died = false;
        try {
            if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                repair();
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
                if (QueueDescriptor.stage(buffer.getLongVolatile(C_STATE)) != C_IDLE) {
                    repair();
                }
                LockWord.unlock(lock);
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
            return QueueCore.NOTHING;
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
                if (type == Frames.WHOLE_OBJECT && n > 0 && ringBuffer.getByte(p) == Wire.CODEC) {
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
                return QueueCore.NOTHING;
            default: // padding, orphan MIDDLE, stray ABORT
                ring.advance(head + aligned);
                return QueueCore.NOTHING;
        }
    }

    /** Completes a take: counts it and moves the head past the message, in a repairable order. */
    private void finish(long newHead) {
        long takes = core.takes() + 1;
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
        long takes = core.takes();
        int index = ring.index(start);
        int length = ring.recordLength(start);
        long total = ringBuffer.getLong(index + HEADER_LENGTH);
        sink.forObject();
        if (!sink.begin(Frames.isBytes(beginType), total)) {
            // cannot be held in memory: drop it whole rather than block the queue
            throw new IllegalStateException("a message of " + total + " bytes in " + core
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
        long nextCheck = System.nanoTime() + LockWord.LIVENESS_CHECK_NANOS;
        while (true) {
            int len = ring.recordLength(head);
            if (len <= 0) {
                // the producer is writing the next fragment; a message once begun is read to its end
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LockWord.LIVENESS_CHECK_NANOS;
                    producer.repairIfDead();
                }
                if (core.isClosed()) {
                    throw new IllegalStateException(core + " was closed while taking");
                }
                idle.idle();
                continue;
            }
            idle.reset();
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
                            throw new IllegalStateException("a fragmented message in " + core + " announced "
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
                    return QueueCore.NOTHING;
                case Frames.PADDING:
                    head += aligned;
                    ring.advance(head);
                    break;
                default:
                    // a new message where a fragment was due: the producer was repaired without an ABORT
                    sink.discard();
                    buffer.putLongRelease(C_STATE, (takes << 2) | C_IDLE);
                    return QueueCore.NOTHING;
            }
        }
    }

    /**
     * Finishes what the previous holder of the consumer lock left undone. The caller holds the consumer lock.
     */
    private void repair() {
        long state = buffer.getLongVolatile(C_STATE);
        int stage = QueueDescriptor.stage(state);
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
    List<Object> peek(int limit) throws InterruptedException {
        List<Object> raw = new ArrayList<>();
        threads.lockInterruptibly();
        try {
            core.checkOpen();
            LockWord.Acquired got = LockWord.lock(lock, idle, Deadlines.NEVER, closed, true);
            if (got == LockWord.Acquired.ABANDONED) {
                throw new IllegalStateException(core + " was closed while peeking");
            }
            try {
                if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                    repair();
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
                LockWord.unlock(lock);
            }
        } finally {
            threads.unlock();
        }
        List<Object> values = new ArrayList<>(raw.size());
        for (Object r : raw) {
            values.add(r instanceof Encoded
                    ? codec.decode(new UnsafeBuffer(((Encoded) r).bytes), 0, ((Encoded) r).bytes.length)
                    : r);
        }
        return values;
    }

    /** Waits for this process's taking threads to leave (for close). */
    void lockOut() {
        threads.lock();
    }

    /** Lets them in again. */
    void unlockOut() {
        threads.unlock();
    }
}
