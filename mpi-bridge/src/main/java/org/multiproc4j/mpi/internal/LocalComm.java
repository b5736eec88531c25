package org.multiproc4j.mpi.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.agrona.UnsafeApi;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Status;
import org.multiproc4j.mpi.spi.BackendRequest;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * A communicator of the local backend. Point to point goes through {@link Engine}; collectives are built on
 * point to point in a context of their own (so they never match a user's messages), with these algorithms:
 * barrier by dissemination ({@code ceil(log2 n)} rounds); bcast by a binomial tree ({@code log2 n} steps);
 * reduce by a binomial tree towards rank 0 combining in rank order (then to the root); allreduce as reduce then
 * bcast; scatter(v) and gather(v) linear at the root (each block crosses once); allgather(v) as gather(v) then
 * bcast; alltoall(v) by pairwise exchange ({@code n - 1} steps); scan and exscan along the chain of ranks.
 * The world communicator's barrier, bcast, reduce, allreduce, scatter(v), gather(v) and allgather(v) instead go
 * through the job's collective area ({@link SharedColl}): written once, read in place by every rank, reductions
 * combined where the data lies.
 */
public final class LocalComm implements CommBackend {
    private static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final LocalSession session;
    private final Engine e;
    private final int id;
    private final int[] group;
    private final int[] worldToComm;
    private final int rank;
    private final int p2p;
    private final int coll;
    private boolean freed;
    private final Object[] scratch = new Object[2];
    /** The world's collectives over the collective area; {@code null} for other communicators. */
    private final SharedColl shared;

    LocalComm(LocalSession session, Engine e, int id, int[] group) {
        this(session, e, id, group, null);
    }

    LocalComm(LocalSession session, Engine e, int id, int[] group, SharedColl shared) {
        this.session = session;
        this.shared = shared;
        this.e = e;
        this.id = id;
        this.group = group;
        this.worldToComm = new int[e.n];
        Arrays.fill(worldToComm, -1);
        int me = -1;
        for (int i = 0; i < group.length; i++) {
            worldToComm[group[i]] = i;
            if (group[i] == e.me) {
                me = i;
            }
        }
        this.rank = me;
        this.p2p = 2 * id;
        this.coll = 2 * id + 1;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return group.length;
    }

    private void check() {
        if (freed) {
            throw new MpiException("the communicator was freed");
        }
    }

    private int src(int source) {
        return source == ANY_SOURCE ? Engine.ANY : group[source];
    }

    @Override
    public void send(Buf buf, int dest, int tag) {
        synchronized (e) {
            check();
            e.send(p2p, tag, group[dest], buf.type().ordinal(), Mem.base(buf), Mem.address(buf), buf.byteCount());
        }
    }

    @Override
    public void sendBytes(byte[] bytes, int dest, int tag) {
        synchronized (e) {
            check();
            e.send(p2p, tag, group[dest], Engine.KIND_OBJECT, bytes, BYTE_BASE, bytes.length);
        }
    }

    @Override
    public Status recv(Buf buf, int source, int tag, long deadlineNanos) throws TimeoutException {
        synchronized (e) {
            check();
            Engine.Recv r = e.post(new Engine.Recv("recv", p2p, src(source), tag, buf, worldToComm));
            e.await(r, deadlineNanos);
            return r.status;
        }
    }

    @Override
    public byte[] recvBytes(int source, int tag, Status status, long deadlineNanos) throws TimeoutException {
        synchronized (e) {
            check();
            Engine.Recv r = e.post(new Engine.Recv("recv", p2p, src(source), tag, null, worldToComm));
            e.await(r, deadlineNanos);
            if (status != null) {
                status.set(r.status.source(), r.status.tag(), r.status.byteCount(), null);
            }
            return r.bytes;
        }
    }

    @Override
    public BackendRequest isend(Buf buf, int dest, int tag) {
        send(buf, dest, tag);
        return new Done(new Status(rank, tag, buf.byteCount(), buf.type()));
    }

    @Override
    public BackendRequest isendBytes(byte[] bytes, int dest, int tag) {
        sendBytes(bytes, dest, tag);
        return new Done(new Status(rank, tag, bytes.length, null));
    }

    @Override
    public BackendRequest irecv(Buf buf, int source, int tag) {
        synchronized (e) {
            check();
            return new Pending(e.post(new Engine.Recv("irecv", p2p, src(source), tag, buf, worldToComm)));
        }
    }

    @Override
    public BackendRequest irecvBytes(int source, int tag) {
        synchronized (e) {
            check();
            return new Pending(e.post(new Engine.Recv("irecv", p2p, src(source), tag, null, worldToComm)));
        }
    }

    @Override
    public Status iprobe(int source, int tag) {
        synchronized (e) {
            check();
            Engine.Msg m = e.peek(p2p, src(source), tag);
            return m == null ? null : status(m);
        }
    }

    @Override
    public Status probe(int source, int tag, long deadlineNanos) throws TimeoutException {
        synchronized (e) {
            check();
            return status(e.awaitPeek(p2p, src(source), tag, deadlineNanos));
        }
    }

    private Status status(Engine.Msg m) {
        return new Status(worldToComm[m.src], m.tag, m.total,
                m.kind == Engine.KIND_OBJECT ? null : Engine.TYPES[m.kind]);
    }

    /** A send that completed when it started. */
    private static final class Done implements BackendRequest {
        private final Status status;

        Done(Status status) {
            this.status = status;
        }

        @Override
        public boolean test() {
            return true;
        }

        @Override
        public Status await(long deadlineNanos) {
            return status;
        }

        @Override
        public byte[] bytes() {
            return null;
        }
    }

    /** A posted receive. */
    private final class Pending implements BackendRequest {
        private final Engine.Recv r;

        Pending(Engine.Recv r) {
            this.r = r;
        }

        @Override
        public boolean test() {
            synchronized (e) {
                return e.test(r);
            }
        }

        @Override
        public Status await(long deadlineNanos) throws TimeoutException {
            synchronized (e) {
                e.await(r, deadlineNanos);
                return r.status;
            }
        }

        @Override
        public byte[] bytes() {
            return r.bytes;
        }
    }

    // ------------------------------------------------------------------ collectives

    private void csend(Buf b, int dest) {
        e.send(coll, 0, group[dest], b.type().ordinal(), Mem.base(b), Mem.address(b), b.byteCount());
    }

    private void crecv(Buf b, int source, String op) {
        Engine.Recv r = e.post(new Engine.Recv(op, coll, group[source], 0, b, worldToComm));
        try {
            e.await(r, NO_DEADLINE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static Buf heapCopy(Buf b) {
        Buf h = Buf.ofArray(b.type().newArray(b.count()));
        Mem.copy(b, h);
        return h;
    }

    private static Buf heapBuf(Buf like) {
        return Buf.ofArray(like.type().newArray(like.count()));
    }

    private static void combine(Op op, Buf acc, Buf in) {
        op.apply(acc.type(), acc.array(), acc.offset(), in.array(), in.offset(), acc.count());
    }

    @Override
    public void barrier() {
        synchronized (e) {
            check();
            if (shared != null) {
                shared.barrier();
                return;
            }
            Buf empty = Buf.of(new byte[0]);
            int size = group.length;
            for (int k = 1; k < size; k <<= 1) {
                csend(empty, (rank + k) % size);
                crecv(empty, (rank - k + size) % size, "barrier");
            }
        }
    }

    @Override
    public void bcast(Buf buf, int root) {
        synchronized (e) {
            check();
            if (shared != null) {
                shared.bcast(buf, root);
                return;
            }
            bcast0(buf, root);
        }
    }

    private void bcast0(Buf buf, int root) {
        int size = group.length;
        int vr = (rank - root + size) % size;
        int mask = 1;
        while (mask < size) {
            if ((vr & mask) != 0) {
                crecv(buf, (vr - mask + root) % size, "bcast");
                break;
            }
            mask <<= 1;
        }
        mask >>= 1;
        while (mask > 0) {
            if (vr + mask < size) {
                csend(buf, (vr + mask + root) % size);
            }
            mask >>= 1;
        }
    }

    @Override
    public void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        synchronized (e) {
            check();
            if (shared != null && shared.blocksFit()) {
                shared.scatterv(send, counts, displs, recv, root);
                return;
            }
            if (rank == root) {
                for (int r = 0; r < group.length; r++) {
                    Buf block = send.slice(displs[r], counts[r]);
                    if (r == rank) {
                        Mem.copy(block, recv.slice(0, counts[r]));
                    } else {
                        csend(block, r);
                    }
                }
            } else {
                crecv(recv, root, "scatterv");
            }
        }
    }

    @Override
    public void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        synchronized (e) {
            check();
            if (shared != null && shared.blocksFit()) {
                shared.gatherv(send, recv, counts, displs, root);
                return;
            }
            gatherv0(send, recv, counts, displs, root);
        }
    }

    private void gatherv0(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        if (rank == root) {
            for (int r = 0; r < group.length; r++) {
                Buf block = recv.slice(displs[r], counts[r]);
                if (r == rank) {
                    Mem.copy(send, block);
                } else {
                    crecv(block, r, "gatherv");
                }
            }
        } else {
            csend(send, root);
        }
    }

    @Override
    public void allgatherv(Buf send, Buf recv, int[] counts, int[] displs) {
        synchronized (e) {
            check();
            int extent = 0;
            for (int r = 0; r < counts.length; r++) {
                extent = Math.max(extent, displs[r] + counts[r]);
            }
            if (shared != null && shared.blocksFit()) {
                shared.gatherv(send, recv, counts, displs, 0);
                shared.bcast(recv.slice(0, extent), 0);
                return;
            }
            gatherv0(send, recv, counts, displs, 0);
            bcast0(recv.slice(0, extent), 0);
        }
    }

    @Override
    public void alltoallv(Buf send, int[] scounts, int[] sdispls, Buf recv, int[] rcounts, int[] rdispls) {
        synchronized (e) {
            check();
            int size = group.length;
            Mem.copy(send.slice(sdispls[rank], scounts[rank]), recv.slice(rdispls[rank], scounts[rank]));
            for (int i = 1; i < size; i++) {
                int dst = (rank + i) % size;
                int src = (rank - i + size) % size;
                csend(send.slice(sdispls[dst], scounts[dst]), dst);
                crecv(recv.slice(rdispls[src], rcounts[src]), src, "alltoallv");
            }
        }
    }

    /** Reduces towards rank 0 in rank order; returns the result at rank 0, null elsewhere. */
    private Buf reduceTo0(Buf send, Op op) {
        Buf acc = scratch(0, send);
        Mem.copy(send, acc);
        Buf tmp = null;
        int size = group.length;
        for (int mask = 1; mask < size; mask <<= 1) {
            if ((rank & mask) == 0) {
                int src = rank | mask;
                if (src < size) {
                    if (tmp == null) {
                        tmp = scratch(1, send);
                    }
                    crecv(tmp, src, "reduce");
                    combine(op, acc, tmp);
                }
            } else {
                csend(acc, rank & ~mask);
                return null;
            }
        }
        return acc;
    }

    @Override
    public void reduce(Buf send, Buf recv, Op op, int root) {
        synchronized (e) {
            check();
            if (shared != null) {
                shared.reduce(send, recv, op, root);
                return;
            }
            Buf acc = reduceTo0(send, op);
            if (rank == 0) {
                if (root == 0) {
                    Mem.copy(acc, recv);
                } else {
                    csend(acc, root);
                }
            } else if (rank == root) {
                crecv(recv, 0, "reduce");
            }
        }
    }

    @Override
    public void allreduce(Buf send, Buf recv, Op op) {
        synchronized (e) {
            check();
            if (shared != null) {
                shared.reduce(send, recv, op, -1);
                return;
            }
            int size = group.length;
            if (Integer.bitCount(size) != 1) {
                Buf acc = reduceTo0(send, op);
                if (rank == 0) {
                    Mem.copy(acc, recv);
                }
                bcast0(recv, 0);
                return;
            }
            // recursive doubling: log2(n) exchanges; the lower block's partial result is always the left operand
            Buf acc = scratch(0, send);
            Mem.copy(send, acc);
            Buf tmp = scratch(1, send);
            for (int mask = 1; mask < size; mask <<= 1) {
                int partner = rank ^ mask;
                exchange(acc, partner, tmp, "allreduce");
                if (partner < rank) {
                    combine(op, tmp, acc);
                    Buf t = acc;
                    acc = tmp;
                    tmp = t;
                } else {
                    combine(op, acc, tmp);
                }
            }
            Mem.copy(acc, recv);
        }
    }

    /** Sends {@code out} to {@code partner} while receiving {@code in} from it, the receive posted first. */
    private void exchange(Buf out, int partner, Buf in, String op) {
        Engine.Recv r = e.post(new Engine.Recv(op, coll, group[partner], 0, in, worldToComm));
        csend(out, partner);
        try {
            e.await(r, NO_DEADLINE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** A heap buffer like {@code like}, reused between calls (two slots), so reductions allocate once. */
    private Buf scratch(int slot, Buf like) {
        Object a = scratch[slot];
        if (a == null || a.getClass() != like.type().arrayClass()
                || java.lang.reflect.Array.getLength(a) < like.count()) {
            a = like.type().newArray(like.count());
            scratch[slot] = a;
        }
        return Buf.ofArray(a).slice(0, like.count());
    }

    @Override
    public void scan(Buf send, Buf recv, Op op) {
        synchronized (e) {
            check();
            prefix(send, recv, op, true);
        }
    }

    @Override
    public void exscan(Buf send, Buf recv, Op op) {
        synchronized (e) {
            check();
            prefix(send, recv, op, false);
        }
    }

    /** Along the chain of ranks: rank r receives the reduction of ranks 0..r-1, combines its own, passes it on. */
    private void prefix(Buf send, Buf recv, Op op, boolean inclusive) {
        Buf total = heapCopy(send);
        if (rank > 0) {
            Buf before = heapBuf(send);
            crecv(before, rank - 1, inclusive ? "scan" : "exscan");
            if (!inclusive) {
                Mem.copy(before, recv);
            }
            combine(op, before, total);
            total = before;
        }
        if (rank < group.length - 1) {
            csend(total, rank + 1);
        }
        if (inclusive) {
            Mem.copy(total, recv);
        }
    }

    // ------------------------------------------------------------------ communicators

    private int agreeId() {
        long[] mine = {session.nextId()};
        long[] max = new long[1];
        Buf acc = reduceTo0(Buf.of(mine), Op.MAX);
        if (rank == 0) {
            Mem.copy(acc, Buf.of(max));
        }
        bcast0(Buf.of(max), 0);
        session.usedId((int) max[0]);
        return (int) max[0];
    }

    @Override
    public CommBackend dup() {
        synchronized (e) {
            check();
            return new LocalComm(session, e, agreeId(), group.clone());
        }
    }

    @Override
    public CommBackend split(int color, int key) {
        synchronized (e) {
            check();
            int size = group.length;
            int[] all = new int[3 * size];
            int[] counts = new int[size];
            int[] displs = new int[size];
            for (int r = 0; r < size; r++) {
                counts[r] = 3;
                displs[r] = 3 * r;
            }
            gatherv0(Buf.of(new int[] {color, key, rank}), Buf.of(all), counts, displs, 0);
            bcast0(Buf.of(all), 0);
            int newId = agreeId();
            if (color < 0) {
                return null;
            }
            List<int[]> members = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                if (all[3 * r] == color) {
                    members.add(new int[] {all[3 * r + 1], r});
                }
            }
            members.sort(Comparator.<int[]>comparingInt(m -> m[0]).thenComparingInt(m -> m[1]));
            int[] newGroup = new int[members.size()];
            for (int i = 0; i < newGroup.length; i++) {
                newGroup[i] = group[members.get(i)[1]];
            }
            return new LocalComm(session, e, newId, newGroup);
        }
    }

    @Override
    public void free() {
        synchronized (e) {
            freed = true;
        }
    }

    @Override
    public String toString() {
        return "LocalComm[id=" + id + ", rank=" + rank + ", size=" + group.length + "]";
    }
}
