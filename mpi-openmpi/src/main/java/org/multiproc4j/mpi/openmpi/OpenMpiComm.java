package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
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
import org.multiproc4j.mpi.spi.BackendRequest;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * A communicator on Open MPI's Java bindings. Every call stages its data through pooled direct buffers
 * ({@link Staging}); the bindings never see a Java array.
 *
 * <p><b>Point to point.</b> A message is one or more frames sent with {@code MPI_Isend} of {@code MPI_BYTE}: the
 * first carries a 16-byte header (element type or object, total length) and up to 1 GiB of data, the others up to
 * 1 GiB each, so messages of any length travel within MPI's {@code int} counts. A send copies the data into its
 * staging buffers and returns (buffered semantics, as on the {@code local} backend: a ring of blocking sends
 * never deadlocks); the staging buffers go back to the pool as the sends complete. A receive probes for the first
 * frame, receives the frames into staging buffers of the exact size, checks the header (type, truncation) and
 * copies the data out, so a mismatched or truncated message is consumed and reported with its type and length.
 * A message looked at by {@code probe} is received into a queue of held messages that later receives search
 * first, which keeps MPI's order between a pair of ranks. Nonblocking receives are matched in the order they were
 * posted, whenever any call on the communicator makes progress.
 *
 * <p><b>Collectives.</b> The element type's MPI datatype on staged buffers; the built-in {@link Op}s map to MPI's;
 * location and user operations gather to a root, which applies them in rank order. {@code bcast} is chunked by
 * 1 GiB; the other collectives stage at most 1 GiB per buffer.
 *
 * <p><b>Threads.</b> All calls of a process are serialized by one lock; waits with a deadline poll, releasing it
 * between polls.
 */
final class OpenMpiComm implements CommBackend {
    static final int HEADER = 16;
    private static final int KIND_OBJECT = 7;
    private static final int MAGIC = 0x6d70346a;
    private static final ElementType[] TYPES = ElementType.values();

    private final Intracomm comm;
    private final ReentrantLock lock;
    private final Staging staging;
    private final boolean owned;
    private final int rank;
    private final int size;
    private final List<Held> early = new ArrayList<>();
    private final List<RecvRequest> posted = new ArrayList<>();
    private final List<SendRequest> sending = new ArrayList<>();
    private boolean freed;

    OpenMpiComm(Intracomm comm, ReentrantLock lock, Staging staging, boolean owned) {
        this.comm = comm;
        this.lock = lock;
        this.staging = staging;
        this.owned = owned;
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
        start(buf, null, dest, tag);
    }

    @Override
    public void sendBytes(byte[] bytes, int dest, int tag) {
        start(Buf.of(bytes), bytes, dest, tag);
    }

    @Override
    public BackendRequest isend(Buf buf, int dest, int tag) {
        return start(buf, null, dest, tag);
    }

    @Override
    public BackendRequest isendBytes(byte[] bytes, int dest, int tag) {
        return start(Buf.of(bytes), bytes, dest, tag);
    }

    private SendRequest start(Buf buf, byte[] object, int dest, int tag) {
        int kind = object != null ? KIND_OBJECT : buf.type().ordinal();
        long total = buf.byteCount();
        SendRequest r = new SendRequest(new Status(dest, tag, total, object != null ? null : buf.type()));
        lock.lock();
        try {
            open("send");
            progressSends();
            int first = (int) Math.min(total, Staging.MAX - HEADER);
            ByteBuffer b0 = staging.take(HEADER + first);
            b0.putInt(0, kind);
            b0.putInt(4, MAGIC);
            b0.putLong(8, total);
            Staging.copyIn(buf, 0, b0, HEADER, first);
            r.add(comm.iSend(b0, HEADER + first, MPI.BYTE, dest, tag), b0);
            for (long pos = first; pos < total;) {
                int k = (int) Math.min(total - pos, Staging.MAX);
                ByteBuffer b = staging.take(k);
                Staging.copyIn(buf, pos, b, 0, k);
                r.add(comm.iSend(b, k, MPI.BYTE, dest, tag), b);
                pos += k;
            }
            if (!r.progress()) {
                sending.add(r);
            }
            return r;
        } catch (MPIException e) {
            throw fail("send to rank " + dest, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Status recv(Buf buf, int source, int tag, long deadlineNanos) throws TimeoutException {
        Held h = take(source, tag, deadlineNanos, "recv");
        return deliver(h, buf, "recv", null);
    }

    @Override
    public byte[] recvBytes(int source, int tag, Status status, long deadlineNanos) throws TimeoutException {
        Held h = take(source, tag, deadlineNanos, "recv");
        byte[][] out = new byte[1][];
        Status s = deliver(h, null, "recv", out);
        if (status != null) {
            status.set(s.source(), s.tag(), s.byteCount(), s.type());
        }
        return out[0];
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
            if (h == null) {
                mpi.Status st = comm.iProbe(mpiSource(source), mpiTag(tag));
                if (st == null) {
                    return null;
                }
                h = pull(st);
                early.add(h);
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
        Held h = take(source, tag, deadlineNanos, "probe");
        lock.lock();
        try {
            early.add(h); // pulled from MPI: later than every message already held
        } finally {
            lock.unlock();
        }
        return h.status();
    }

    /** Takes the next message matching (source, tag): held first, else from MPI; polls when there is a deadline. */
    private Held take(int source, int tag, long deadlineNanos, String op) throws TimeoutException {
        lock.lock();
        try {
            open(op);
            progress();
            Held h = findEarly(source, tag, true);
            if (h != null) {
                return h;
            }
            if (deadlineNanos == Long.MAX_VALUE && posted.isEmpty()) {
                // MPI's blocking probe also progresses the pending sends; their buffers are released by later calls
                return pull(comm.probe(mpiSource(source), mpiTag(tag)));
            }
        } catch (MPIException e) {
            throw fail(op + " from rank " + source, e);
        } finally {
            lock.unlock();
        }
        Backoff idle = new Backoff();
        while (true) {
            lock.lock();
            try {
                progress();
                Held h = findEarly(source, tag, true);
                if (h != null) {
                    return h;
                }
                mpi.Status st = comm.iProbe(mpiSource(source), mpiTag(tag));
                if (st != null) {
                    return pull(st);
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
    private Held pull(mpi.Status st) throws MPIException {
        int src = st.getSource();
        int tag = st.getTag();
        int n0 = st.getCount(MPI.BYTE);
        ByteBuffer b0 = staging.take(n0);
        comm.recv(b0, n0, MPI.BYTE, src, tag);
        if (n0 < HEADER || b0.getInt(4) != MAGIC) {
            staging.give(b0);
            throw new MpiException("recv: rank " + src + " sent a message (" + n0 + " bytes, tag " + tag
                    + ") that multiproc4j did not frame: is every rank running on the openmpi backend?");
        }
        Held h = new Held(src, tag, b0.getInt(0), b0.getLong(8));
        h.add(b0, HEADER, n0 - HEADER);
        for (long pos = n0 - HEADER; pos < h.total;) {
            int k = (int) Math.min(h.total - pos, Staging.MAX);
            ByteBuffer b = staging.take(k);
            comm.recv(b, k, MPI.BYTE, src, tag);
            h.add(b, 0, k);
            pos += k;
        }
        return h;
    }

    /** Checks a received message against what the receive wanted, copies it out and releases its frames. */
    private Status deliver(Held h, Buf buf, String op, byte[][] bytesOut) {
        try {
            ElementType type = h.kind == KIND_OBJECT ? null : TYPES[h.kind];
            if (buf == null) {
                if (type != null) {
                    throw new MpiException(op + ": expected an object message but rank " + h.source + " sent "
                            + h.total / type.size() + " " + type + " elements with tag " + h.tag
                            + " (receive it into a Buf)");
                }
                if (h.total > Integer.MAX_VALUE - 8) {
                    throw new MpiException(op + ": object message of " + h.total + " bytes from rank " + h.source
                            + " is too large for one array");
                }
                byte[] out = new byte[(int) h.total];
                h.copyTo(Buf.of(out));
                bytesOut[0] = out;
            } else if (type == null) {
                throw new MpiException(op + ": rank " + h.source + " sent an object message (" + h.total
                        + " bytes) with tag " + h.tag + " but the receive buffer holds " + buf.type()
                        + " elements (receive it as an object)");
            } else if (type != buf.type()) {
                throw new MpiException(op + ": rank " + h.source + " sent " + type + " elements with tag " + h.tag
                        + " but the receive buffer holds " + buf.type() + " elements");
            } else if (h.total > buf.byteCount()) {
                throw new MpiException(op + ": message truncated: rank " + h.source + " sent " + h.total / type.size()
                        + " " + type + " elements with tag " + h.tag + " but the receive buffer holds "
                        + buf.count());
            } else {
                h.copyTo(buf);
            }
            return h.status();
        } finally {
            h.release(staging);
        }
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
                    if (h == null) {
                        mpi.Status st = comm.iProbe(mpiSource(r.source), mpiTag(r.tag));
                        if (st != null) {
                            h = pull(st);
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
        Backoff idle = new Backoff();
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
        Datatype dt = datatype(buf.type());
        lock.lock();
        try {
            open("bcast");
            progress();
            for (long pos = 0; pos < bytes;) {
                int k = (int) Math.min(bytes - pos, Staging.MAX);
                ByteBuffer b = staging.take(k);
                try {
                    if (rank == root) {
                        Staging.copyIn(buf, pos, b, 0, k);
                    }
                    comm.bcast(b, k / es, dt, root);
                    if (rank != root) {
                        Staging.copyOut(b, 0, buf, pos, k);
                    }
                } finally {
                    staging.give(b);
                }
                pos += k;
            }
        } catch (MPIException e) {
            throw fail("bcast", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        ElementType type = recv.type();
        int es = type.size();
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open("scatterv");
            progress();
            rb = stage("scatterv", recv.byteCount());
            if (rank == root) {
                sb = stage("scatterv", send.byteCount());
                Staging.copyIn(send, 0, sb, 0, send.byteCount());
            }
            comm.scatterv(sb != null ? sb : rb, orZeros(counts), orZeros(displs), datatype(type), rb, recv.count(),
                    datatype(type), root);
            Staging.copyOut(rb, 0, recv, 0, (long) recv.count() * es);
        } catch (MPIException e) {
            throw fail("scatterv", e);
        } finally {
            staging.give(sb);
            staging.give(rb);
            lock.unlock();
        }
    }

    @Override
    public void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        ElementType type = send.type();
        int es = type.size();
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open("gatherv");
            progress();
            sb = stage("gatherv", send.byteCount());
            Staging.copyIn(send, 0, sb, 0, send.byteCount());
            if (rank == root) {
                rb = stage("gatherv", recv.byteCount());
            }
            comm.gatherv(sb, send.count(), datatype(type), rb != null ? rb : sb, orZeros(counts), orZeros(displs),
                    datatype(type), root);
            if (rank == root) {
                copyBlocksOut(rb, recv, counts, displs, es);
            }
        } catch (MPIException e) {
            throw fail("gatherv", e);
        } finally {
            staging.give(sb);
            staging.give(rb);
            lock.unlock();
        }
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
            sb = stage("allgatherv", send.byteCount());
            Staging.copyIn(send, 0, sb, 0, send.byteCount());
            rb = stage("allgatherv", recv.byteCount());
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
            sb = stage("alltoallv", send.byteCount());
            Staging.copyIn(send, 0, sb, 0, send.byteCount());
            rb = stage("alltoallv", recv.byteCount());
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
        int count = send.count();
        long bytes = send.byteCount();
        mpi.Op mop = builtin(op);
        if (mop == null) {
            generic(name, send, recv, op, root);
            return;
        }
        lock.lock();
        ByteBuffer sb = null;
        ByteBuffer rb = null;
        try {
            open(name);
            progress();
            sb = stage(name, bytes);
            Staging.copyIn(send, 0, sb, 0, bytes);
            rb = stage(name, bytes);
            Datatype dt = datatype(type);
            boolean out;
            if (root >= 0) {
                comm.reduce(sb, rb, count, dt, mop, root);
                out = rank == root;
            } else if (root == -1) {
                comm.allReduce(sb, rb, count, dt, mop);
                out = true;
            } else if (root == -2) {
                comm.scan(sb, rb, count, dt, mop);
                out = true;
            } else {
                comm.exScan(sb, rb, count, dt, mop);
                out = rank != 0;
            }
            if (out) {
                Staging.copyOut(rb, 0, recv, 0, bytes);
            }
        } catch (MPIException e) {
            throw fail(name, e);
        } finally {
            staging.give(sb);
            staging.give(rb);
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
        if (bytes > Staging.MAX) {
            throw new MpiException(op + ": " + bytes + " bytes in one buffer is over the openmpi backend's 1 GiB staging"
                    + " limit for this collective (send/recv and bcast take any length)");
        }
        return staging.take(bytes);
    }

    private void copyBlocksOut(ByteBuffer from, Buf to, int[] counts, int[] displs, int es) {
        for (int r = 0; r < counts.length; r++) {
            long at = (long) displs[r] * es;
            Staging.copyOut(from, (int) at, to, at, (long) counts[r] * es);
        }
    }

    private int[] orZeros(int[] a) {
        return a != null ? a : new int[size];
    }

    private static int mpiSource(int source) {
        return source == ANY_SOURCE ? MPI.ANY_SOURCE : source;
    }

    private static int mpiTag(int tag) {
        return tag == ANY_TAG ? MPI.ANY_TAG : tag;
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

        void add(Request r, ByteBuffer b) {
            requests.add(r);
            buffers.add(b);
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
                        staging.give(buffers.get(i));
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
            Backoff idle = new Backoff();
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
            Backoff idle = new Backoff();
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

    /** Spins, then yields, then parks briefly: polling that neither burns an oversubscribed core nor adds latency. */
    private static final class Backoff {
        private int n;

        void idle() {
            n++;
            if (n < 1_000) {
                Thread.onSpinWait();
            } else if (n < 20_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000L);
            }
        }
    }
}
