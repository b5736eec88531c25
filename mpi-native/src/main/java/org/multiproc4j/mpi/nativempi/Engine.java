package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.mpi.JobAbortedException;
import org.multiproc4j.mpi.MpiException;

/**
 * The point-to-point engine of one process: every message goes as an envelope on the communicator (a 16-byte
 * header, {@code {int kind, int seq, long bytes}}, followed by the payload when it is small) and, when larger, its
 * data on the communicator's shadow (a private duplicate) with tag {@code seq}, in chunks of at most 1 GiB.
 * Envelopes are taken from MPI with {@code MPI_Improbe}/{@code MPI_Mrecv} and matched here against the posted
 * receives in order, or kept as unexpected messages (what {@code probe} sees): so a receive knows the sender's
 * element type (a mismatch or truncation is an error naming both, as on the other backends), and a program whose
 * ranks all send before they receive does not deadlock (waiting loops take in the peers' data).
 *
 * <p>All matching runs under one lock; MPI is called with {@code MPI_THREAD_MULTIPLE}.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class Engine {
    static final int HEADER = 16;
    /** Largest payload carried in the envelope. */
    static final int INLINE = 16 << 10;
    /** Largest envelope sent with a blocking {@code MPI_Send} (below Open MPI's shared-memory eager limit). */
    static final int EAGER = 4000;
    static final long CHUNK = 1L << 30;
    static final int KIND_OBJECT = 7;
    static final int SEQ_MASK = 0x3fff_ffff;

    final Lib lib;
    final ReentrantLock lock = new ReentrantLock();
    final List<NativeComm> comms = new CopyOnWriteArrayList<>();
    private final List<Outgoing> sends = new ArrayList<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    volatile boolean aborting;

    Engine(Lib lib) {
        this.lib = lib;
    }

    /** Per-thread native words for MPI's out-parameters, and a reusable envelope buffer. */
    static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final MemorySegment status = arena.allocate(Lib.STATUS);
        final MemorySegment flag = arena.allocate(JAVA_INT);
        final MemorySegment count = arena.allocate(JAVA_INT);
        final MemorySegment handle = arena.allocate(ADDRESS);
        final MemorySegment envelope = arena.allocate(HEADER + INLINE, 8);
        MemorySegment staging = arena.allocate(64 << 10, 8);

        MemorySegment staging(long bytes) {
            if (staging.byteSize() < bytes) {
                staging = Arena.ofAuto().allocate(Math.max(bytes, staging.byteSize() * 2), 8);
            }
            return staging.asSlice(0, bytes);
        }
    }

    Scratch scratch() {
        return scratch.get();
    }

    void check(int rc, String op) {
        if (rc != 0) {
            throw new MpiException(op + ": " + lib.errorText(rc) + " (MPI error " + rc + ")");
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new MpiException("MPI call failed: " + t, t);
    }

    /** A message envelope taken from MPI, matched or waiting to be. */
    static final class Envelope {
        final NativeComm comm;
        final int source;
        final int tag;
        final int kind;
        final int seq;
        final long bytes;
        /** The payload: inline, or pulled in from the shadow communicator; {@code null} while still in MPI. */
        MemorySegment data;

        Envelope(NativeComm comm, int source, int tag, MemorySegment env) {
            this.comm = comm;
            this.source = source;
            this.tag = tag;
            this.kind = env.get(JAVA_INT, 0);
            this.seq = env.get(JAVA_INT, 4);
            this.bytes = env.get(JAVA_LONG, 8);
            this.data = seq < 0 ? env.asSlice(HEADER, bytes) : null;
        }
    }

    /** A send in progress: the envelope and data requests, and the native memory they read. */
    final class Outgoing {
        final MemorySegment requests;
        final MemorySegment keep;
        final int n;
        boolean done;

        Outgoing(Arena arena, int n, MemorySegment keep) {
            this.requests = arena.allocate(ADDRESS, n);
            this.n = n;
            this.keep = keep;
        }

        boolean test() {
            if (done) {
                return true;
            }
            Scratch x = scratch();
            boolean all = true;
            for (int i = 0; i < n; i++) {
                MemorySegment r = requests.asSlice(i * ADDRESS.byteSize(), ADDRESS.byteSize());
                try {
                    check((int) lib.test.invokeExact(r, x.flag, x.status), "send");
                } catch (Throwable t) {
                    throw rethrow(t);
                }
                all &= x.flag.get(JAVA_INT, 0) != 0;
            }
            done = all;
            return all;
        }
    }

    /**
     * Starts a send: the envelope, and the data on the shadow communicator if it does not fit in it.
     *
     * @param c       the communicator.
     * @param kind    the element type's ordinal, or {@link #KIND_OBJECT}.
     * @param data    the bytes (native, or a heap segment staged here).
     * @param dest    the destination.
     * @param tag     the tag.
     * @param waitFor whether the caller must wait until MPI is done with {@code data} (it is the caller's memory).
     * @return the send, or {@code null} if it completed already.
     */
    Outgoing send(NativeComm c, int kind, MemorySegment data, int dest, int tag, boolean waitFor) {
        long bytes = data.byteSize();
        try {
            if (bytes + HEADER <= EAGER) {
                MemorySegment env = scratch().envelope;
                env.set(JAVA_INT, 0, kind);
                env.set(JAVA_INT, 4, -1);
                env.set(JAVA_LONG, 8, bytes);
                MemorySegment.copy(data, 0, env, HEADER, bytes);
                check((int) lib.send.invokeExact(env, (int) (HEADER + bytes), lib.tByte, dest, tag, c.comm), "send");
                return null;
            }
            Arena arena = Arena.ofAuto();
            if (bytes <= INLINE) {
                MemorySegment env = arena.allocate(HEADER + bytes, 8);
                env.set(JAVA_INT, 0, kind);
                env.set(JAVA_INT, 4, -1);
                env.set(JAVA_LONG, 8, bytes);
                MemorySegment.copy(data, 0, env, HEADER, bytes);
                Outgoing o = new Outgoing(arena, 1, env);
                check((int) lib.isend.invokeExact(env, (int) (HEADER + bytes), lib.tByte, dest, tag, c.comm,
                        o.requests), "send");
                track(o);
                return null;
            }
            MemorySegment payload = data;
            if (!data.isNative()) {
                payload = arena.allocate(bytes, 8);
                MemorySegment.copy(data, 0, payload, 0, bytes);
                waitFor = false;
            }
            int chunks = (int) ((bytes + CHUNK - 1) / CHUNK);
            Outgoing o = new Outgoing(arena, 1 + chunks, payload);
            MemorySegment env = arena.allocate(HEADER, 8);
            int seq = c.nextSeq();
            env.set(JAVA_INT, 0, kind);
            env.set(JAVA_INT, 4, seq);
            env.set(JAVA_LONG, 8, bytes);
            check((int) lib.isend.invokeExact(env, HEADER, lib.tByte, dest, tag, c.comm, o.requests), "send");
            for (int i = 0; i < chunks; i++) {
                long off = i * CHUNK;
                int len = (int) Math.min(CHUNK, bytes - off);
                check((int) lib.isend.invokeExact(payload.asSlice(off, len), len, lib.tByte, dest, seq, c.shadow,
                        o.requests.asSlice((1 + i) * ADDRESS.byteSize())), "send");
            }
            track(o);
            return waitFor ? o : null;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private Outgoing track(Outgoing o) {
        lock.lock();
        try {
            sends.add(o);
        } finally {
            lock.unlock();
        }
        return o;
    }

    /** Waits for a send, taking in other messages meanwhile. */
    void await(Outgoing o) {
        Backoff b = new Backoff();
        while (true) {
            lock.lock();
            try {
                if (o.test()) {
                    return;
                }
                progress(b.patient());
            } finally {
                lock.unlock();
            }
            b.idle();
        }
    }

    /**
     * Takes in every envelope MPI holds for our communicators, matches it or keeps it, and retires finished sends.
     * Called with the lock held.
     *
     * @param pullData also take in the data of unexpected large messages (so that their senders can finish).
     */
    void progress(boolean pullData) {
        if (aborting) {
            throw new JobAbortedException(-1, "the job is ending (MPI_Abort was called in this process)");
        }
        Scratch x = scratch();
        try {
            for (NativeComm c : comms) {
                while (true) {
                    check((int) lib.improbe.invokeExact(Lib.ANY, Lib.ANY, c.comm, x.flag, x.handle, x.status),
                            "probe");
                    if (x.flag.get(JAVA_INT, 0) == 0) {
                        break;
                    }
                    check((int) lib.getCount.invokeExact(x.status, lib.tByte, x.count), "probe");
                    int n = x.count.get(JAVA_INT, 0);
                    // into this thread's envelope buffer; arrived() copies it out if it has to keep it
                    MemorySegment env = n <= x.envelope.byteSize() ? x.envelope
                            : Arena.ofAuto().allocate(Math.max(n, HEADER), 8);
                    int source = x.status.get(JAVA_INT, 0);
                    int tag = x.status.get(JAVA_INT, 4);
                    check((int) lib.mrecv.invokeExact(env, n, lib.tByte, x.handle, x.status), "recv");
                    c.arrived(new Envelope(c, source, tag, env));
                }
                if (pullData) {
                    c.pullUnexpected();
                }
            }
            if (!sends.isEmpty()) {
                Iterator<Outgoing> it = sends.iterator();
                while (it.hasNext()) {
                    if (it.next().test()) {
                        it.remove();
                    }
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Waits for every send still in progress (before {@code MPI_Finalize}).
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline.
     * @return {@code true} if none is left.
     */
    boolean drain(long deadlineNanos) {
        Backoff b = new Backoff();
        while (true) {
            lock.lock();
            try {
                progress(true);
                if (sends.isEmpty()) {
                    return true;
                }
            } finally {
                lock.unlock();
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            b.idle();
        }
    }

    /**
     * Receives the data of a large message from the shadow communicator into memory (native, or a Java array's
     * heap segment through a critical downcall: the sender's data is in flight, so the call is short).
     *
     * @param e    the envelope.
     * @param into where the bytes go, at least {@code e.bytes} long; {@code null} to discard them.
     */
    void pull(Envelope e, MemorySegment into) {
        Scratch x = scratch();
        try {
            for (long off = 0; off < e.bytes; off += CHUNK) {
                int len = (int) Math.min(CHUNK, e.bytes - off);
                if (into == null) {
                    // a receive of 0 bytes consumes the message (MPI_ERR_TRUNCATE, expected and ignored)
                    int rc = (int) lib.recv.invokeExact(MemorySegment.NULL, 0, lib.tByte, e.source, e.seq,
                            e.comm.shadow, x.status);
                    if (rc != 0 && len == 0) {
                        check(rc, "recv");
                    }
                } else if (into.isNative()) {
                    check((int) lib.recv.invokeExact(into.asSlice(off, len), len, lib.tByte, e.source, e.seq,
                            e.comm.shadow, x.status), "recv");
                } else {
                    check((int) lib.recvHeap.invokeExact(into.asSlice(off, len), len, lib.tByte, e.source, e.seq,
                            e.comm.shadow, x.status), "recv");
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Spin, then yield, then park: waits that stay cheap when ranks oversubscribe the cores. */
    static final class Backoff {
        private int n;
        private final long start = System.nanoTime();

        void idle() {
            n++;
            if (n < 200) {
                Thread.onSpinWait();
            } else if (n < 2000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(n < 20_000 ? 20_000 : 200_000);
            }
        }

        /** After a millisecond of waiting, waits also take in peers' large data (see {@link Engine#progress}). */
        boolean patient() {
            return n > 100 && System.nanoTime() - start > 1_000_000;
        }
    }
}
