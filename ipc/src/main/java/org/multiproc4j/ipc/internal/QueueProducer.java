package org.multiproc4j.ipc.internal;

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
import org.multiproc4j.core.internal.Wire;
import org.multiproc4j.sharedmem.internal.LockWord;

/**
 * The producer side of a {@link QueueCore}: the producer lock, the producer's progress markers (pState,
 * pMsgTail, pFragTail, pFragMeta in {@link QueueDescriptor}), writing a message into the ring (whole, or as
 * fragments that a consumer may read while the rest is written), and the recovery of a producer that died
 * mid-message ({@link #repair()}), which the next producer runs when it takes the lock over and a waiting
 * consumer runs through {@link #repairIfDead()}.
 *
 * <p>Threads of this process take turns through a local lock before the shared one; the markers and the ring's
 * tail are written only by the holder of the producer lock.
 */
final class QueueProducer {
    private static final int ZERO_COPY_BYTES = 16 * 1024;
    private static final int KEEP_ENCODE_BUFFER = 1 << 20;

    private final QueueCore core;
    private final AtomicBuffer buffer;
    private final QueueRing ring;
    private final AtomicBuffer ringBuffer;
    /** The address of the producer lock word. */
    private final long lock;
    private final BooleanSupplier closed;
    private final int maxSize;
    private final AgronaWire codec;
    private final IdleStrategy idle;
    /** Orders this process's putting threads before the shared lock. */
    private final ReentrantLock threads = new ReentrantLock();
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[Wire.ARRAY_HEADER]);
    private ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(256);

    QueueProducer(QueueCore core, AtomicBuffer buffer, QueueRing ring, AgronaWire codec, IdleStrategy idle) {
        this.core = core;
        this.buffer = buffer;
        this.ring = ring;
        this.ringBuffer = ring.buffer();
        this.lock = buffer.addressOffset() + QueueDescriptor.PRODUCER_LOCK; // the buffer maps the segment
        this.closed = core::isClosed;
        this.maxSize = core.maxSize();
        this.codec = codec;
        this.idle = idle;
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
    boolean put(Object value, long lockDeadlineNanos, long deadlineNanos) throws InterruptedException {
        threads.lockInterruptibly();
        try {
            core.checkOpen();
            Payload payload;
            if (value instanceof byte[] && ((byte[]) value).length >= ZERO_COPY_BYTES) {
                byte[] a = (byte[]) value;
                Wire.writeBytesHeader(a.length, prefix.byteArray(), 0);
                payload = Payload.of(prefix, Wire.ARRAY_HEADER, a, 0, a.length);
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
            threads.unlock();
        }
    }

    private boolean putPayload(Payload payload, int wholeType, long lockDeadlineNanos, long deadlineNanos)
            throws InterruptedException {
        LockWord.Acquired got = LockWord.lock(lock, idle, lockDeadlineNanos, closed, true);
        if (got == LockWord.Acquired.TIMED_OUT) {
            return false;
        }
        if (got == LockWord.Acquired.ABANDONED) {
            throw new IllegalStateException(core + " was closed while putting");
        }
        boolean died = false;
        try {
            if (got == LockWord.Acquired.FROM_DEAD_OWNER) {
                repair();
            }
            if (maxSize > 0) {
                while (core.puts() - core.takes() >= maxSize) {
                    if (!awaitProducer(deadlineNanos)) {
                        return false;
                    }
                }
                idle.reset();
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
                if (QueueDescriptor.stage(buffer.getLongVolatile(P_STATE)) != P_IDLE) {
                    repair(); // an Error or exception mid-message: finish it as a repairer would
                }
                LockWord.unlock(lock);
            }
        }
    }

    /** Waits once while holding the producer lock; false at the deadline. */
    private boolean awaitProducer(long deadlineNanos) throws InterruptedException {
        if (core.isClosed()) {
            throw new IllegalStateException(core + " was closed while putting");
        }
        return QueueCore.pause(idle, deadlineNanos);
    }

    private boolean writeMessage(Payload payload, int wholeType, long deadlineNanos)
            throws IOException, InterruptedException {
        long total = payload.length();
        int max = ring.maxPayload();
        long puts = core.puts();
        if (total <= max) {
            int length = (int) total;
            while (!ring.hasRoom(length, 0)) {
                if (!awaitProducer(deadlineNanos)) {
                    return false;
                }
            }
            idle.reset();
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
                    if (core.isClosed() || Thread.currentThread().isInterrupted()) {
                        abortMessage(puts);
                        if (core.isClosed()) {
                            throw new IllegalStateException(core + " was closed while putting");
                        }
                        Thread.interrupted();
                        throw new InterruptedException();
                    }
                    idle.idle();
                }
            }
            idle.reset();
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
     * Repairs what a producer that died holding the producer lock left, if one did: takes the lock over, finishes
     * or undoes its message ({@link #repair()}) and releases the lock, so that consumers waiting for the rest of a
     * message, or for any message, are not blocked by the dead. Called by consumers now and then while they wait.
     */
    void repairIfDead() {
        if (LockWord.owner(lock) != 0 && LockWord.takeOverFromDead(lock) != 0) {
            try {
                repair();
            } finally {
                LockWord.unlock(lock);
            }
        }
    }

    /**
     * Finishes what the previous holder of the producer lock left undone (it died, or its thread failed). The
     * caller holds the producer lock. Idempotent: a repairer that dies is repaired in turn.
     */
    private void repair() {
        long state = buffer.getLongVolatile(P_STATE);
        int stage = QueueDescriptor.stage(state);
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
            throw new IllegalStateException("no room for an ABORT record in " + core + ": ring state is inconsistent");
        }
        abortMessage(puts);
    }

    /** Waits for this process's putting threads to leave (for close). */
    void lockOut() {
        threads.lock();
    }

    /** Lets them in again. */
    void unlockOut() {
        threads.unlock();
    }
}
