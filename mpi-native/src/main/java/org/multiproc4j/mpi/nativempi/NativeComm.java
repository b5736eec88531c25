package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Status;
import org.multiproc4j.mpi.spi.BackendRequest;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * A communicator of the native backend: an {@code MPI_Comm} and its shadow (a private duplicate that
 * carries the data of large messages, see {@link Engine}). Collectives call MPI directly on the caller's memory.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class NativeComm implements CommBackend {
    private static final ElementType[] TYPES = ElementType.values();

    private final NativeSession session;
    private final Engine engine;
    private final Lib lib;
    final MemorySegment comm;
    final MemorySegment shadow;
    private final int rank;
    private final int size;
    private final AtomicInteger seq = new AtomicInteger();
    /** Blocking sends of Java arrays on this communicator waiting for their CTS (engine's lock held). */
    int ctsWaiters;
    /** The native buffer of the wildcard receive that small messages land in (see {@link Engine}). */
    final MemorySegment landing = Arena.ofAuto().allocate(Engine.MID, 8);
    final MemorySegment landingRequest = Arena.ofAuto().allocate(ADDRESS);
    /** Whether the wildcard receive is posted (engine's lock held). */
    boolean landingPosted;
    private final ArrayDeque<Engine.Envelope> unexpected = new ArrayDeque<>();
    private final List<RecvOp> posted = new ArrayList<>();
    private volatile boolean freed;

    NativeComm(NativeSession session, MemorySegment comm) {
        this.session = session;
        this.engine = session.engine;
        this.lib = engine.lib;
        this.comm = comm;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            engine.check((int) lib.commRank.invokeExact(comm, out), "MPI_Comm_rank");
            rank = out.get(JAVA_INT, 0);
            engine.check((int) lib.commSize.invokeExact(comm, out), "MPI_Comm_size");
            size = out.get(JAVA_INT, 0);
            MemorySegment h = a.allocate(ADDRESS);
            engine.check((int) lib.commDup.invokeExact(comm, h), "MPI_Comm_dup");
            shadow = lib.readHandle(h);
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
        engine.comms.add(this);
    }

    /** The engine of this communicator's session. */
    Engine engine() {
        return engine;
    }

    int nextSeq() {
        // data tags stay below the CTS tag (MPI_TAG_UB)
        return Integer.remainderUnsigned(seq.getAndIncrement(), engine.ctsTag);
    }

    private void live(String op) {
        if (freed) {
            throw new MpiException(op + ": the communicator was freed");
        }
    }

    // ------------------------------------------------------------------ memory

    /**
     * Returns the memory of a buffer's elements: a slice of its direct buffer, or of its Java array (a heap
     * segment, which only critical downcalls take).
     */
    static MemorySegment segment(Buf b) {
        if (b == null) {
            return MemorySegment.NULL;
        }
        long off = (long) b.offset() * b.type().size();
        long len = b.byteCount();
        ByteBuffer d = b.directBuffer();
        if (d != null) {
            return MemorySegment.ofBuffer(d.duplicate().clear()).asSlice(off, len);
        }
        Object a = b.array();
        MemorySegment s = switch (b.type()) {
            case BYTE -> MemorySegment.ofArray((byte[]) a);
            case SHORT -> MemorySegment.ofArray((short[]) a);
            case CHAR -> MemorySegment.ofArray((char[]) a);
            case INT -> MemorySegment.ofArray((int[]) a);
            case LONG -> MemorySegment.ofArray((long[]) a);
            case FLOAT -> MemorySegment.ofArray((float[]) a);
            case DOUBLE -> MemorySegment.ofArray((double[]) a);
        };
        return s.asSlice(off, len);
    }

    // ------------------------------------------------------------------ point to point

    /** A receive: posted, matched (a large message's data still to move), then done. */
    final class RecvOp {
        final String op;
        final int source;
        final int tag;
        final Buf buf;
        final Status status;
        /** A blocking receive: its own thread moves a large message's data; otherwise it is pulled. */
        final boolean blocking;
        volatile boolean done;
        MpiException error;
        byte[] bytes;
        /** A matched large message whose data has not all arrived. */
        Engine.Envelope pending;
        MemorySegment target;

        RecvOp(String op, Buf buf, int source, int tag, Status status, boolean blocking) {
            this.op = op;
            this.buf = buf;
            this.source = source;
            this.tag = tag;
            this.status = status == null ? new Status() : status;
            this.blocking = blocking;
        }

        boolean matches(Engine.Envelope e) {
            return (source == ANY_SOURCE || source == e.source) && (tag == ANY_TAG || tag == e.tag);
        }

        /** Takes a matched message (called with the engine's lock held). */
        void deliver(Engine.Envelope e) {
            ElementType type = e.kind == Engine.KIND_OBJECT ? null : TYPES[e.kind];
            status.set(e.source, e.tag, e.bytes, type);
            if (buf == null) {
                if (type != null) {
                    error = new MpiException(op + ": expected an object message but rank " + e.source + " sent "
                            + e.bytes / type.size() + " " + type + " elements with tag " + e.tag
                            + " (receive it into a Buf)");
                } else if (e.bytes > Integer.MAX_VALUE - 8) {
                    error = new MpiException(op + ": object message of " + e.bytes + " bytes from rank " + e.source
                            + " is too large for one array");
                }
            } else if (type == null) {
                error = new MpiException(op + ": rank " + e.source + " sent an object message (" + e.bytes
                        + " bytes) with tag " + e.tag + " but the receive buffer holds " + buf.type()
                        + " elements (receive it as an object)");
            } else if (type != buf.type()) {
                error = new MpiException(op + ": rank " + e.source + " sent " + type + " elements with tag " + e.tag
                        + " but the receive buffer holds " + buf.type() + " elements");
            } else if (e.bytes > buf.byteCount()) {
                error = new MpiException(op + ": message truncated: rank " + e.source + " sent "
                        + e.bytes / type.size() + " " + type + " elements with tag " + e.tag
                        + " but the receive buffer holds " + buf.count());
            }
            if (error != null) {
                engine.discard(e);
                done = true;
                return;
            }
            if (buf == null) {
                bytes = new byte[(int) e.bytes];
                target = MemorySegment.ofArray(bytes);
            } else {
                target = segment(buf).asSlice(0, e.bytes);
            }
            if (!e.large()) {
                Engine.take(e, target);
                done = true;
                return;
            }
            if (e.boxed()) {
                engine.unbox(e, target);
                done = true;
                return;
            }
            if (e.pull == null && !blocking) {
                engine.startPull(e, target.isNative() ? target : null);
            }
            pending = e;
        }

        /** Completes a matched message whose data has been pulled (lock held). */
        private void finishPull() {
            if (pending.pull.into != target) {
                target.copyFrom(pending.pull.into);
            }
            pending = null;
            done = true;
        }

        /** Moves on a matched message pulled into native memory, for a non-blocking receive (lock held). */
        boolean test() {
            if (!done) {
                engine.progress(NativeComm.this, false);
                if (pending != null && pending.pull.test()) {
                    finishPull();
                }
            }
            if (done && error != null) {
                throw error;
            }
            return done;
        }

        /**
         * Matches the receive with a message already here (older than any still in MPI), or posts it and takes in
         * what MPI holds. Called with the lock held.
         */
        void post() {
            Iterator<Engine.Envelope> it = unexpected.iterator();
            while (it.hasNext()) {
                Engine.Envelope e = it.next();
                if (matches(e)) {
                    it.remove();
                    deliver(e);
                    return;
                }
            }
            posted.add(this);
            engine.progress(NativeComm.this, false, blocking ? this : null);
        }

        /** Waits until complete or the deadline (which applies until a message is matched). */
        Status await(long deadlineNanos, boolean cancelOnTimeout) throws TimeoutException {
            return await(deadlineNanos, cancelOnTimeout, new Engine.Backoff());
        }

        /** As {@link #await(long, boolean)}, going on with the caller's backoff. */
        Status await(long deadlineNanos, boolean cancelOnTimeout, Engine.Backoff b) throws TimeoutException {
            if (done) {
                // matched and received when it was posted
                if (error != null) {
                    throw error;
                }
                return status;
            }
            while (true) {
                Engine.Envelope direct = null;
                engine.lock.lock();
                try {
                    if (!done) {
                        if (pending == null || pending.pull != null) {
                            engine.progress(NativeComm.this, b.patient(), this);
                        }
                        if (pending != null) {
                            if (pending.pull == null) {
                                direct = pending;
                            } else if (pending.pull.test()) {
                                finishPull();
                            }
                        }
                    }
                    if (done) {
                        if (error != null) {
                            throw error;
                        }
                        return status;
                    }
                    if (pending == null && deadlineNanos != Long.MAX_VALUE
                            && System.nanoTime() - deadlineNanos >= 0) {
                        if (cancelOnTimeout) {
                            posted.remove(this);
                        }
                        throw new TimeoutException(op + ": no matching message from source " + source + " with tag "
                                + tag + " before the deadline");
                    }
                } finally {
                    engine.lock.unlock();
                }
                if (direct != null) {
                    // a blocking receive moves its data itself, outside the lock, straight into its buffer
                    engine.receiveLarge(direct, target);
                    engine.lock.lock();
                    try {
                        pending = null;
                        done = true;
                    } finally {
                        engine.lock.unlock();
                    }
                    return status;
                }
                b.idle();
            }
        }
    }

    /** Called by the engine (lock held) for each message of this communicator. */
    void arrived(Engine.Envelope e) {
        for (int i = 0; i < posted.size(); i++) {
            RecvOp r = posted.get(i);
            if (r.matches(e)) {
                posted.remove(i);
                r.deliver(e);
                return;
            }
        }
        if (!e.large()) {
            // out of the landing buffer, which the next message overwrites
            MemorySegment kept = MemorySegment.ofArray(new byte[(int) e.bytes]);
            kept.copyFrom(e.data);
            e.data = kept;
        }
        unexpected.add(e);
    }

    /** Takes in the data of unexpected large messages (lock held), so that their senders complete. */
    void pullUnexpected() {
        for (Engine.Envelope e : unexpected) {
            // a boxed message's sender is complete already: its data waits in the sender's outbox
            if (e.large() && e.pull == null && !e.boxed()) {
                engine.startPull(e, null);
            }
        }
    }

    private RecvOp start(String op, Buf buf, int source, int tag, Status status, boolean blocking) {
        live(op);
        RecvOp r = new RecvOp(op, buf, source, tag, status, blocking);
        engine.lock.lock();
        try {
            r.post();
        } finally {
            engine.lock.unlock();
        }
        return r;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void send(Buf buf, int dest, int tag) {
        live("send");
        Engine.Outgoing o = engine.send(this, buf.type().ordinal(), segment(buf), dest, tag, true);
        if (o != null) {
            engine.await(o);
        }
    }

    @Override
    public void sendBytes(byte[] bytes, int dest, int tag) {
        live("send");
        Engine.Outgoing o = engine.send(this, Engine.KIND_OBJECT, MemorySegment.ofArray(bytes), dest, tag, true);
        if (o != null) {
            engine.await(o);
        }
    }

    @Override
    public Status recv(Buf buf, int source, int tag, long deadlineNanos) throws TimeoutException {
        live("recv");
        Engine.Backoff b = new Engine.Backoff();
        Status s = new Status();
        if (direct(buf, source, tag, s, b, deadlineNanos) != null) {
            return s;
        }
        return start("recv", buf, source, tag, s, true).await(deadlineNanos, true, b);
    }

    @Override
    public byte[] recvBytes(int source, int tag, Status status, long deadlineNanos) throws TimeoutException {
        live("recv");
        Engine.Backoff b = new Engine.Backoff();
        Status s = status == null ? new Status() : status;
        byte[] got = direct(null, source, tag, s, b, deadlineNanos);
        if (got != null) {
            return got;
        }
        RecvOp r = start("recv", null, source, tag, s, true);
        r.await(deadlineNanos, true, b);
        return r.bytes;
    }

    /** What {@link #direct} returns for a buffer receive that it completed. */
    private static final byte[] DONE = new byte[0];

    /**
     * The direct path of a blocking receive: while nothing of this communicator is queued here (no unexpected
     * message, no posted receive), the caller's thread polls the wildcard receive itself, for as long as
     * {@code b} spins, and takes a small message that matches straight from the landing buffer into its memory (no
     * envelope, no copy kept, no hand-over). Anything else that arrives goes the common way ({@link #arrived}), and
     * the receive continues there. Every message taken from MPI is matched in arrival order, as on the common path:
     * the direct path runs only while the queues it would bypass are empty, under the engine's lock.
     *
     * <p>At {@code MPI_THREAD_SINGLE} it takes no lock (one thread calls), and a receive without a deadline, on the
     * only communicator besides {@code MPI_COMM_SELF}, with no large send or receive of this process under way, waits
     * in MPI itself ({@link Engine#waitLanding}: one {@code MPI_Recv} per message, as in C) instead of polling.
     *
     * @param buf    the receive buffer, or {@code null} for an object message.
     * @param source the source or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @param status filled in when the message is taken.
     * @param b      the caller's backoff: the direct path ends when its spinning does.
     * @param deadlineNanos the receive's deadline ({@link Long#MAX_VALUE} for none).
     * @return the bytes of an object message (buf {@code null}), a non-null marker for a buffer, or {@code null} if
     *         the receive must continue the common way.
     */
    private byte[] direct(Buf buf, int source, int tag, Status status, Engine.Backoff b, long deadlineNanos) {
        Engine.Scratch x = engine.scratch();
        // at MPI_THREAD_SINGLE only this thread calls: no lock
        boolean single = engine.single;
        while (b.spinning()) {
            engine.checkAborting();
            if (!single) {
                engine.lock.lock();
            }
            try {
                if (!unexpected.isEmpty() || !posted.isEmpty()) {
                    return null;
                }
                int wire = single && deadlineNanos == Long.MAX_VALUE && alone() && engine.quiet()
                        ? engine.waitLanding(this, x) : engine.pollLanding(this, x);
                if (wire != Engine.NOTHING) {
                    int from = lib.statusSource(x.status);
                    int kind = wire & 7;
                    int field = wire >>> 4;
                    if ((wire & Engine.RTS_BIT) != 0 || (source != ANY_SOURCE && source != from)
                            || (tag != ANY_TAG && tag != field)) {
                        engine.landed(this, from, wire, x.status);
                        return null;
                    }
                    long bytes = lib.statusBytes(x.status);
                    ElementType type = kind == Engine.KIND_OBJECT ? null : TYPES[kind];
                    if (buf == null ? type != null : type != buf.type() || bytes > buf.byteCount()) {
                        // a mismatch: the common receive names it
                        RecvOp r = new RecvOp("recv", buf, source, tag, status, true);
                        r.deliver(new Engine.Envelope(this, from, field, kind, landing.asSlice(0, bytes)));
                        throw r.error;
                    }
                    status.set(from, field, bytes, type);
                    if (buf == null) {
                        byte[] out = new byte[(int) bytes];
                        MemorySegment.copy(landing, ValueLayout.JAVA_BYTE, 0, out, 0, (int) bytes);
                        return out;
                    }
                    MemorySegment.copy(landing, 0, segment(buf), 0, bytes);
                    return DONE;
                }
            } finally {
                if (!single) {
                    engine.lock.unlock();
                }
            }
            b.idle();
        }
        return null;
    }

    /**
     * Whether this communicator is the only one whose messages this process must take in while it waits: no other
     * communicator but {@code MPI_COMM_SELF} (whose messages only this thread sends).
     */
    private boolean alone() {
        for (NativeComm c : engine.comms) {
            if (c != this && c.comm.address() != lib.commSelf.address()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public BackendRequest isend(Buf buf, int dest, int tag) {
        live("isend");
        Engine.Outgoing o = engine.send(this, buf.type().ordinal(), segment(buf), dest, tag, false);
        return new SendRequest(o, new Status(dest, tag, buf.byteCount(), buf.type()));
    }

    @Override
    public BackendRequest isendBytes(byte[] bytes, int dest, int tag) {
        live("isend");
        Engine.Outgoing o = engine.send(this, Engine.KIND_OBJECT, MemorySegment.ofArray(bytes), dest, tag, false);
        return new SendRequest(o, new Status(dest, tag, bytes.length, null));
    }

    @Override
    public BackendRequest irecv(Buf buf, int source, int tag) {
        return new RecvRequest(start("irecv", buf, source, tag, null, false));
    }

    @Override
    public BackendRequest irecvBytes(int source, int tag) {
        return new RecvRequest(start("irecv", null, source, tag, null, false));
    }

    private final class SendRequest implements BackendRequest {
        private final Engine.Outgoing o;
        private final Status status;

        SendRequest(Engine.Outgoing o, Status status) {
            this.o = o;
            this.status = status;
        }

        @Override
        public boolean test() {
            if (o == null) {
                return true;
            }
            engine.lock.lock();
            try {
                if (o.test()) {
                    return true;
                }
                engine.progress(NativeComm.this, false);
                return o.test();
            } finally {
                engine.lock.unlock();
            }
        }

        @Override
        public Status await(long deadlineNanos) throws TimeoutException {
            Engine.Backoff b = new Engine.Backoff();
            while (!test()) {
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new TimeoutException("isend: not complete before the deadline");
                }
                if (b.patient()) {
                    engine.lock.lock();
                    try {
                        engine.progress(null, true);
                    } finally {
                        engine.lock.unlock();
                    }
                }
                b.idle();
            }
            return status;
        }

        @Override
        public byte[] bytes() {
            return null;
        }
    }

    private final class RecvRequest implements BackendRequest {
        private final RecvOp r;

        RecvRequest(RecvOp r) {
            this.r = r;
        }

        @Override
        public boolean test() {
            engine.lock.lock();
            try {
                return r.test();
            } finally {
                engine.lock.unlock();
            }
        }

        @Override
        public Status await(long deadlineNanos) throws TimeoutException {
            return r.await(deadlineNanos, false);
        }

        @Override
        public byte[] bytes() {
            return r.bytes;
        }
    }

    @Override
    public Status iprobe(int source, int tag) {
        live("iprobe");
        engine.lock.lock();
        try {
            engine.progress(this, false);
            return find(source, tag);
        } finally {
            engine.lock.unlock();
        }
    }

    private Status find(int source, int tag) {
        for (Engine.Envelope e : unexpected) {
            if ((source == ANY_SOURCE || source == e.source) && (tag == ANY_TAG || tag == e.tag)) {
                return new Status(e.source, e.tag, e.bytes, e.kind == Engine.KIND_OBJECT ? null : TYPES[e.kind]);
            }
        }
        return null;
    }

    @Override
    public Status probe(int source, int tag, long deadlineNanos) throws TimeoutException {
        live("probe");
        Engine.Backoff b = new Engine.Backoff();
        while (true) {
            engine.lock.lock();
            try {
                engine.progress(this, b.patient());
                Status s = find(source, tag);
                if (s != null) {
                    return s;
                }
            } finally {
                engine.lock.unlock();
            }
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                throw new TimeoutException("probe: no matching message from source " + source + " with tag " + tag
                        + " before the deadline");
            }
            b.idle();
        }
    }

    // ------------------------------------------------------------------ collectives

    private MemorySegment type(ElementType t) {
        return lib.type(t);
    }

    /** The MPI operation for a built-in {@link Op}, or {@code null} for those applied in Java (user, location). */
    private MemorySegment builtin(Op op) {
        if (op == Op.SUM) {
            return lib.opSum;
        } else if (op == Op.PROD) {
            return lib.opProd;
        } else if (op == Op.MIN) {
            return lib.opMin;
        } else if (op == Op.MAX) {
            return lib.opMax;
        } else if (op == Op.LAND) {
            return lib.opLand;
        } else if (op == Op.LOR) {
            return lib.opLor;
        } else if (op == Op.LXOR) {
            return lib.opLxor;
        } else if (op == Op.BAND) {
            return lib.opBand;
        } else if (op == Op.BOR) {
            return lib.opBor;
        } else if (op == Op.BXOR) {
            return lib.opBxor;
        }
        return null;
    }

    /**
     * The memory of one collective call: small Java arrays (at most {@link Engine#STAGE_SMALL} bytes) copied through
     * the thread's native scratch, larger ones in place (critical downcalls) or, where those are not allowed (a Java
     * operation that MPI calls back, or {@value NativeSession#STAGE_PROP} set), staged through native memory and
     * copied back.
     */
    private final class Call implements AutoCloseable {
        private final boolean stage;
        private Arena arena;
        /** Pairs (native copy, caller's memory) to copy back when the call is done. */
        private final MemorySegment[] copyBack = new MemorySegment[4];
        private int copies;
        /** The thread's small native room ({@link Engine.Scratch#small}) and how much of it this call uses. */
        private MemorySegment small;
        private long smallUsed;
        boolean heap;

        Call(boolean mustStage) {
            this.stage = mustStage || session.stageArrays;
        }

        MemorySegment in(Buf b) {
            return mem(b, false);
        }

        MemorySegment out(Buf b) {
            return mem(b, true);
        }

        private MemorySegment mem(Buf b, boolean out) {
            MemorySegment s = segment(b);
            if (s.isNative()) {
                return s;
            }
            long bytes = s.byteSize();
            MemorySegment n;
            if (bytes <= Engine.STAGE_SMALL && smallUsed + bytes <= 2L * Engine.STAGE_SMALL) {
                if (small == null) {
                    small = engine.scratch().small;
                }
                n = small.asSlice(smallUsed, bytes);
                smallUsed += (bytes + 7) & ~7L;
            } else if (!stage) {
                heap = true;
                return s;
            } else {
                if (arena == null) {
                    arena = Arena.ofConfined();
                }
                n = arena.allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
            }
            MemorySegment.copy(s, 0, n, 0, bytes);
            if (out) {
                copyBack[copies++] = n;
                copyBack[copies++] = s;
            }
            return n;
        }

        MemorySegment scratch(long bytes) {
            if (arena == null) {
                arena = Arena.ofConfined();
            }
            return arena.allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
        }

        MemorySegment ints(int[] a) {
            if (arena == null) {
                arena = Arena.ofConfined();
            }
            return a == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_INT, a);
        }

        MethodHandle pick(MethodHandle plain, MethodHandle critical) {
            return heap ? critical : plain;
        }

        void done() {
            for (int i = 0; i < copies; i += 2) {
                MemorySegment.copy(copyBack[i], 0, copyBack[i + 1], 0, copyBack[i].byteSize());
            }
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    @Override
    public void barrier() {
        live("barrier");
        try {
            engine.check((int) Calls.BARRIER.invokeExact(comm), "barrier");
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
    }

    @Override
    public void bcast(Buf buf, int root) {
        live("bcast");
        try (Call c = new Call(false)) {
            MemorySegment s = c.out(buf);
            MethodHandle h = c.pick(lib.bcast, lib.bcastHeap);
            int size = buf.type().size();
            long per = Engine.CHUNK / size;
            for (long i = 0; i < buf.count() || i == 0; i += per) {
                int n = (int) Math.min(per, buf.count() - i);
                engine.check((int) h.invokeExact(s.asSlice(i * size, (long) n * size), n, type(buf.type()), root, comm),
                        "bcast");
            }
            c.done();
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
    }

    @Override
    public void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        live("scatterv");
        ElementType t = recv.type();
        boolean isRoot = rank == root;
        try (Call c = new Call(false)) {
            MemorySegment s = isRoot ? c.in(send) : MemorySegment.NULL;
            MemorySegment r = c.out(recv);
            MemorySegment sc = c.ints(isRoot ? counts : null);
            MemorySegment sd = c.ints(isRoot ? displs : null);
            MethodHandle h = c.pick(lib.scatterv, lib.scattervHeap);
            engine.check((int) h.invokeExact(s, sc, sd, type(t), r, recv.count(), type(t), root, comm), "scatterv");
            c.done();
        } catch (Throwable e) {
            throw Engine.rethrow(e);
        }
    }

    @Override
    public void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        live("gatherv");
        ElementType t = send.type();
        boolean isRoot = rank == root;
        try (Call c = new Call(false)) {
            MemorySegment s = c.in(send);
            MemorySegment r = isRoot ? c.out(recv) : MemorySegment.NULL;
            MemorySegment rc = c.ints(isRoot ? counts : null);
            MemorySegment rd = c.ints(isRoot ? displs : null);
            MethodHandle h = c.pick(lib.gatherv, lib.gathervHeap);
            engine.check((int) h.invokeExact(s, send.count(), type(t), r, rc, rd, type(t), root, comm), "gatherv");
            c.done();
        } catch (Throwable e) {
            throw Engine.rethrow(e);
        }
    }

    @Override
    public void allgatherv(Buf send, Buf recv, int[] counts, int[] displs) {
        live("allgatherv");
        ElementType t = send.type();
        try (Call c = new Call(false)) {
            MemorySegment s = c.in(send);
            MemorySegment r = c.out(recv);
            MethodHandle h = c.pick(lib.allgatherv, lib.allgathervHeap);
            engine.check((int) h.invokeExact(s, send.count(), type(t), r, c.ints(counts), c.ints(displs), type(t),
                    comm), "allgatherv");
            c.done();
        } catch (Throwable e) {
            throw Engine.rethrow(e);
        }
    }

    @Override
    public void alltoallv(Buf send, int[] scounts, int[] sdispls, Buf recv, int[] rcounts, int[] rdispls) {
        live("alltoallv");
        ElementType t = send.type();
        try (Call c = new Call(false)) {
            MemorySegment s = c.in(send);
            MemorySegment r = c.out(recv);
            MethodHandle h = c.pick(lib.alltoallv, lib.alltoallvHeap);
            engine.check((int) h.invokeExact(s, c.ints(scounts), c.ints(sdispls), type(t), r, c.ints(rcounts),
                    c.ints(rdispls), type(t), comm), "alltoallv");
            c.done();
        } catch (Throwable e) {
            throw Engine.rethrow(e);
        }
    }

    @Override
    public void reduce(Buf send, Buf recv, Op op, int root) {
        live("reduce");
        reduction("reduce", send, rank == root ? recv : null, op, root);
    }

    @Override
    public void allreduce(Buf send, Buf recv, Op op) {
        live("allreduce");
        reduction("allreduce", send, recv, op, -1);
    }

    @Override
    public void scan(Buf send, Buf recv, Op op) {
        live("scan");
        reduction("scan", send, recv, op, -2);
    }

    @Override
    public void exscan(Buf send, Buf recv, Op op) {
        live("exscan");
        reduction("exscan", send, recv, op, -3);
    }

    /** One reduction: root ≥ 0 reduce, -1 allreduce, -2 scan, -3 exscan; in chunks of at most 1 GiB. */
    private void reduction(String name, Buf send, Buf recv, Op op, int root) {
        ElementType t = send.type();
        MemorySegment mpiOp = builtin(op);
        boolean java = mpiOp == null;
        if (java) {
            mpiOp = session.javaOp();
        }
        try (Call c = new Call(java)) {
            MemorySegment s = c.in(send);
            MemorySegment r = recv == null ? MemorySegment.NULL : c.out(recv);
            if (root == -3 && rank == 0) {
                // MPI leaves rank 0's exscan result undefined; ours is left unchanged
                r = c.scratch(recv.byteCount());
            }
            // MPI forbids a send buffer that aliases the receive buffer: the same region is MPI_IN_PLACE, any
            // other overlap reduces from a copy of the send buffer
            boolean inPlace = false;
            if (overlap(s, r)) {
                if (sameStart(s, r)) {
                    inPlace = true;
                } else {
                    s = c.scratch(s.byteSize()).copyFrom(s);
                }
            }
            MethodHandle h = switch (root) {
                case -1 -> c.pick(lib.allreduce, lib.allreduceHeap);
                case -2 -> c.pick(lib.scan, lib.scanHeap);
                case -3 -> c.pick(lib.exscan, lib.exscanHeap);
                default -> c.pick(lib.reduce, lib.reduceHeap);
            };
            int size = t.size();
            // location pairs stay in one chunk
            long per = (Engine.CHUNK / size) & ~1L;
            if (java) {
                session.javaOpBegin(op);
            }
            try {
                for (long i = 0; i < send.count() || i == 0; i += per) {
                    int n = (int) Math.min(per, send.count() - i);
                    MemorySegment si = inPlace ? lib.inPlace : s.asSlice(i * size, (long) n * size);
                    MemorySegment ri = r.equals(MemorySegment.NULL) ? r : r.asSlice(i * size, (long) n * size);
                    int rc = root >= 0
                            ? (int) h.invokeExact(si, ri, n, type(t), mpiOp, root, comm)
                            : (int) h.invokeExact(si, ri, n, type(t), mpiOp, comm);
                    engine.check(rc, name);
                }
            } finally {
                if (java) {
                    session.javaOpEnd();
                }
            }
            c.done();
        } catch (Throwable e) {
            throw Engine.rethrow(e);
        }
    }

    /** Whether two segments (heap or native) share a byte. */
    private static boolean overlap(MemorySegment a, MemorySegment b) {
        if (a.byteSize() == 0 || b.byteSize() == 0 || a.isNative() != b.isNative()) {
            return false;
        }
        if (!a.isNative() && a.heapBase().orElse(null) != b.heapBase().orElse(null)) {
            return false;
        }
        return a.address() < b.address() + b.byteSize() && b.address() < a.address() + a.byteSize();
    }

    private static boolean sameStart(MemorySegment a, MemorySegment b) {
        return a.address() == b.address() && a.byteSize() <= b.byteSize();
    }

    // ------------------------------------------------------------------ communicators

    @Override
    public CommBackend dup() {
        live("dup");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            engine.check((int) lib.commDup.invokeExact(comm, h), "dup");
            return new NativeComm(session, lib.readHandle(h));
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
    }

    @Override
    public CommBackend split(int color, int key) {
        live("split");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            engine.check((int) lib.commSplit.invokeExact(comm, color < 0 ? Lib.UNDEFINED : color, key, h), "split");
            MemorySegment c = lib.readHandle(h);
            return c.address() == lib.commNull.address() ? null : new NativeComm(session, c);
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
    }

    @Override
    public void free() {
        if (freed || comm.address() == lib.commWorld.address() || comm.address() == lib.commSelf.address()) {
            freed = comm.address() != lib.commWorld.address() && comm.address() != lib.commSelf.address();
            return;
        }
        freed = true;
        // under the lock: no progress loop probes the communicator while it goes
        engine.lock.lock();
        try (Arena a = Arena.ofConfined()) {
            engine.comms.remove(this);
            engine.unpost(this);
            MemorySegment h = a.allocate(ADDRESS);
            h.set(ADDRESS, 0, comm);
            engine.check((int) lib.commFree.invokeExact(h), "free");
            h.set(ADDRESS, 0, shadow);
            engine.check((int) lib.commFree.invokeExact(h), "free");
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        } finally {
            engine.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "NativeComm[rank " + rank + " of " + size + "]";
    }
}
