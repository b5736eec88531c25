package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.mpi.JobAbortedException;
import org.multiproc4j.mpi.MpiException;

/**
 * The point-to-point engine of one process.
 *
 * <p><b>Wire.</b> A message of at most {@link #MID} bytes is one MPI message on the communicator, its MPI tag
 * {@code tag << 4 | kind} (the kind is the element type's ordinal, or {@link #KIND_OBJECT}), with no header: up to
 * {@link #EAGER} bytes a blocking {@code MPI_Send} (from native memory; a Java array of at most
 * {@link #STAGE_SMALL} bytes is copied to the thread's native scratch first, cheaper than a heap segment in a
 * critical call), above that an {@code MPI_Isend} from native memory (a Java array copied), waited for while this
 * process takes in messages, so that two ranks that send to each other before they receive both complete. A larger
 * one (or one whose tag does not fit those bits) is announced by
 * a 32-byte RTS message on the communicator (tag {@code tag << 4 | 8 | kind}, payload {@code {long bytes, int seq,
 * int flags, int tag, int owner, long at}}) and its data follows on the communicator's shadow (a private duplicate) with tag
 * {@code seq}, in pieces of at most 1 GiB. Data in native memory is sent at once ({@code MPI_Isend}); a Java array
 * of a blocking send is sent only when the receiver answers with a CTS (tag {@link #ctsTag} on the shadow), by a
 * critical {@code MPI_Send} on the array itself: the array is in MPI only while the receiver is receiving. When the
 * job is on one node, a message of up to {@link Outbox#MAX_MESSAGE} bytes above {@link #EAGER} goes through the
 * sender's {@link Outbox} instead: its RTS has flag {@link #BOXED} and names the block ({@code int owner} world rank
 * and {@code long} offset after the tag field), and no data goes through MPI.
 *
 * <p><b>Matching.</b> Each communicator keeps one wildcard receive (any source, any tag) posted into a native landing
 * buffer of {@link #MID} bytes, where MPI delivers small messages and RTSs as they arrive (MPI's fastest path:
 * faster than {@code MPI_Improbe} and {@code MPI_Mrecv}, measured). Each is matched here against the posted receives in
 * order, or kept (copied) as an unexpected message (what {@code probe} sees): so a receive knows the sender's element
 * type from the tag (a mismatch or truncation is an error naming both, as on the other backends). A program whose
 * ranks all send large messages before they receive does not deadlock: waiting loops take in unexpected large data
 * after a millisecond.
 *
 * <p>All matching runs under one lock (at {@code MPI_THREAD_SINGLE} the direct receive path takes none: one thread
 * calls); data moves outside it. MPI is called with {@code MPI_THREAD_MULTIPLE} unless {@link NativeSession#THREADS_PROP} asks for less.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class Engine {
    /**
     * Largest payload sent by a blocking {@code MPI_Send} (below Open MPI's shared-memory eager limit of 4 KiB with
     * header, so that the call returns without the receiver).
     */
    static final int EAGER = 4000;
    /**
     * Largest payload sent as one MPI message: above {@link #EAGER} by {@code MPI_Isend} from native memory, waited
     * for while this process takes in messages (so that two ranks sending to each other both complete); above it by
     * RTS and CTS.
     */
    static final int MID = 16384;
    static final long CHUNK = 1L << 30;
    static final int KIND_OBJECT = 7;
    static final int RTS_BIT = 8;
    static final int RTS_BYTES = 32;
    static final int WANT_CTS = 1;
    /** RTS flag: the data waits in the sender's {@link Outbox}, at the block the RTS names. */
    static final int BOXED = 2;
    /** Java arrays up to this many bytes go through the thread's native {@link Scratch#small} (see there). */
    static final int STAGE_SMALL = 4096;

    final Lib lib;
    /**
     * The node's outboxes, through which messages of more than {@link #EAGER} bytes (up to
     * {@link Outbox#MAX_MESSAGE}) travel when every rank of the job shares this node; {@code null} otherwise. Set by
     * the session before any message.
     */
    Outbox outbox;
    final ReentrantLock lock = new ReentrantLock();
    final List<NativeComm> comms = new CopyOnWriteArrayList<>();
    /** Sends of native data in progress (lock held). */
    private final List<Outgoing> sends = new ArrayList<>();
    /** Blocking sends of Java arrays waiting for their CTS (lock held). */
    private final List<Outgoing> awaitingCts = new ArrayList<>();
    /** Large data being received into native memory (lock held). */
    private final List<Pull> pulls = new ArrayList<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** User tags below this one travel in the MPI tag; the others in the RTS (field value {@code bigTag}). */
    int bigTag = (32767 >>> 4) - 1;
    /** The tag of CTS messages on the shadows: {@code MPI_TAG_UB}; data tags (seq) stay below it. */
    int ctsTag = 32767;
    volatile boolean aborting;
    /**
     * Whether MPI runs at {@code MPI_THREAD_SINGLE} ({@link #threadLevel}): one thread calls MPI, so the direct
     * receive path takes no lock and may wait in MPI itself ({@link #waitLanding}).
     */
    boolean single;

    Engine(Lib lib) {
        this.lib = lib;
    }

    /**
     * Sets the tag space from MPI's {@code MPI_TAG_UB} (at least 32767), before any communicator is made.
     *
     * @param tagUb the largest tag MPI allows.
     */
    void tagUb(int tagUb) {
        ctsTag = tagUb;
        bigTag = (tagUb >>> 4) - 1;
    }

    /**
     * Records the thread level MPI granted, before any communicator is made.
     *
     * @param provided the level ({@code MPI_THREAD_SINGLE} is 0).
     */
    void threadLevel(int provided) {
        single = provided == Lib.THREAD_SINGLE;
    }

    /**
     * Whether nothing of this process is in progress that only its own polling moves on: no large send or receive
     * under way, no Java array waiting for its CTS (lock held, or at {@code SINGLE}).
     *
     * @return {@code true} if a wait may block in MPI on one communicator.
     */
    boolean quiet() {
        return sends.isEmpty() && pulls.isEmpty() && awaitingCts.isEmpty();
    }

    /** Per-thread native words for MPI's out-parameters and the small control messages. */
    static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final MemorySegment status = arena.allocate(Lib.STATUS);
        final MemorySegment flag = arena.allocate(JAVA_INT);
        final MemorySegment message = arena.allocate(ADDRESS);
        final MemorySegment control = arena.allocate(RTS_BYTES, 8);
        /**
         * Native room for small Java arrays: a small message is sent from here, a small collective runs here. A
         * heap segment made for one critical downcall costs about 0.4 µs more than the copy of a few KiB (Temurin
         * 25, measured), so arrays of at most {@link #STAGE_SMALL} bytes are copied rather than passed in place.
         */
        final MemorySegment small = arena.allocate(Math.max(MID, 2 * STAGE_SMALL), 8);
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

    private static int pieces(long bytes) {
        return (int) Math.max(1, (bytes + CHUNK - 1) / CHUNK);
    }

    /** A message taken from MPI, matched or waiting to be. */
    static final class Envelope {
        final NativeComm comm;
        final int source;
        final int tag;
        final int kind;
        final long bytes;
        final boolean large;
        /** A small message's bytes: in the communicator's landing buffer while it is being matched, then a copy. */
        MemorySegment data;
        final int seq;
        final boolean wantCts;
        /** A large message's data being (or having been) received into native memory. */
        Pull pull;
        /** The world rank whose {@link Outbox} holds the data, or -1 when it comes through MPI. */
        int owner = -1;
        /** The data's block in that outbox. */
        long at;

        Envelope(NativeComm comm, int source, int tag, int kind, MemorySegment data) {
            this.comm = comm;
            this.source = source;
            this.tag = tag;
            this.kind = kind;
            this.bytes = data.byteSize();
            this.large = false;
            this.data = data;
            this.seq = -1;
            this.wantCts = false;
        }

        Envelope(NativeComm comm, int source, int tag, int kind, long bytes, int seq, boolean wantCts) {
            this.comm = comm;
            this.source = source;
            this.tag = tag;
            this.kind = kind;
            this.bytes = bytes;
            this.large = true;
            this.seq = seq;
            this.wantCts = wantCts;
        }

        boolean large() {
            return large;
        }

        boolean boxed() {
            return owner >= 0;
        }
    }

    /** A large send: the data requests when its data is native, or the CTS it waits for when it is a Java array. */
    final class Outgoing {
        final NativeComm comm;
        final int dest;
        final int seq;
        final MemorySegment data;
        final boolean heap;
        MemorySegment requests;
        boolean cts;
        boolean done;

        Outgoing(NativeComm comm, int dest, int seq, MemorySegment data, boolean heap) {
            this.comm = comm;
            this.dest = dest;
            this.seq = seq;
            this.data = data;
            this.heap = heap;
        }

        /** Tells whether MPI is done with the data (lock held). */
        boolean test() {
            if (done) {
                return true;
            }
            if (heap) {
                return false;
            }
            done = testAll(requests, "send");
            return done;
        }
    }

    /** Large data received into native memory ({@code MPI_Irecv}), complete when every piece is. */
    final class Pull {
        final MemorySegment into;
        final MemorySegment requests;
        boolean done;

        Pull(Envelope e, MemorySegment into) {
            this.into = into;
            int n = pieces(e.bytes);
            this.requests = Arena.ofAuto().allocate(ADDRESS, n);
            try {
                for (int i = 0; i < n; i++) {
                    long off = i * CHUNK;
                    int len = (int) Math.min(CHUNK, e.bytes - off);
                    check((int) Calls.IRECV.invokeExact(into.asSlice(off, len), len, lib.tByte, e.source, e.seq,
                            e.comm.shadow, requests.asSlice(i * ADDRESS.byteSize(), ADDRESS.byteSize())), "recv");
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (e.wantCts) {
                // the receive is posted first: the sender's data meets it
                sendCts(e);
            }
        }

        boolean test() {
            if (!done) {
                done = testAll(requests, "recv");
            }
            return done;
        }
    }

    private boolean testAll(MemorySegment requests, String op) {
        Scratch x = scratch();
        boolean all = true;
        long n = requests.byteSize() / ADDRESS.byteSize();
        try {
            for (long i = 0; i < n; i++) {
                MemorySegment r = requests.asSlice(i * ADDRESS.byteSize(), ADDRESS.byteSize());
                check((int) Calls.TEST.invokeExact(r, x.flag, x.status), op);
                all &= x.flag.get(JAVA_INT, 0) != 0;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return all;
    }

    // ------------------------------------------------------------------ sending

    private int wire(int tag, int kind) {
        return Math.min(tag, bigTag) << 4 | kind;
    }

    /**
     * Sends a message: small ones at once from {@code data}, large ones announced by an RTS.
     *
     * @param c        the communicator.
     * @param kind     the element type's ordinal, or {@link #KIND_OBJECT}.
     * @param data     the bytes: native memory, or a Java array's heap segment.
     * @param dest     the destination.
     * @param tag      the tag.
     * @param blocking whether the caller waits for the send ({@link #await}) before it returns; a Java array of a
     *                 non-blocking send is copied to native memory first.
     * @return the send to wait for, or {@code null} if it is complete.
     */
    Outgoing send(NativeComm c, int kind, MemorySegment data, int dest, int tag, boolean blocking) {
        long bytes = data.byteSize();
        try {
            if (bytes <= EAGER && tag < bigTag) {
                MemorySegment from = data;
                if (!data.isNative()) {
                    from = scratch().small;
                    MemorySegment.copy(data, 0, from, 0, bytes);
                }
                check((int) Calls.SEND.invokeExact(from, (int) bytes, lib.tByte, dest, wire(tag, kind), c.comm), "send");
                return null;
            }
            if (outbox != null && bytes <= Outbox.MAX_MESSAGE && sendBoxed(c, kind, data, dest, tag)) {
                return null;
            }
            if (bytes <= MID && tag < bigTag) {
                // one message, as MPI's rendezvous: from native memory (a blocking send's thread copy, which it keeps
                // until the send is complete, or a copy of its own for a non-blocking one)
                MemorySegment from = data;
                if (!data.isNative()) {
                    from = blocking ? scratch().small.asSlice(0, bytes)
                            : Arena.ofAuto().allocate(bytes, 8).asSlice(0, bytes);
                    MemorySegment.copy(data, 0, from, 0, bytes);
                }
                Outgoing o = new Outgoing(c, dest, -1, from, false);
                o.requests = Arena.ofAuto().allocate(ADDRESS);
                check((int) Calls.ISEND.invokeExact(from, (int) bytes, lib.tByte, dest, wire(tag, kind), c.comm,
                        o.requests), "send");
                register(o);
                return o;
            }
            MemorySegment payload = data;
            boolean heap = !data.isNative();
            if (heap && !blocking) {
                payload = Arena.ofAuto().allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
                payload.copyFrom(data);
                heap = false;
            }
            Outgoing o = new Outgoing(c, dest, c.nextSeq(), payload, heap);
            if (heap) {
                lock.lock();
                try {
                    awaitingCts.add(o);
                    c.ctsWaiters++;
                } finally {
                    lock.unlock();
                }
            }
            MemorySegment rts = scratch().control;
            rts.set(JAVA_LONG, 0, bytes);
            rts.set(JAVA_INT, 8, o.seq);
            rts.set(JAVA_INT, 12, heap ? WANT_CTS : 0);
            rts.set(JAVA_INT, 16, tag);
            check((int) Calls.SEND.invokeExact(rts, RTS_BYTES, lib.tByte, dest, wire(tag, kind) | RTS_BIT, c.comm),
                    "send");
            if (!heap) {
                int n = pieces(bytes);
                o.requests = Arena.ofAuto().allocate(ADDRESS, n);
                for (int i = 0; i < n; i++) {
                    long off = i * CHUNK;
                    int len = (int) Math.min(CHUNK, bytes - off);
                    check((int) Calls.ISEND.invokeExact(payload.asSlice(off, len), len, lib.tByte, dest, o.seq, c.shadow,
                            o.requests.asSlice(i * ADDRESS.byteSize(), ADDRESS.byteSize())), "send");
                }
                register(o);
            }
            return o;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sends a large message through this rank's {@link Outbox}: the RTS names the block, then the data is copied in
     * (the receiver copies it out meanwhile). Complete when it returns.
     *
     * @return {@code false} if the outbox has no room now (nothing was sent).
     */
    private boolean sendBoxed(NativeComm c, int kind, MemorySegment data, int dest, int tag) throws Throwable {
        long bytes = data.byteSize();
        long at;
        lock.lock();
        try {
            at = outbox.take(bytes);
        } finally {
            lock.unlock();
        }
        if (at < 0) {
            return false;
        }
        MemorySegment rts = scratch().control;
        rts.set(JAVA_LONG, 0, bytes);
        rts.set(JAVA_INT, 8, -1);
        rts.set(JAVA_INT, 12, BOXED);
        rts.set(JAVA_INT, 16, tag);
        rts.set(JAVA_INT, 20, outbox.rank());
        rts.set(JAVA_LONG, 24, at);
        check((int) Calls.SEND.invokeExact(rts, RTS_BYTES, lib.tByte, dest, wire(tag, kind) | RTS_BIT, c.comm), "send");
        outbox.fill(at, data);
        return true;
    }

    /** Keeps a send of native data whose requests are started, so that waits of this process complete it. */
    private void register(Outgoing o) {
        lock.lock();
        try {
            sends.add(o);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a large send, taking in other messages meanwhile; a Java array goes when its CTS comes. */
    void await(Outgoing o) {
        Backoff b = new Backoff();
        while (true) {
            lock.lock();
            try {
                if (o.heap ? o.cts : o.test()) {
                    if (!o.heap) {
                        sends.remove(o);
                    }
                    break;
                }
                progress(o.comm, b.patient());
            } finally {
                lock.unlock();
            }
            b.idle();
        }
        if (o.heap) {
            // the receiver has posted its receive: the critical call holds this thread only for the copy
            try {
                long bytes = o.data.byteSize();
                for (long off = 0; off < bytes || off == 0; off += CHUNK) {
                    int len = (int) Math.min(CHUNK, bytes - off);
                    check((int) Calls.SEND_HEAP.invokeExact(o.data.asSlice(off, len), len, lib.tByte, o.dest, o.seq,
                            o.comm.shadow), "send");
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            o.done = true;
        }
    }

    /** Tells the sender of a large message to send its data (the receive is posted or about to be). */
    void sendCts(Envelope e) {
        MemorySegment m = scratch().control;
        m.set(JAVA_INT, 0, e.seq);
        try {
            check((int) Calls.SEND.invokeExact(m, 4, lib.tByte, e.source, ctsTag, e.comm.shadow), "send");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Takes in the messages MPI holds, matches them or keeps them, and moves the large data in progress. Called with
     * the lock held.
     *
     * @param focus   the communicator the caller waits on (polled alone while not patient), or {@code null}.
     * @param patient also poll every other communicator, take in the data of unexpected large messages (so that
     *                their senders can finish) and retire finished sends.
     */
    void progress(NativeComm focus, boolean patient) {
        progress(focus, patient, null);
    }

    /** Fails a wait of this process once {@code MPI_Abort} was called in it. */
    void checkAborting() {
        if (aborting) {
            throw new JobAbortedException(-1, "the job is ending (MPI_Abort was called in this process)");
        }
    }

    /**
     * Like {@link #progress(NativeComm, boolean)}, for a receive waiting on {@code focus}: once it has its message,
     * the rest waits for the next call, and the wildcard receive is posted again then (its thread answers first).
     *
     * @param focus   the communicator of {@code waiter}.
     * @param patient as there.
     * @param waiter  the receive the caller waits for.
     */
    void progress(NativeComm focus, boolean patient, NativeComm.RecvOp waiter) {
        checkAborting();
        if (focus != null && !patient) {
            poll(focus, waiter);
        } else {
            for (NativeComm c : comms) {
                poll(c, c == focus ? waiter : null);
                if (patient) {
                    c.pullUnexpected();
                }
            }
        }
        if (!pulls.isEmpty()) {
            pulls.removeIf(Pull::test);
        }
        if (patient && !sends.isEmpty()) {
            sends.removeIf(Outgoing::test);
        }
    }

    /** What {@link #pollLanding} returns when no message has landed. */
    static final int NOTHING = -1;

    /**
     * Posts the communicator's wildcard receive if it is not, and tests it once (lock held).
     *
     * @param c the communicator.
     * @param x the calling thread's scratch: its {@code status} holds the message's status when one landed.
     * @return the wire tag of the message now in {@code c.landing} (the receive is then no longer posted), or
     *         {@link #NOTHING}.
     */
    int pollLanding(NativeComm c, Scratch x) {
        try {
            if (!c.landingPosted) {
                // a wildcard receive always posted: MPI delivers a small message straight into it
                check((int) Calls.IRECV.invokeExact(c.landing, MID, lib.tByte, lib.anySource, Lib.ANY_TAG, c.comm,
                        c.landingRequest), "recv");
                c.landingPosted = true;
            }
            check((int) Calls.TEST.invokeExact(c.landingRequest, x.flag, x.status), "recv");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (x.flag.get(JAVA_INT, 0) == 0) {
            return NOTHING;
        }
        c.landingPosted = false;
        return lib.statusTag(x.status);
    }

    /**
     * At {@code MPI_THREAD_SINGLE}: waits in MPI until a message of the communicator lands, by a blocking wildcard
     * {@code MPI_Recv} into its landing buffer (or {@code MPI_Wait} on its wildcard receive if that is posted): MPI's
     * own wait, as in a C program's {@code MPI_Recv}, with no downcall and no Java per poll. Only for a caller that
     * may block in MPI: no deadline, no other communicator to take in, nothing in progress ({@link #quiet}).
     *
     * @param c the communicator.
     * @param x the thread's scratch: its {@code status} holds the message's status.
     * @return the wire tag of the message now in {@code c.landing} (the receive is then no longer posted).
     */
    int waitLanding(NativeComm c, Scratch x) {
        try {
            if (c.landingPosted) {
                check((int) Calls.WAIT.invokeExact(c.landingRequest, x.status), "recv");
            } else {
                // one call, as C's MPI_Recv: the wildcard receive of the landing buffer, blocking
                check((int) Calls.RECV.invokeExact(c.landing, MID, lib.tByte, lib.anySource, Lib.ANY_TAG, c.comm,
                        x.status), "recv");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        c.landingPosted = false;
        return lib.statusTag(x.status);
    }

    /**
     * Hands the message that landed in {@code c.landing} to its communicator's matching (lock held).
     *
     * @param c      the communicator.
     * @param source the sender.
     * @param wire   the wire tag.
     * @param status its status.
     */
    void landed(NativeComm c, int source, int wire, MemorySegment status) {
        int kind = wire & 7;
        int field = wire >>> 4;
        MemorySegment in = c.landing;
        if ((wire & RTS_BIT) == 0) {
            c.arrived(new Envelope(c, source, field, kind, in.asSlice(0, lib.statusBytes(status))));
        } else {
            long bytes = in.get(JAVA_LONG, 0);
            int seq = in.get(JAVA_INT, 8);
            int flags = in.get(JAVA_INT, 12);
            int tag = field == bigTag ? in.get(JAVA_INT, 16) : field;
            Envelope e = new Envelope(c, source, tag, kind, bytes, seq, (flags & WANT_CTS) != 0);
            if ((flags & BOXED) != 0) {
                e.owner = in.get(JAVA_INT, 20);
                e.at = in.get(JAVA_LONG, 24);
            }
            c.arrived(e);
        }
    }

    private void poll(NativeComm c, NativeComm.RecvOp waiter) {
        Scratch x = scratch();
        try {
            while (true) {
                int wire = pollLanding(c, x);
                if (wire == NOTHING) {
                    break;
                }
                landed(c, lib.statusSource(x.status), wire, x.status);
                if ((wire & RTS_BIT) == 0 && waiter != null && waiter.done) {
                    break;
                }
            }
            while (c.ctsWaiters > 0) {
                check((int) Calls.IMPROBE.invokeExact(lib.anySource, ctsTag, c.shadow, x.flag, x.message, x.status),
                        "probe");
                if (x.flag.get(JAVA_INT, 0) == 0) {
                    break;
                }
                int source = lib.statusSource(x.status);
                check((int) Calls.MRECV.invokeExact(x.control, 4, lib.tByte, x.message, x.status), "recv");
                int seq = x.control.get(JAVA_INT, 0);
                for (int i = 0; i < awaitingCts.size(); i++) {
                    Outgoing o = awaitingCts.get(i);
                    if (o.comm == c && o.dest == source && o.seq == seq) {
                        awaitingCts.remove(i);
                        c.ctsWaiters--;
                        o.cts = true;
                        break;
                    }
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Copies a small message's bytes into memory (lock held).
     *
     * @param e    the envelope.
     * @param into where the bytes go, exactly {@code e.bytes} long: native, or a Java array's heap segment.
     */
    static void take(Envelope e, MemorySegment into) {
        MemorySegment.copy(e.data, 0, into, 0, e.bytes);
        e.data = null;
    }

    /**
     * Cancels the wildcard receive of a communicator (lock held), before it is freed or MPI finalized.
     *
     * @param c the communicator.
     */
    void unpost(NativeComm c) {
        if (!c.landingPosted) {
            return;
        }
        Scratch x = scratch();
        try {
            check((int) Calls.CANCEL.invokeExact(c.landingRequest), "cancel");
            check((int) Calls.WAIT.invokeExact(c.landingRequest, x.status), "cancel");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        c.landingPosted = false;
    }

    /**
     * Starts taking a large message's data into native memory (lock held): {@code MPI_Irecv}, then the CTS if the
     * sender waits for one.
     *
     * @param e    the envelope.
     * @param into native memory of {@code e.bytes}, or {@code null} for a new block.
     * @return the pull, also kept in {@code e.pull}.
     */
    Pull startPull(Envelope e, MemorySegment into) {
        MemorySegment m = into != null ? into : Arena.ofAuto().allocate(Math.max(1, e.bytes), 8).asSlice(0, e.bytes);
        Pull p = new Pull(e, m);
        e.pull = p;
        pulls.add(p);
        return p;
    }

    /**
     * Receives a large message's data by the receiving thread itself, outside the lock: straight into native
     * memory, or into a Java array by a critical {@code MPI_Mrecv} once the data has started to arrive (so the call
     * lasts only the copy).
     *
     * @param e    the envelope (no pull started).
     * @param into where the bytes go, {@code e.bytes} long.
     */
    void receiveLarge(Envelope e, MemorySegment into) {
        if (e.wantCts) {
            sendCts(e);
        }
        Scratch x = scratch();
        try {
            for (long off = 0; off < e.bytes || off == 0; off += CHUNK) {
                int len = (int) Math.min(CHUNK, e.bytes - off);
                MemorySegment part = into.asSlice(off, len);
                if (into.isNative()) {
                    check((int) Calls.RECV.invokeExact(part, len, lib.tByte, e.source, e.seq, e.comm.shadow, x.status),
                            "recv");
                    continue;
                }
                Backoff b = new Backoff();
                while (true) {
                    check((int) Calls.IMPROBE.invokeExact(e.source, e.seq, e.comm.shadow, x.flag, x.message, x.status),
                            "probe");
                    if (x.flag.get(JAVA_INT, 0) != 0) {
                        break;
                    }
                    if (aborting) {
                        throw new JobAbortedException(-1, "the job is ending (MPI_Abort was called in this process)");
                    }
                    b.idle();
                }
                check((int) Calls.MRECV_HEAP.invokeExact(part, len, lib.tByte, x.message, x.status), "recv");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Copies a large message out of its sender's {@link Outbox} (lock held, or at {@code MPI_THREAD_SINGLE}).
     *
     * @param e    the envelope, {@link Envelope#boxed()}.
     * @param into where the bytes go, {@code e.bytes} long, or {@code null} to discard them.
     */
    void unbox(Envelope e, MemorySegment into) {
        outbox.drain(this, e.owner, e.at, e.bytes, into);
    }

    /** Discards a matched message that failed its receive (lock held): consumed, so its sender completes. */
    void discard(Envelope e) {
        if (!e.large()) {
            e.data = null;
        } else if (e.boxed()) {
            unbox(e, null);
        } else if (e.pull == null) {
            startPull(e, null);
        }
    }

    /** Cancels every communicator's wildcard receive (at close, before {@code MPI_Finalize}). */
    void unpostAll() {
        lock.lock();
        try {
            for (NativeComm c : comms) {
                unpost(c);
            }
        } finally {
            lock.unlock();
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
                progress(null, true);
                if (sends.isEmpty() && pulls.isEmpty()) {
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

    /** Spin, then yield, then park: waits that stay cheap when ranks oversubscribe the cores. */
    static final class Backoff {
        private int n;
        /** When the spinning ended (read only then: no clock read on the fast path). */
        private long start;

        void idle() {
            n++;
            if (n < 200) {
                Thread.onSpinWait();
                if (n == 100) {
                    start = System.nanoTime();
                }
            } else if (n < 2000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(n < 20_000 ? 20_000 : 200_000);
            }
        }

        /** Whether the wait is still in its first, spinning phase (the next {@link #idle} does not yield). */
        boolean spinning() {
            return n < 199;
        }

        /** After a millisecond of waiting, waits also take in peers' large data (see {@link Engine#progress}). */
        boolean patient() {
            return n > 100 && System.nanoTime() - start > 1_000_000;
        }
    }
}
