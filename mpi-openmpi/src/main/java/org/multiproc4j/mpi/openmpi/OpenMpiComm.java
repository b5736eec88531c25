package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Status;
import org.multiproc4j.mpi.internal.Mem;
import org.multiproc4j.mpi.spi.BackendRequest;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * A communicator on Open MPI's Java bindings. Every call stages its data through pooled direct buffers
 * ({@link Staging}), except {@code bcast} of a caller's direct buffer and the reductions with built-in operations
 * (but {@code exscan}) on two direct buffers, which MPI reads and writes in place; the bindings never see a Java
 * array.
 *
 * <p><b>Point to point.</b> A message travels under the MPI tag {@code tag << 4 | code}: the code's low three bits
 * are its kind (the element type's ordinal, or 7 for an object) and its high bit tells whether it is framed. A
 * message of up to {@link #FIRST} bytes whose tag is below {@link #tagLimit()} (2<sup>27</sup> - 1 under Open MPI's
 * {@code ob1}: {@code (MPI_TAG_UB + 1) / 16 - 1}) is whole: the data alone, in one {@code MPI_Isend} of
 * {@code MPI_BYTE}. A longer one, or one with a larger tag, is framed: a 16-byte header (the user's tag, a magic
 * number, the total length), with the data in the same frame when it fits, else in frames of {@link #CHUNK} bytes
 * (so any length fits MPI's {@code int} counts); a larger tag goes under the tag {@code tagLimit() << 4 | code}, so
 * every tag {@code Comm} permits (any {@code int} from 0) works. A send copies the data into staging buffers (a
 * whole message into the communicator's own; a direct buffer's run of up to {@link #IN_PLACE} bytes is sent from the
 * caller's memory, once MPI took it) and returns (buffered semantics, as on the {@code local} backend: a ring of
 * blocking sends never deadlocks); the buffers go back to the pool as the sends complete. Since MPI cannot match a
 * user tag within the MPI tag, a receive asks MPI for the next message from its source with any tag, into the
 * communicator's receive buffer ({@link #FIRST} bytes: no whole message or first frame is longer), with no probe
 * first; a message of another tag is held (copied into staging buffers, its frames received), and held messages are
 * searched first by later receives, which keeps MPI's order between a pair of ranks for every tag. A receive checks
 * the kind and length (a mismatched or truncated message is consumed whole and reported with its type and length)
 * and receives the data frames from the same rank and MPI tag, copying each out while the next travels. The status
 * reports the user's tag. A receive with a deadline polls with {@code MPI_Iprobe}; {@code probe} receives the message
 * it finds into the held queue. Nonblocking receives are matched in the order they were posted, whenever any call on
 * the communicator makes progress. Every rank must run this backend: a message not sent by it is misread. When the
 * world communicator's ranks share a node, a longer message of up to {@link Outbox#MAX_MESSAGE} bytes goes through
 * the sender's {@link Outbox} instead of data frames (MPI carries a 24-byte header naming the block, which keeps
 * the matching and the order): one copy in, one copy out, overlapping; a message the outbox cannot hold at that
 * moment is framed as above, so a send never waits for its receiver.
 *
 * <p><b>Collectives.</b> The element type's MPI datatype on staged buffers; the built-in {@link Op}s map to MPI's;
 * location and user operations gather to a root, which applies them in rank order. {@code bcast} and the reductions
 * with built-in operations run in chunks of {@link #COLL_CHUNK} bytes (the staging buffers stay in cache, ranks copy
 * in and out while the others communicate, and any length fits); a {@code bcast} of a direct buffer, and such a
 * reduction of two non-overlapping direct buffers, run the same chunks on the caller's buffers themselves (so ranks
 * may mix arrays and direct buffers). {@code scatterv} and {@code gatherv} are framed
 * messages between the root and each rank on a twin communicator (a {@code dup} made by the first of them; only the
 * root knows every count, so they cannot be chunked as collectives), and the root's own block is copied directly;
 * so they take any length too. Their senders wait until those messages are received, as MPI's collectives would. {@code allgatherv}, {@code alltoallv} and the reductions with location or user
 * operations stage each buffer whole, at most 1 GiB, and refuse more with an {@link MpiException}. When all the
 * ranks share a node, {@code bcast}s of at least {@link #NODE_BCAST} bytes, {@code allreduce}s with a built-in
 * operation of at least {@link #NODE_ALLREDUCE} bytes and every {@code scatterv} go through the
 * communicator's shared-memory {@link NodeArea} instead (made by the first of them), whatever buffer form each rank
 * passes; on the world communicator, a {@code gatherv} block of 16 KiB to 2 MiB travels through its sender's
 * {@link Outbox}, like a point-to-point message.
 *
 * <p><b>Threads.</b> All calls of a process are serialized by one lock; waits with a deadline poll, releasing it
 * between polls. At {@code single} ({@link OpenMpiSession#THREADS_PROP}) there is no lock and only the session's
 * thread may call ({@link ConfinedLock}).
 */
final class OpenMpiComm implements CommBackend {
    static final int HEADER = 16;
    /**
     * The longest first frame, header included: a receive posts a buffer of this size and needs no probe. A
     * message of up to {@code FIRST - HEADER} bytes is that one frame; a longer one is a header frame and data
     * frames of {@link #CHUNK} bytes.
     */
    static final int FIRST = 16 << 10;
    /** The chunk of bcast and the reductions: the staging buffers stay in cache. */
    static final int COLL_CHUNK = 256 << 10;
    /** The data frames of a long message: the receiver copies one out while the next one travels. */
    static final int CHUNK = 256 << 10;
    /** A bcast of at least this many bytes goes through the {@link NodeArea} when the ranks share a node. */
    static final int NODE_BCAST = 32 << 10;
    /**
     * An allreduce with a built-in operation of at least this many bytes goes through the {@link NodeArea} when the
     * ranks share a node.
     */
    static final int NODE_ALLREDUCE = 64 << 10;
    private static final int KIND_OBJECT = 7;
    /** The low bits of an MPI tag that carry the message's code: its kind, and whether it is framed. */
    static final int CODE_BITS = 4;
    private static final int KIND_MASK = 7;
    /** The code bit of a framed message (a header first); without it the message is the data alone. */
    private static final int FRAMED = 8;
    /**
     * A whole message of a direct buffer of up to this many bytes is sent from the caller's memory: within Open
     * MPI's eager limits (4 KiB on shared memory, 64 KiB on TCP), so MPI takes it without the receiver.
     */
    static final int IN_PLACE = 4 << 10;
    /** The smallest user tag that does not fit the MPI tag beside the code: set by {@link #tagSpace}. */
    private static volatile int tagLimit = (32767 + 1 >>> CODE_BITS) - 1;
    private static final int MAGIC = 0x6d70346a;
    /** The magic of a message whose data is in the sender's {@link Outbox}: its header has the block's offset too. */
    private static final int OUTBOX_MAGIC = 0x6d70346b;
    /** The bytes of an outbox message's header: tag, magic, total, the block's offset. */
    private static final int OUTBOX_HEADER = 24;
    static final int TAG_SCATTER = 1;
    private static final int TAG_GATHER = 2;
    private static final ElementType[] TYPES = ElementType.values();

    private final Intracomm comm;
    /** Tags from this one up travel in the header of a framed message, under this tag (see {@link #tagSpace}). */
    private final int escapeTag;
    private final ReentrantLock lock;
    private final Staging staging;
    private final boolean owned;
    private final int rank;
    private final int size;
    private final List<Held> early = new ArrayList<>();
    private final List<RecvRequest> posted = new ArrayList<>();
    private final List<SendRequest> sending = new ArrayList<>();
    private boolean freed;
    /** The communicator's own buffers for one-frame messages (under the lock); tx is busy while a send holds it. */
    private ByteBuffer tx;
    private ByteBuffer rx;
    private boolean txBusy;
    private Intracomm coll;
    /** The shared-memory area of large bcasts (see {@link NodeArea}); {@code noArea} once none can be made. */
    private NodeArea area;
    private boolean noArea;
    /** The node's outboxes for long messages (the world communicator's, when its ranks share a node), or null. */
    private Outbox outbox;

    OpenMpiComm(Intracomm comm, ReentrantLock lock, Staging staging, boolean owned) {
        this.comm = comm;
        this.lock = lock;
        this.staging = staging;
        this.owned = owned;
        this.escapeTag = tagLimit;
        try {
            this.rank = comm.getRank();
            this.size = comm.getSize();
        } catch (MPIException e) {
            throw fail("MPI_Comm_rank", e);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    // ---------------------------------------------------------------- point to point

    @Override
    public void send(Buf buf, int dest, int tag) {
        start(buf, null, dest, tag, false);
    }

    @Override
    public void sendBytes(byte[] bytes, int dest, int tag) {
        start(Buf.of(bytes), bytes, dest, tag, false);
    }

    @Override
    public BackendRequest isend(Buf buf, int dest, int tag) {
        return start(buf, null, dest, tag, true);
    }

    @Override
    public BackendRequest isendBytes(byte[] bytes, int dest, int tag) {
        return start(Buf.of(bytes), bytes, dest, tag, true);
    }

    private SendRequest start(Buf buf, byte[] object, int dest, int tag, boolean wantRequest) {
        int kind = object != null ? KIND_OBJECT : buf.type().ordinal();
        long total = buf.byteCount();
        lock.lock();
        try {
            open("send");
            if (!sending.isEmpty()) {
                progressSends();
            }
            SendRequest r = message(comm, buf, 0, total, kind, dest, tag);
            return r != null || !wantRequest ? r : new SendRequest(status(dest, tag, total, kind));
        } catch (MPIException e) {
            throw fail("send to rank " + dest, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code total} bytes of {@code buf} from byte {@code from} as one message on {@code c}: whole (the data
     * alone, its element type in the MPI tag) when it is at most {@link #FIRST} bytes and its tag below
     * {@link #escapeTag}, else framed (a header, then the data in frames); the data is copied (or, for a short run of
     * a direct buffer, held by MPI) before this returns. Under the lock.
     *
     * @return null if the message is already sent, else its request (also in {@link #sending}).
     */
    private SendRequest message(Intracomm c, Buf buf, long from, long total, int kind, int dest, int tag)
            throws MPIException {
        if (total <= FIRST && tag < escapeTag) {
            int n = (int) total;
            int wire = tag << CODE_BITS | kind;
            ByteBuffer direct = buf.directBuffer();
            if (direct != null && n <= IN_PLACE) {
                // MPI sends from the caller's memory: an eager message, which MPI's transports take without the
                // receiver, so the wait is only for MPI's own resources
                Request q = c.iSend(slice(direct, (long) buf.offset() * buf.type().size() + from, n), n, MPI.BYTE,
                        dest, wire);
                if (!q.test()) {
                    q.waitFor();
                }
                return null;
            }
            ByteBuffer b0 = txBusy ? staging.take(n) : tx();
            Staging.copyIn(buf, from, b0, 0, n);
            Request q = c.iSend(b0, n, MPI.BYTE, dest, wire);
            if (q.test()) {
                giveBack(b0);
                return null;
            }
            if (b0 == tx) {
                txBusy = true;
            }
            SendRequest r = new SendRequest(status(dest, tag, total, kind));
            r.add(q, b0);
            sending.add(r);
            return r;
        }
        int wire = Math.min(tag, escapeTag) << CODE_BITS | FRAMED | kind;
        SendRequest r = new SendRequest(status(dest, tag, total, kind));
        // the world's outboxes serve its collective twin too (the same ranks): gatherv's blocks
        long block = (c == comm || c == coll) && outbox != null && total <= Outbox.MAX_MESSAGE ? outbox.take(total)
                : -1;
        if (block >= 0) {
            // through the sender's outbox: MPI carries a header naming the block (and keeps the order); the data is
            // copied in after it, so that the receiver copies each chunk out while the next one is copied in
            ByteBuffer h = staging.take(OUTBOX_HEADER);
            header(h, tag, total);
            h.putInt(4, OUTBOX_MAGIC);
            h.putLong(16, block);
            r.add(c.iSend(h, OUTBOX_HEADER, MPI.BYTE, dest, wire), h);
            outbox.fill(block, buf, from, total);
        } else if (total <= FIRST - HEADER) {
            // a tag too large for the MPI tag: one frame, the header and the data
            int n = HEADER + (int) total;
            ByteBuffer b0 = staging.take(n);
            header(b0, tag, total);
            Staging.copyIn(buf, from, b0, HEADER, total);
            r.add(c.iSend(b0, n, MPI.BYTE, dest, wire), b0);
        } else {
            // a header frame, then the data in frames of CHUNK bytes: the receiver copies one out while the next
            // one travels, and every frame fits MPI's int counts
            ByteBuffer h = staging.take(HEADER);
            header(h, tag, total);
            r.add(c.iSend(h, HEADER, MPI.BYTE, dest, wire), h);
            for (long pos = 0; pos < total;) {
                int k = (int) Math.min(total - pos, CHUNK);
                ByteBuffer b = staging.take(k);
                Staging.copyIn(buf, from + pos, b, 0, k);
                r.add(c.iSend(b, k, MPI.BYTE, dest, wire), b);
                pos += k;
            }
        }
        if (!r.progress()) {
            sending.add(r);
        }
        return r;
    }

    private static Status status(int dest, int tag, long total, int kind) {
        return new Status(dest, tag, total, kind == KIND_OBJECT ? null : TYPES[kind]);
    }

    private static void header(ByteBuffer b, int tag, long total) {
        b.putInt(0, tag);
        b.putInt(4, MAGIC);
        b.putLong(8, total);
    }

    private ByteBuffer tx() {
        if (tx == null) {
            tx = staging.take(FIRST);
        }
        return tx;
    }

    /** Returns a staging buffer to the pool, unless it is one of the communicator's own. */
    private void giveBack(ByteBuffer b) {
        if (b != tx && b != rx) {
            staging.give(b);
        }
    }

    private ByteBuffer rx() {
        if (rx == null) {
            rx = staging.take(FIRST);
        }
        return rx;
    }

    @Override
    public Status recv(Buf buf, int source, int tag, long deadlineNanos) throws TimeoutException {
        return receive(buf, null, source, tag, deadlineNanos, "recv");
    }

    @Override
    public byte[] recvBytes(int source, int tag, Status status, long deadlineNanos) throws TimeoutException {
        byte[][] out = new byte[1][];
        Status s = receive(null, out, source, tag, deadlineNanos, "recv");
        if (status != null) {
            status.set(s.source(), s.tag(), s.byteCount(), s.type());
        }
        return out[0];
    }

    /**
     * Receives the next message matching (source, tag) into {@code buf} (or, when it is null, a new array in
     * {@code out[0]}): a held one first, else straight from MPI without a probe: the first frame into the
     * communicator's receive buffer ({@link #FIRST} bytes: no first frame is longer), the others as they come.
     */
    private Status receive(Buf buf, byte[][] out, int source, int tag, long deadlineNanos, String op)
            throws TimeoutException {
        return (Status) next(source, tag, deadlineNanos, op, buf, out, false);
    }

    /**
     * Waits for the next message matching (source, tag), held ones first, and receives it: delivered into
     * {@code buf} or {@code out} (returns its {@link Status}), or, with {@code hold}, into staging buffers (returns
     * the {@link Held} message, for {@code probe}). MPI is asked for the next message from the source with any tag
     * (the tag carries the element type, so MPI cannot match the user's tag): one for another tag is held for a later
     * receive, and the wait goes on. Without a deadline and with no nonblocking receive posted it blocks in MPI
     * (which also progresses the pending sends); else it polls with {@code MPI_Iprobe}.
     */
    private Object next(int source, int tag, long deadlineNanos, String op, Buf buf, byte[][] out, boolean hold)
            throws TimeoutException {
        lock.lock();
        try {
            open(op);
            progress();
            Held h = findEarly(source, tag, true);
            if (h != null) {
                return hold ? h : deliver(h, buf, op, out);
            }
            if (deadlineNanos == Long.MAX_VALUE && posted.isEmpty()) {
                while (true) {
                    Object got = fromMpi(null, source, tag, buf, out, op, hold);
                    if (got != null) {
                        return got;
                    }
                }
            }
        } catch (MPIException e) {
            throw fail(op + " from rank " + source, e);
        } finally {
            lock.unlock();
        }
        Backoff idle = new Backoff(1_000);
        while (true) {
            lock.lock();
            try {
                progress();
                Held h = findEarly(source, tag, true);
                if (h != null) {
                    return hold ? h : deliver(h, buf, op, out);
                }
                mpi.Status st = comm.iProbe(mpiSource(source), MPI.ANY_TAG);
                if (st != null) {
                    Object got = fromMpi(st, source, tag, buf, out, op, hold);
                    if (got != null) {
                        return got;
                    }
                    continue; // another tag's message, now held: look again at once
                }
            } catch (MPIException e) {
                throw fail(op + " from rank " + source, e);
            } finally {
                lock.unlock();
            }
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                throw new TimeoutException(op + ": no message from " + (source == ANY_SOURCE ? "any rank" : "rank " + source)
                        + " with " + (tag == ANY_TAG ? "any tag" : "tag " + tag) + " before the deadline");
            }
            idle.idle();
        }
    }

    /**
     * Receives the next message from MPI ({@code probed}'s, or, when null, the next from the source with any tag,
     * blocking), as {@link #next} says: its result if the message has the wanted tag, else null (the message is
     * held).
     */
    private Object fromMpi(mpi.Status probed, int source, int tag, Buf buf, byte[][] out, String op, boolean hold)
            throws MPIException {
        if (hold) {
            Held h = pull(probed != null ? probed : comm.probe(mpiSource(source), MPI.ANY_TAG));
            if (tag == ANY_TAG || h.tag == tag) {
                return h;
            }
            early.add(h);
            return null;
        }
        int src = probed != null ? probed.getSource() : mpiSource(source);
        int wire = probed != null ? probed.getTag() : MPI.ANY_TAG;
        ByteBuffer b = rx();
        mpi.Status st = comm.recv(b, FIRST, MPI.BYTE, src, wire);
        if (tag == ANY_TAG || userTag(st, b) == tag) {
            return arrive(comm, st, b, buf, 0, buf == null ? 0 : buf.byteCount(), op, out);
        }
        early.add(held(comm, st, b, false));
        return null;
    }

    /** The user's tag of a message whose first frame arrived in {@code b0} with status {@code st}. */
    private static int userTag(mpi.Status st, ByteBuffer b0) {
        int wire = st.getTag();
        return (wire & FRAMED) == 0 ? wire >>> CODE_BITS : b0.getInt(0);
    }

    /**
     * Finishes receiving a message on {@code c} whose first frame arrived in {@code b0} (MPI's status {@code st}),
     * into {@code room} bytes of {@code buf} from byte {@code at} (or, when {@code buf} is null, a new array in
     * {@code out[0]}): checks it against what the receive wanted, receives its other frames (each copied out as it
     * arrives; all of them consumed even when the message is refused) and returns its status. Under the lock.
     */
    private Status arrive(Intracomm c, mpi.Status st, ByteBuffer b0, Buf buf, long at, long room, String op,
            byte[][] out) throws MPIException {
        int src = st.getSource();
        int wire = st.getTag();
        int kind = wire & KIND_MASK;
        int tag;
        long total;
        int dataAt;
        long first;
        if ((wire & FRAMED) == 0) {
            tag = wire >>> CODE_BITS;
            total = bytes(st);
            dataAt = 0;
            first = total;
        } else {
            // no MPI_Get_count: the header tells the length, and whether the data is in this frame
            tag = b0.getInt(0);
            total = b0.getLong(8);
            int magic = b0.getInt(4);
            if (magic == OUTBOX_MAGIC && outbox != null) {
                b0.putInt(4, 0);
                long block = b0.getLong(16);
                MpiException refused = refusal(op, src, tag, kind, total, buf == null ? null : buf.type(), room);
                Buf into = buf;
                if (refused == null && buf == null) {
                    byte[] a = new byte[(int) total];
                    out[0] = a;
                    into = Buf.of(a);
                }
                outbox.drain(src, block, total, refused == null ? into : null, at);
                if (refused != null) {
                    throw refused;
                }
                return new Status(src, tag, total, kind == KIND_OBJECT ? null : TYPES[kind]);
            }
            if (magic != MAGIC || total < 0) {
                throw notFramed(src, wire, st.getCount(MPI.BYTE));
            }
            b0.putInt(4, 0); // a stale header is never taken for the next message's
            dataAt = HEADER;
            first = total <= FIRST - HEADER ? total : 0;
        }
        MpiException refused = refusal(op, src, tag, kind, total, buf == null ? null : buf.type(), room);
        Buf into = buf;
        if (refused == null && buf == null) {
            byte[] a = new byte[(int) total];
            out[0] = a;
            into = Buf.of(a);
        }
        if (refused == null) {
            Staging.copyOut(b0, dataAt, into, at, first);
        }
        if (first < total) {
            ByteBuffer b = staging.take(Math.min(total - first, CHUNK));
            try {
                for (long pos = first; pos < total;) {
                    int k = (int) Math.min(total - pos, CHUNK);
                    c.recv(b, k, MPI.BYTE, src, wire);
                    if (refused == null) {
                        Staging.copyOut(b, 0, into, at + pos, k);
                    }
                    pos += k;
                }
            } finally {
                staging.give(b);
            }
        }
        if (refused != null) {
            throw refused;
        }
        return new Status(src, tag, total, kind == KIND_OBJECT ? null : TYPES[kind]);
    }

    private static MpiException notFramed(int src, int wire, int n0) {
        return new MpiException("recv: rank " + src + " sent a message (" + n0 + " bytes, MPI tag " + wire
                + ") that multiproc4j did not frame: is every rank running on the openmpi backend?");
    }

    @Override
    public BackendRequest irecv(Buf buf, int source, int tag) {
        return post(new RecvRequest(buf, source, tag));
    }

    @Override
    public BackendRequest irecvBytes(int source, int tag) {
        return post(new RecvRequest(null, source, tag));
    }

    private RecvRequest post(RecvRequest r) {
        lock.lock();
        try {
            open("irecv");
            posted.add(r);
            progress();
            return r;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Status iprobe(int source, int tag) {
        lock.lock();
        try {
            open("iprobe");
            progress();
            Held h = findEarly(source, tag, false);
            while (h == null) {
                // MPI cannot match the user's tag (the tag carries the element type): messages with other tags are
                // pulled and held, in order, until one matches or none is left
                mpi.Status st = comm.iProbe(mpiSource(source), MPI.ANY_TAG);
                if (st == null) {
                    return null;
                }
                Held p = pull(st);
                early.add(p);
                if (tag == ANY_TAG || p.tag == tag) {
                    h = p;
                }
            }
            return h.status();
        } catch (MPIException e) {
            throw fail("iprobe", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Status probe(int source, int tag, long deadlineNanos) throws TimeoutException {
        lock.lock();
        try {
            open("probe");
            progress();
            Held h = findEarly(source, tag, false);
            if (h != null) {
                return h.status();
            }
        } finally {
            lock.unlock();
        }
        Held h = (Held) next(source, tag, deadlineNanos, "probe", null, null, true);
        lock.lock();
        try {
            early.add(h); // pulled from MPI: later than every message already held
        } finally {
            lock.unlock();
        }
        return h.status();
    }

    private Held findEarly(int source, int tag, boolean remove) {
        for (int i = 0; i < early.size(); i++) {
            Held h = early.get(i);
            if ((source == ANY_SOURCE || h.source == source) && (tag == ANY_TAG || h.tag == tag)) {
                return remove ? early.remove(i) : h;
            }
        }
        return null;
    }

    /** Receives the message whose first frame MPI probed: every frame, into staging buffers. Under the lock. */
    private Held pull(mpi.Status probed) throws MPIException {
        int n0 = bytes(probed);
        ByteBuffer b0 = staging.take(n0);
        mpi.Status st = comm.recv(b0, n0, MPI.BYTE, probed.getSource(), probed.getTag());
        return held(comm, st, b0, true);
    }

    /**
     * The message whose first frame arrived in {@code b0} (status {@code st}), with its other frames received from
     * {@code c}, as a {@link Held} message in staging buffers: {@code b0} itself when {@code own}, else a copy of
     * its data. Under the lock.
     */
    private Held held(Intracomm c, mpi.Status st, ByteBuffer b0, boolean own) throws MPIException {
        int src = st.getSource();
        int wire = st.getTag();
        int kind = wire & KIND_MASK;
        int n0 = bytes(st);
        Held h;
        int dataAt;
        if ((wire & FRAMED) == 0) {
            h = new Held(src, wire >>> CODE_BITS, kind, n0);
            dataAt = 0;
        } else {
            int magic = n0 < HEADER ? 0 : b0.getInt(4);
            if (magic == OUTBOX_MAGIC && outbox != null && n0 == OUTBOX_HEADER) {
                // held: the data is copied out of the sender's outbox at once, which frees its block
                b0.putInt(4, 0);
                h = new Held(src, b0.getInt(0), kind, b0.getLong(8));
                ByteBuffer copy = staging.take(h.total);
                outbox.drainTo(src, b0.getLong(16), h.total, copy);
                if (own) {
                    staging.give(b0);
                }
                h.add(copy, 0, (int) h.total);
                return h;
            }
            if (magic != MAGIC) {
                if (own) {
                    staging.give(b0);
                }
                throw notFramed(src, wire, n0);
            }
            b0.putInt(4, 0);
            h = new Held(src, b0.getInt(0), kind, b0.getLong(8));
            dataAt = HEADER;
        }
        int len = n0 - dataAt;
        if (own) {
            h.add(b0, dataAt, len);
        } else {
            ByteBuffer copy = staging.take(len);
            Staging.copy(null, Staging.address(b0) + dataAt, null, Staging.address(copy), len);
            h.add(copy, 0, len);
        }
        for (long pos = len; pos < h.total;) {
            int k = (int) Math.min(h.total - pos, CHUNK);
            ByteBuffer b = staging.take(k);
            c.recv(b, k, MPI.BYTE, src, wire);
            h.add(b, 0, k);
            pos += k;
        }
        return h;
    }

    /** Checks a held message against what the receive wanted, copies it out and releases its frames. */
    private Status deliver(Held h, Buf buf, String op, byte[][] bytesOut) {
        try {
            MpiException refused = refusal(op, h.source, h.tag, h.kind, h.total, buf == null ? null : buf.type(),
                    buf == null ? 0 : buf.byteCount());
            if (refused != null) {
                throw refused;
            }
            if (buf == null) {
                byte[] out = new byte[(int) h.total];
                h.copyTo(Buf.of(out));
                bytesOut[0] = out;
            } else {
                h.copyTo(buf);
            }
            return h.status();
        } finally {
            h.release(staging);
        }
    }

    /**
     * Why a message of this kind and length cannot be received into {@code room} bytes of {@code want} elements
     * (null: an object is expected), or null.
     */
    static MpiException refusal(String op, int source, int tag, int kind, long total, ElementType want,
            long room) {
        ElementType type = kind == KIND_OBJECT ? null : TYPES[kind];
        if (want == null) {
            if (type != null) {
                return new MpiException(op + ": expected an object message but rank " + source + " sent "
                        + total / type.size() + " " + type + " elements with tag " + tag + " (receive it into a Buf)");
            }
            if (total > Integer.MAX_VALUE - 8) {
                return new MpiException(op + ": object message of " + total + " bytes from rank " + source
                        + " is too large for one array");
            }
        } else if (type == null) {
            return new MpiException(op + ": rank " + source + " sent an object message (" + total
                    + " bytes) with tag " + tag + " but the receive buffer holds " + want
                    + " elements (receive it as an object)");
        } else if (type != want) {
            return new MpiException(op + ": rank " + source + " sent " + type + " elements with tag " + tag
                    + " but the receive buffer holds " + want + " elements");
        } else if (total > room) {
            return new MpiException(op + ": message truncated: rank " + source + " sent " + total / type.size()
                    + " " + type + " elements with tag " + tag + " but the receive buffer holds " + room / type.size());
        }
        return null;
    }

    /** Completes the sends that can complete and matches posted receives, in order. Under the lock. */
    private void progress() {
        if (!sending.isEmpty()) {
            progressSends();
        }
        if (!posted.isEmpty()) {
            Iterator<RecvRequest> it = posted.iterator();
            while (it.hasNext()) {
                RecvRequest r = it.next();
                try {
                    Held h = findEarly(r.source, r.tag, true);
                    while (h == null) {
                        mpi.Status st = comm.iProbe(mpiSource(r.source), MPI.ANY_TAG);
                        if (st == null) {
                            break;
                        }
                        Held p = pull(st);
                        if (r.tag == ANY_TAG || p.tag == r.tag) {
                            h = p;
                        } else {
                            early.add(p); // for a later receive
                        }
                    }
                    if (h != null) {
                        it.remove();
                        r.complete(h);
                    }
                } catch (MPIException | MpiException e) {
                    it.remove();
                    r.error = e instanceof MpiException ? (MpiException) e : fail("irecv", (MPIException) e);
                    r.done = true;
                }
            }
        }
    }

    private void progressSends() {
        sending.removeIf(SendRequest::progress);
    }

    /** Waits until every send of this communicator completed (before {@code MPI_Finalize}). Under the lock. */
    void completeSends() {
        Backoff idle = new Backoff(1_000);
        while (!sending.isEmpty()) {
            progress();
            if (!sending.isEmpty()) {
                idle.idle();
            }
        }
    }

    // ---------------------------------------------------------------- collectives

    @Override
    public void barrier() {
        lock.lock();
        try {
            open("barrier");
            progress();
            comm.barrier();
        } catch (MPIException e) {
            throw fail("barrier", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void bcast(Buf buf, int root) {
        long bytes = buf.byteCount();
        int es = buf.type().size();
        int step = step(es);
        Datatype dt = datatype(buf.type());
        if (bytes >= NODE_BCAST && size > 1 && bcastOnNode(buf, root)) {
            return;
        }
        ByteBuffer direct = buf.directBuffer();
        if (direct != null) {
            bcastDirect(buf, direct, es, step, dt, root);
            return;
        }
        lock.lock();
        ByteBuffer b = null;
        try {
            open("bcast");
            progress();
            // in chunks: the staging buffer stays in cache, and the root stages chunk k+1 while the others copy
            // chunk k out
            b = bytes <= FIRST && !txBusy ? tx() : staging.take(Math.min(bytes, step));
            for (long pos = 0; pos < bytes;) {
                int k = (int) Math.min(bytes - pos, step);
                if (rank == root) {
                    Staging.copyIn(buf, pos, b, 0, k);
                }
                comm.bcast(b, k / es, dt, root);
                if (rank != root) {
                    Staging.copyOut(b, 0, buf, pos, k);
                }
                pos += k;
            }
        } catch (MPIException e) {
            throw fail("bcast", e);
        } finally {
            giveBack(b);
            lock.unlock();
        }
    }

    /**
     * {@code bcast} through the communicator's {@link NodeArea} when its ranks share a node (made at the first such
     * bcast, which every rank calls with the same byte count, so all make it or find there is none together).
     *
     * @return false if there is no area: MPI does it.
     */
    private boolean bcastOnNode(Buf buf, int root) {
        lock.lock();
        try {
            open("bcast");
            progress();
            NodeArea a = area();
            if (a == null) {
                return false;
            }
            a.bcast(buf, root);
            return true;
        } catch (MPIException e) {
            throw fail("bcast", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code allreduce} with a built-in operation through the communicator's {@link NodeArea} when its ranks share a
     * node (every rank calls it with the same byte count and operation, so all take this path or none).
     *
     * @return false if there is no area: MPI does it.
     */
    private boolean allreduceOnNode(Buf send, Buf recv, Op op) {
        lock.lock();
        try {
            open("allreduce");
            progress();
            NodeArea a = area();
            if (a == null) {
                return false;
            }
            a.allreduce(send, recv, op);
            return true;
        } catch (MPIException e) {
            throw fail("allreduce", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the outboxes of this communicator for long point-to-point messages when its ranks share a node
     * (collective: every rank calls it when the communicator is made).
     *
     * @return the outboxes, or null if the ranks do not share a node.
     */
    Outbox openOutbox() {
        lock.lock();
        try {
            outbox = size > 1 ? Outbox.open(comm, rank, size) : null;
            return outbox;
        } catch (MPIException e) {
            throw fail("the outboxes' set-up", e);
        } finally {
            lock.unlock();
        }
    }

    /** Uses outboxes made by {@link #openOutbox()} of another object for the same MPI communicator. */
    void useOutbox(Outbox o) {
        lock.lock();
        try {
            outbox = o;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this communicator has its {@link Outbox}es (for tests). */
    boolean hasOutbox() {
        lock.lock();
        try {
            return outbox != null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this communicator has its {@link NodeArea} (for tests). */
    boolean hasNodeArea() {
        lock.lock();
        try {
            return area != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The communicator's {@link NodeArea}, made by the first call (collective: every rank calls this in the same
     * collective), or null if its ranks do not share a node. Under the lock.
     */
    private NodeArea area() throws MPIException {
        if (area == null && !noArea && size > 1) {
            area = NodeArea.open(comm, rank, size);
            noArea = area == null;
        }
        return area;
    }

    /**
     * {@code bcast} of a direct buffer: MPI reads and writes the caller's memory itself, with no staging copy, in
     * the chunks of {@code step} bytes of the staged form (MPI needs the same counts on every rank, and another
     * rank may pass an array); the bindings take a direct buffer's address as it is, so each chunk is a slice that
     * starts at its first byte.
     */
    private void bcastDirect(Buf buf, ByteBuffer direct, int es, int step, Datatype dt, int root) {
        long bytes = buf.byteCount();
        long start = (long) buf.offset() * es;
        lock.lock();
        try {
            open("bcast");
            progress();
            for (long pos = 0; pos < bytes;) {
                int k = (int) Math.min(bytes - pos, step);
                comm.bcast(slice(direct, start + pos, k), k / es, dt, root);
                pos += k;
            }
        } catch (MPIException e) {
            throw fail("bcast", e);
        } finally {
            lock.unlock();
        }
    }

    /** {@code k} bytes of a direct buffer from byte {@code at}, as a buffer that starts there. */
    private static ByteBuffer slice(ByteBuffer direct, long at, int k) {
        if (at == 0 && k == direct.capacity()) {
            return direct;
        }
        return direct.duplicate().clear().position((int) at).limit((int) at + k).slice();
    }

    @Override
    public void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        int es = recv.type().size();
        lock.lock();
        try {
            open("scatterv");
            progress();
            NodeArea a = area();
            if (a != null) {
                a.scatterv(send, counts, displs, recv, root);
                return;
            }
            // framed messages from the root on the communicator's collective twin: only the root knows every
            // count, and each rank's block travels in chunks that it copies out while the next one arrives
            Intracomm c = coll();
            if (rank == root) {
                List<SendRequest> blocks = new ArrayList<>(size);
                for (int r = 0; r < size; r++) {
                    if (r != root) {
                        blocks.add(message(c, send, (long) displs[r] * es, (long) counts[r] * es,
                                send.type().ordinal(), r, TAG_SCATTER));
                    }
                }
                Mem.copy(Mem.base(send), Mem.address(send) + (long) displs[root] * es, Mem.base(recv),
                        Mem.address(recv), (long) counts[root] * es);
                for (SendRequest r : blocks) {
                    finish(r);
                }
            } else {
                ByteBuffer b = rx();
                // any tag: the twin carries only these collectives' messages, in the order of the collectives
                arrive(c, c.recv(b, FIRST, MPI.BYTE, root, MPI.ANY_TAG), b, recv, 0, recv.byteCount(), "scatterv",
                        null);
            }
        } catch (MPIException e) {
            throw fail("scatterv", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        int es = send.type().size();
        lock.lock();
        try {
            open("gatherv");
            progress();
            // framed messages to the root on the collective twin, each copied into place as its chunks arrive
            Intracomm c = coll();
            if (rank == root) {
                MpiException refused = null;
                for (int r = 0; r < size; r++) {
                    if (r != root) {
                        ByteBuffer b = rx();
                        try {
                            arrive(c, c.recv(b, FIRST, MPI.BYTE, r, MPI.ANY_TAG), b, recv, (long) displs[r] * es,
                                    (long) counts[r] * es, "gatherv", null);
                        } catch (MpiException e) {
                            // the others' blocks are still received, so that the next gatherv finds none of these
                            refused = refused == null ? e : refused;
                        }
                    }
                }
                if (refused != null) {
                    throw refused;
                }
                Mem.copy(Mem.base(send), Mem.address(send), Mem.base(recv),
                        Mem.address(recv) + (long) displs[root] * es, (long) counts[root] * es);
            } else {
                finish(message(c, send, 0, send.byteCount(), send.type().ordinal(), root, TAG_GATHER));
            }
        } catch (MPIException e) {
            throw fail("gatherv", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits in MPI until a send of a collective completed (as MPI's own collective would, rather than leaving it to
     * the next call: a peer on another host needs this rank's progress to get the data). Under the lock.
     */
    private void finish(SendRequest r) throws MPIException {
        if (r != null) {
            r.complete();
            sending.remove(r);
        }
    }

    /** The twin of this communicator that carries scatterv's and gatherv's messages: made by the first of them. */
    private Intracomm coll() throws MPIException {
        if (coll == null) {
            coll = size == 1 ? comm : comm.dup();
        }
        return coll;
    }

    @Override
    public void allgatherv(Buf send, Buf recv, int[] counts, int[] displs) {
        ElementType type = recv.type();
        int es = type.size();
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open("allgatherv");
            progress();
            sb = stage("allgatherv", "the send buffer", send.byteCount());
            Staging.copyIn(send, 0, sb, 0, send.byteCount());
            rb = stage("allgatherv", "the receive buffer", recv.byteCount());
            comm.allGatherv(sb, send.count(), datatype(type), rb, counts, displs, datatype(type));
            copyBlocksOut(rb, recv, counts, displs, es);
        } catch (MPIException e) {
            throw fail("allgatherv", e);
        } finally {
            staging.give(sb);
            staging.give(rb);
            lock.unlock();
        }
    }

    @Override
    public void alltoallv(Buf send, int[] scounts, int[] sdispls, Buf recv, int[] rcounts, int[] rdispls) {
        ElementType type = recv.type();
        int es = type.size();
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open("alltoallv");
            progress();
            sb = stage("alltoallv", "the send buffer", send.byteCount());
            Staging.copyIn(send, 0, sb, 0, send.byteCount());
            rb = stage("alltoallv", "the receive buffer", recv.byteCount());
            comm.allToAllv(sb, scounts, sdispls, datatype(type), rb, rcounts, rdispls, datatype(type));
            copyBlocksOut(rb, recv, rcounts, rdispls, es);
        } catch (MPIException e) {
            throw fail("alltoallv", e);
        } finally {
            staging.give(sb);
            staging.give(rb);
            lock.unlock();
        }
    }

    @Override
    public void reduce(Buf send, Buf recv, Op op, int root) {
        reduction("reduce", send, recv, op, root);
    }

    @Override
    public void allreduce(Buf send, Buf recv, Op op) {
        reduction("allreduce", send, recv, op, -1);
    }

    @Override
    public void scan(Buf send, Buf recv, Op op) {
        reduction("scan", send, recv, op, -2);
    }

    @Override
    public void exscan(Buf send, Buf recv, Op op) {
        reduction("exscan", send, recv, op, -3);
    }

    /** root: a rank for reduce, -1 allreduce, -2 scan, -3 exscan. */
    private void reduction(String name, Buf send, Buf recv, Op op, int root) {
        ElementType type = send.type();
        long bytes = send.byteCount();
        mpi.Op mop = builtin(op);
        if (mop == null) {
            generic(name, send, recv, op, root);
            return;
        }
        int es = type.size();
        int step = step(es);
        if (root == -1 && bytes >= NODE_ALLREDUCE && size > 1 && allreduceOnNode(send, recv, op)) {
            return;
        }
        if (inPlace(send, recv, root)) {
            reductionDirect(name, send, recv, mop, root, es, step);
            return;
        }
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open(name);
            progress();
            // element by element, so in chunks: both staging buffers stay in cache, and any length fits MPI's counts
            boolean small = bytes <= FIRST && !txBusy;
            sb = small ? tx() : staging.take(Math.min(bytes, step));
            rb = small ? rx() : staging.take(Math.min(bytes, step));
            Datatype dt = datatype(type);
            boolean out = root >= 0 ? rank == root : root != -3 || rank != 0;
            for (long pos = 0; pos < bytes;) {
                int k = (int) Math.min(bytes - pos, step);
                int n = k / es;
                Staging.copyIn(send, pos, sb, 0, k);
                if (root >= 0) {
                    comm.reduce(sb, rb, n, dt, mop, root);
                } else if (root == -1) {
                    comm.allReduce(sb, rb, n, dt, mop);
                } else if (root == -2) {
                    comm.scan(sb, rb, n, dt, mop);
                } else {
                    comm.exScan(sb, rb, n, dt, mop);
                }
                if (out) {
                    Staging.copyOut(rb, 0, recv, pos, k);
                }
                pos += k;
            }
        } catch (MPIException e) {
            throw fail(name, e);
        } finally {
            giveBack(sb);
            giveBack(rb);
            lock.unlock();
        }
    }

    /**
     * Whether a reduction can run on the caller's buffers themselves: both direct and not overlapping (MPI forbids
     * aliased buffers), and not an {@code exscan} (whose rank 0 must find its receive buffer untouched, which MPI
     * does not promise).
     */
    private static boolean inPlace(Buf send, Buf recv, int root) {
        if (root == -3 || recv == null || send.directBuffer() == null || recv.directBuffer() == null) {
            return false;
        }
        long s = Mem.address(send);
        long r = Mem.address(recv);
        return s + send.byteCount() <= r || r + recv.byteCount() <= s;
    }

    /**
     * A reduction with a built-in operation on two direct buffers: MPI reads and writes the caller's memory, with no
     * staging copy, in the chunks of {@code step} bytes of the staged form (the same counts on every rank, as MPI
     * needs, whichever form another rank passes).
     */
    private void reductionDirect(String name, Buf send, Buf recv, mpi.Op mop, int root, int es, int step) {
        long bytes = send.byteCount();
        long s0 = (long) send.offset() * es;
        long r0 = (long) recv.offset() * es;
        ByteBuffer sd = send.directBuffer();
        ByteBuffer rd = recv.directBuffer();
        Datatype dt = datatype(send.type());
        lock.lock();
        try {
            open(name);
            progress();
            for (long pos = 0; pos < bytes;) {
                int k = (int) Math.min(bytes - pos, step);
                int n = k / es;
                ByteBuffer sb = slice(sd, s0 + pos, k);
                ByteBuffer rb = slice(rd, r0 + pos, k);
                if (root >= 0) {
                    comm.reduce(sb, rb, n, dt, mop, root);
                } else if (root == -1) {
                    comm.allReduce(sb, rb, n, dt, mop);
                } else {
                    comm.scan(sb, rb, n, dt, mop);
                }
                pos += k;
            }
        } catch (MPIException e) {
            throw fail(name, e);
        } finally {
            lock.unlock();
        }
    }

    /** Location and user operations: every contribution to rank 0 (or the root), applied there in rank order. */
    private void generic(String name, Buf send, Buf recv, Op op, int root) {
        ElementType type = send.type();
        int count = send.count();
        long bytes = send.byteCount();
        int at = root >= 0 ? root : 0;
        Datatype dt = datatype(type);
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer all = null;
        ByteBuffer rb = null;
        try {
            open(name);
            progress();
            sb = stage(name, bytes);
            Staging.copyIn(send, 0, sb, 0, bytes);
            all = stage(name, bytes * size);
            comm.gather(sb, count, dt, all, count, dt, at);
            rb = stage(name, bytes);
            Object acc = type.newArray(count);
            Object next = type.newArray(count);
            if (rank == at) {
                Staging.copyOut(all, 0, Buf.ofArray(acc), 0, bytes);
                if (root < -1) {
                    // prefixes: block r of `all` becomes the scan (or exscan) result of rank r
                    ByteBuffer prefixes = all;
                    for (int r = 1; r < size; r++) {
                        Staging.copyOut(prefixes, (int) (r * bytes), Buf.ofArray(next), 0, bytes);
                        if (root == -3) {
                            Staging.copyIn(Buf.ofArray(acc), 0, prefixes, (int) (r * bytes), bytes);
                        }
                        op.apply(type, acc, 0, next, 0, count);
                        if (root == -2) {
                            Staging.copyIn(Buf.ofArray(acc), 0, prefixes, (int) (r * bytes), bytes);
                        }
                    }
                } else {
                    for (int r = 1; r < size; r++) {
                        Staging.copyOut(all, (int) (r * bytes), Buf.ofArray(next), 0, bytes);
                        op.apply(type, acc, 0, next, 0, count);
                    }
                    Staging.copyIn(Buf.ofArray(acc), 0, rb, 0, bytes);
                }
            }
            if (root >= 0) {
                if (rank == root) {
                    Staging.copyOut(rb, 0, recv, 0, bytes);
                }
            } else if (root == -1) {
                comm.bcast(rb, count, dt, 0);
                Staging.copyOut(rb, 0, recv, 0, bytes);
            } else {
                comm.scatter(all, count, dt, rb, count, dt, 0);
                if (root == -2 || rank != 0) {
                    Staging.copyOut(rb, 0, recv, 0, bytes);
                }
            }
        } catch (MPIException e) {
            throw fail(name, e);
        } finally {
            staging.give(sb);
            staging.give(all);
            staging.give(rb);
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- communicators

    @Override
    public CommBackend dup() {
        lock.lock();
        try {
            open("dup");
            progress();
            OpenMpiComm c = new OpenMpiComm(comm.dup(), lock, staging, true);
            OpenMpiSession.register(c);
            return c;
        } catch (MPIException e) {
            throw fail("dup", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CommBackend split(int color, int key) {
        lock.lock();
        try {
            open("split");
            progress();
            Intracomm c = comm.split(color < 0 ? MPI.UNDEFINED : color, key);
            if (color < 0 || c == null || c.isNull()) {
                return null;
            }
            OpenMpiComm s = new OpenMpiComm(c, lock, staging, true);
            OpenMpiSession.register(s);
            return s;
        } catch (MPIException e) {
            throw fail("split", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void free() {
        lock.lock();
        try {
            if (freed) {
                return;
            }
            completeSends();
            freed = true;
            staging.give(tx);
            staging.give(rx);
            tx = null;
            rx = null;
            if (coll != null && coll != comm) {
                coll.free();
            }
            if (area != null) {
                area.close();
                area = null;
            }
            if (owned) {
                comm.free();
            }
        } catch (MPIException e) {
            throw fail("free", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "openmpi communicator, rank " + rank + " of " + size;
    }

    // ---------------------------------------------------------------- helpers

    private void open(String op) {
        if (freed) {
            throw new MpiException(op + ": the communicator was freed");
        }
    }

    private ByteBuffer stage(String op, long bytes) {
        return stage(op, "a buffer", bytes);
    }

    private ByteBuffer stage(String op, String what, long bytes) {
        if (bytes > Staging.MAX) {
            throw new MpiException(op + ": " + what + " spans " + bytes + " bytes, over the openmpi backend's limit of "
                    + Staging.MAX + " bytes (1 GiB) for " + op + ", which stages each buffer whole through one direct"
                    + " buffer; split it into several calls (send/recv, bcast, scatterv, gatherv and the reductions"
                    + " with built-in operations take any length)");
        }
        return staging.take(bytes);
    }

    /** The bytes a staging buffer needs to hold every block: the end of the last one. */
    private static long extent(int[] counts, int[] displs, int es) {
        long end = 0;
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                end = Math.max(end, ((long) displs[r] + counts[r]) * es);
            }
        }
        return end;
    }

    /** The bytes of one chunk of a chunked collective: {@link #COLL_CHUNK}, whole elements. */
    private static int step(int es) {
        return COLL_CHUNK / es * es;
    }

    private void copyBlocksOut(ByteBuffer from, Buf to, int[] counts, int[] displs, int es) {
        for (int r = 0; r < counts.length; r++) {
            long at = (long) displs[r] * es;
            Staging.copyOut(from, (int) at, to, at, (long) counts[r] * es);
        }
    }

    private static int mpiSource(int source) {
        return source == ANY_SOURCE ? MPI.ANY_SOURCE : source;
    }

    /**
     * Sets the tag space from MPI's {@code MPI_TAG_UB} (at least 32767), before any communicator is made: a message
     * goes under MPI tag {@code tag << CODE_BITS | code}, so user tags below {@code (MPI_TAG_UB + 1) / 16 - 1}
     * (2<sup>27</sup> - 1 with Open MPI's {@code ob1}) travel in the MPI tag; larger ones travel in a header, under
     * the largest of those MPI tags.
     *
     * @param tagUb the largest tag MPI allows.
     */
    static void tagSpace(int tagUb) {
        tagLimit = (int) (((long) Math.max(tagUb, 32767) + 1) >>> CODE_BITS) - 1;
    }

    /** The first user tag that travels in a header instead of the MPI tag (for tests). */
    static int tagLimit() {
        return tagLimit;
    }

    /**
     * The bytes MPI received, from the status' own fields ({@code MPI_Get_count} of {@code MPI_BYTE} is a call into
     * the JNI library; the bindings keep the status' byte count beside its source and tag). Falls back to the call
     * where those fields cannot be read (see {@link StatusBytes}).
     */
    static int bytes(mpi.Status st) throws MPIException {
        return StatusBytes.of(st);
    }

    static Datatype datatype(ElementType t) {
        switch (t) {
            case BYTE: return MPI.BYTE;
            case SHORT: return MPI.SHORT;
            case CHAR: return MPI.CHAR;
            case INT: return MPI.INT;
            case LONG: return MPI.LONG;
            case FLOAT: return MPI.FLOAT;
            default: return MPI.DOUBLE;
        }
    }

    /** The bridge's built-in operations and MPI's; the others (location, user) are applied by {@link #generic}. */
    private static final Map<Op, mpi.Op> BUILTIN = builtins();

    private static Map<Op, mpi.Op> builtins() {
        Map<Op, mpi.Op> m = new IdentityHashMap<>();
        Op[] ours = {Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.LAND, Op.LOR, Op.LXOR, Op.BAND, Op.BOR, Op.BXOR};
        mpi.Op[] theirs = {MPI.SUM, MPI.PROD, MPI.MIN, MPI.MAX, MPI.LAND, MPI.LOR, MPI.LXOR, MPI.BAND, MPI.BOR, MPI.BXOR};
        for (int i = 0; i < ours.length; i++) {
            m.put(ours[i], theirs[i]);
        }
        return m;
    }

    private static mpi.Op builtin(Op op) {
        return BUILTIN.get(op);
    }

    private MpiException fail(String op, MPIException e) {
        return new MpiException(op + " on rank " + rank + " failed in Open MPI: " + e.getMessage());
    }

    /** A message received from MPI, in staging buffers, not yet delivered. */
    private static final class Held {
        final int source;
        final int tag;
        final int kind;
        final long total;
        final List<ByteBuffer> frames = new ArrayList<>(1);
        final List<int[]> spans = new ArrayList<>(1);

        Held(int source, int tag, int kind, long total) {
            this.source = source;
            this.tag = tag;
            this.kind = kind;
            this.total = total;
        }

        void add(ByteBuffer b, int at, int len) {
            frames.add(b);
            spans.add(new int[] {at, len});
        }

        Status status() {
            return new Status(source, tag, total, kind == KIND_OBJECT ? null : TYPES[kind]);
        }

        void copyTo(Buf dst) {
            long pos = 0;
            for (int i = 0; i < frames.size(); i++) {
                int[] s = spans.get(i);
                Staging.copyOut(frames.get(i), s[0], dst, pos, s[1]);
                pos += s[1];
            }
        }

        void release(Staging staging) {
            for (ByteBuffer b : frames) {
                staging.give(b);
            }
            frames.clear();
        }
    }

    /** A send in progress: its MPI requests and staging buffers. */
    private final class SendRequest implements BackendRequest {
        private final Status status;
        private final List<Request> requests = new ArrayList<>(1);
        private final List<ByteBuffer> buffers = new ArrayList<>(1);
        private boolean done;

        SendRequest(Status status) {
            this.status = status;
        }

        private void release(ByteBuffer b) {
            if (b == tx) {
                txBusy = false;
            } else {
                staging.give(b);
            }
        }

        void add(Request r, ByteBuffer b) {
            requests.add(r);
            buffers.add(b);
        }

        /** Waits for every request, releasing the buffers. Under the lock. */
        void complete() throws MPIException {
            for (int i = 0; i < requests.size(); i++) {
                Request r = requests.get(i);
                if (r != null) {
                    r.waitFor();
                    requests.set(i, null);
                    release(buffers.get(i));
                    buffers.set(i, null);
                }
            }
            done = true;
        }

        /** Tests the requests, releasing the buffers of those complete. Under the lock. */
        boolean progress() {
            if (done) {
                return true;
            }
            try {
                for (int i = 0; i < requests.size(); i++) {
                    Request r = requests.get(i);
                    if (r != null && r.test()) {
                        requests.set(i, null);
                        release(buffers.get(i));
                        buffers.set(i, null);
                    }
                }
            } catch (MPIException e) {
                throw fail("send", e);
            }
            for (Request r : requests) {
                if (r != null) {
                    return false;
                }
            }
            done = true;
            return true;
        }

        @Override
        public boolean test() {
            lock.lock();
            try {
                OpenMpiComm.this.progress();
                return progress();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Status await(long deadlineNanos) throws TimeoutException {
            Backoff idle = new Backoff(1_000);
            while (!test()) {
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new TimeoutException("isend to rank " + status.source() + ": not complete before the deadline");
                }
                idle.idle();
            }
            return status;
        }

        @Override
        public byte[] bytes() {
            return null;
        }
    }

    /** A posted receive, matched in posting order by {@link #progress()}. */
    private final class RecvRequest implements BackendRequest {
        final Buf buf;
        final int source;
        final int tag;
        volatile boolean done;
        Status status;
        byte[] bytes;
        MpiException error;

        RecvRequest(Buf buf, int source, int tag) {
            this.buf = buf;
            this.source = source;
            this.tag = tag;
        }

        void complete(Held h) {
            try {
                byte[][] out = new byte[1][];
                status = deliver(h, buf, "irecv", out);
                bytes = out[0];
            } catch (MpiException e) {
                error = e;
            }
            done = true;
        }

        @Override
        public boolean test() {
            if (!done) {
                lock.lock();
                try {
                    OpenMpiComm.this.progress();
                } finally {
                    lock.unlock();
                }
            }
            if (done && error != null) {
                throw new MpiException(error.getMessage());
            }
            return done;
        }

        @Override
        public Status await(long deadlineNanos) throws TimeoutException {
            Backoff idle = new Backoff(1_000);
            while (!test()) {
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new TimeoutException("irecv from " + (source == ANY_SOURCE ? "any rank" : "rank " + source)
                            + ": no message before the deadline");
                }
                idle.idle();
            }
            return status;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }
    }
}
